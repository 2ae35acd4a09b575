"""Permission-matrix rows for activities, the planner and the calendar feed.

See tests/matrix_rows/__init__.py. Request bodies that must name a record (the account
of a new activity) are dicts that `world()` fills in for each test.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from matrix_rows import EDITS_A, READ_ONLY, SEES, SEES_A, SIGNED_IN, Route

R = Route
EDITORS = SIGNED_IN - READ_ONLY
CREATE_FORM: dict = {
    "kind": "meeting",
    "subject": "act_matrix_new",
    "starts_at": "2026-12-01T10:00",
}
API_CREATE: dict = {
    "kind": "call",
    "subject": "act_matrix_api",
    "starts_at": "2026-12-01T10:00:00Z",
}
EDIT_FORM = {"kind": "visit", "subject": "act_matrix_edit", "starts_at": "2026-12-02T09:00"}


class FeedRoute(Route):
    """The calendar feed needs no login: a wrong token is a 404 for everyone, even anonymous."""

    def expected(self, persona: str) -> int:
        return 404


ROUTES: list[Route] = [
    # --- pages -------------------------------------------------------------------------
    R("activities:planner", "GET", "/activities/planner/", SIGNED_IN),
    R("activities:planner", "GET", "/activities/planner/?week=2026-11-16", SIGNED_IN),
    R("activities:create", "GET", "/activities/planner/new/", EDITORS),
    R("activities:create", "GET", "/activities/planner/new/?account={a}&kind=visit", EDITORS),
    R("activities:create", "POST", "/activities/planner/new/", EDITS_A, 302, data=CREATE_FORM),
    R("activities:account_fields", "GET", "/activities/planner/account-fields/?account={a}", EDITORS),
    R("activities:detail", "GET", "/activities/{activity_a}/", SEES_A),
    R("activities:detail", "GET", "/activities/{activity_a1}/", SEES["a1"]),
    R("activities:edit", "GET", "/activities/{activity_a}/edit/", EDITS_A),
    R("activities:edit", "POST", "/activities/{activity_a}/edit/", EDITS_A, 302, data=EDIT_FORM),
    R("activities:complete", "POST", "/activities/{activity_a}/complete/", EDITS_A, 302,
      data={"outcome": "act_matrix_outcome", "follow_up_kind": "meeting"}),
    R("activities:cancel", "POST", "/activities/{activity_a}/cancel/", EDITS_A, 302,
      data={"reason": "ill"}),
    R("activities:ics", "GET", "/activities/{activity_a}/meeting.ics", SEES_A),
    R("account_activities:list", "GET", "/accounts/{a}/activities/", SEES_A),
    R("account_activities:list", "GET", "/accounts/{a1}/activities/", SEES["a1"]),
    R("account_activities:list", "GET",
      "/accounts/{a}/activities/?kind=meeting&status=planned", SEES_A),
    R("activities:calendar_settings", "GET", "/activities/calendar/", SIGNED_IN),
    R("activities:calendar_settings", "POST", "/activities/calendar/", SIGNED_IN,
      data={"action": "reset"}),
    FeedRoute("activities:feed", "GET", "/activities/calendar/not-a-token.ics", frozenset()),
    FeedRoute("activities:feed", "GET", "/activities/calendar/{owner_feed_token}x.ics", frozenset()),
    # The address calendar clients were given before activities had a prefix.
    FeedRoute("legacy_calendar_feed", "GET", "/calendar/not-a-token.ics", frozenset()),
    FeedRoute("legacy_calendar_feed", "GET", "/calendar/{owner_feed_token}x.ics", frozenset()),
    # --- JSON API ----------------------------------------------------------------------
    R("api:activity_list", "GET", "/api/activities", SIGNED_IN),
    R("api:activity_list", "GET",
      "/api/activities?account_id={a}&from=2026-01-01&to=2027-12-31&status=planned", SIGNED_IN),
    R("api:activity_detail", "GET", "/api/activities/{activity_a}", SEES_A),
    R("api:activity_detail", "GET", "/api/activities/{activity_a1}", SEES["a1"]),
    R("api:activity_list", "POST", "/api/activities", EDITS_A, 201, read_only=403,
      data=API_CREATE),
    R("api:activity_complete", "POST", "/api/activities/{activity_a}/complete", EDITS_A,
      read_only=403, data={"outcome": "act_matrix_outcome"}),
    R("api:activity_cancel", "POST", "/api/activities/{activity_a}/cancel", EDITS_A,
      read_only=403, data={"reason": "ill"}),
]  # fmt: skip


def world(company) -> tuple[dict, dict]:
    """A planned meeting per account (its subject and outcome are the secrets), and a feed."""
    from django.utils import timezone

    from openkam.activities.feeds import calendar_feed_reset
    from openkam.activities.services import activity_create
    from openkam.stakeholders.services import contact_create

    today: date = company["today"]
    owners = {"a": "owner", "a1": "owner", "b": "other_kam", "c": "junior"}
    activities = {}
    for key, owner in owners.items():
        person = contact_create(
            actor=None, account=company[key], last_name=f"ActPerson{key}", email=f"p{key}@x.test"
        )
        activities[key] = activity_create(
            actor=None,
            account=company[key],
            kind="meeting",
            subject=f"act_secret_subject_{key}",
            objective=f"act_secret_objective_{key}",
            location=f"act_secret_place_{key}",
            starts_at=timezone.make_aware(datetime.combine(today + timedelta(days=1), time(10))),
            owner=company[owner],
            contacts=[person],
        )
    CREATE_FORM["account"] = company["a"].pk
    API_CREATE["account_id"] = company["a"].pk
    ids = {
        "activity_a": activities["a"].pk,
        "activity_a1": activities["a1"].pk,
        # A real token with a character added: must open nothing.
        "owner_feed_token": calendar_feed_reset(user=company["owner"]),
    }
    secrets = {
        key: {
            f"act_secret_subject_{key}",
            f"act_secret_objective_{key}",
            f"act_secret_place_{key}",
            f"ActPerson{key}",
        }
        for key in owners
    }
    return ids, secrets
