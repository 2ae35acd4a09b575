"""The planner, the plan-activity form, the activity page and the account's activity tab."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from openkam.accounts.services import account_set_tier
from openkam.activities import selectors, services
from openkam.activities.models import Activity, ActivityKind, ActivityStatus
from openkam.activities.tests.factories import days, meeting, person


def _text(response) -> str:
    return response.content.decode()


def test_planner_shows_week_overdue_suggestions_and_counts(client, company):
    today = company["today"]
    account_set_tier(actor=company["head"], account=company["a"], tier="key")
    monday = selectors.monday_of(today)
    # Planned from today on (the suggestions leave such an account out), within this week
    # whatever weekday the tests run on.
    meeting(company, "a", "Plan this week", max(today, monday + days(1)))
    meeting(company, "a", "Forgotten visit", today - days(9), kind=ActivityKind.VISIT)
    client.force_login(company["owner"])
    page = _text(client.get(reverse("activities:planner")))
    assert "Plan this week" in page
    assert "Forgotten visit" in page  # overdue
    assert f"?account={company['a'].pk}&amp;kind=visit" not in page  # contact already planned
    assert "a count, not a target" in page
    other = _text(client.get(reverse("activities:planner") + f"?week={monday + days(7)}"))
    assert "Plan this week" not in other


def test_planner_suggests_a_visit_with_the_form_prefilled(client, company):
    account_set_tier(actor=company["head"], account=company["a"], tier="key")
    jan = person(company, "a", "Nowak")
    client.force_login(company["owner"])
    page = _text(client.get(reverse("activities:planner")))
    link = f"{reverse('activities:create')}?account={company['a'].pk}&amp;kind=visit"
    assert link in page
    form = _text(client.get(link.replace("&amp;", "&")))
    assert f'<option value="{company["a"].pk}" selected>' in form
    assert '<option value="visit" selected>' in form
    assert "Nowak" in form and str(jan.pk) in form


def test_read_only_roles_get_no_plan_button_and_no_form(client, company):
    client.force_login(company["viewer"])
    assert "plan-activity" not in _text(client.get(reverse("activities:planner")))
    assert client.get(reverse("activities:create")).status_code == 404


@pytest.mark.parametrize("persona", ["finance", "viewer"])
def test_read_only_roles_are_offered_no_accounts_to_contact_and_no_calendar(
    client, company, persona
):
    for key in ("a", "b", "c"):
        account_set_tier(actor=company["head"], account=company[key], tier="key")
    meeting(company, "a", "Forgotten visit", company["today"] - days(9))
    client.force_login(company[persona])
    page = _text(client.get(reverse("activities:planner")))
    assert "Key and strategic accounts you work" not in page and 'id="suggestions"' not in page
    for key in ("a", "b", "c"):
        assert company[key].name not in page
    assert reverse("activities:calendar_settings") not in page
    assert "Subscribe in your calendar" not in page
    assert 'id="overdue"' not in page and "plan-activity" not in page
    assert "does not plan or log activities" in page
    assert selectors.contact_suggestions(user=company[persona], today=company["today"]) == []


def test_head_is_still_offered_key_accounts_to_contact(client, company):
    account_set_tier(actor=company["head"], account=company["b"], tier="key")
    client.force_login(company["head"])
    page = _text(client.get(reverse("activities:planner")))
    assert f"?account={company['b'].pk}&amp;kind=visit" in page
    assert reverse("activities:calendar_settings") in page


@pytest.mark.parametrize("rows", [3, 30])
def test_planner_queries_do_not_grow_with_activities(
    client, company, django_assert_num_queries, rows
):
    today = company["today"]
    for key in ("a", "b", "c"):
        account_set_tier(actor=company["head"], account=company[key], tier="key")
    people = [person(company, "a", f"Person{i}") for i in range(4)]
    monday = selectors.monday_of(today)
    for i in range(rows):
        meeting(company, "a", f"Week {i}", monday + days(i % 7), contacts=people)
        meeting(company, "a", f"Late {i}", today - days(8 + i), contacts=people[:2])
        done = meeting(company, "a", f"Held {i}", today - days(20 + i), kind=ActivityKind.CALL)
        services.activity_complete(actor=None, activity=done, outcome="ok")
    client.force_login(company["owner"])
    # Session, user, the deputy ranges and seniors behind "accounts I work", the week and
    # its participants, the overdue list and its participants, suggestions, week counts:
    # the same number for 3 or 30 rows of each.
    with django_assert_num_queries(9):
        response = client.get(reverse("activities:planner"))
    assert response.status_code == 200
    assert _text(response).count("Person3") == min(rows, 30)


def test_plan_a_meeting_with_two_stakeholders(client, company):
    jan = person(company, "a", "Nowak")
    ewa = person(company, "a1", "Kowalska")  # of the subsidiary: same group
    person(company, "b", "Obcy")
    client.force_login(company["owner"])
    fields = _text(client.get(reverse("activities:account_fields") + f"?account={company['a'].pk}"))
    assert "Nowak" in fields and "Kowalska" in fields and "Obcy" not in fields
    response = client.post(
        reverse("activities:create"),
        {
            "account": company["a"].pk,
            "kind": "meeting",
            "subject": "Price round",
            "starts_at": f"{company['today'] + days(2)}T10:00",
            "ends_at": f"{company['today'] + days(2)}T11:30",
            "location": "Their office",
            "contacts": [jan.pk, ewa.pk],
            "objective": "Agree prices",
        },
    )
    activity = Activity.objects.get(subject="Price round")
    assert response.status_code == 302
    assert response["Location"] == reverse("activities:detail", args=[activity.pk])
    assert activity.owner == company["owner"]
    assert set(activity.contacts.all()) == {jan, ewa}
    page = _text(client.get(response["Location"]))
    assert "Nowak" in page and "Kowalska" in page and "Agree prices" in page


def test_form_refuses_contacts_of_another_account(client, company):
    stranger = person(company, "b", "Obcy")
    client.force_login(company["head"])
    response = client.post(
        reverse("activities:create"),
        {
            "account": company["a"].pk,
            "kind": "call",
            "subject": "Mixed",
            "starts_at": f"{company['today']}T10:00",
            "contacts": [stranger.pk],
        },
    )
    assert response.status_code == 200
    assert "errorlist" in _text(response) or "error" in _text(response)
    assert not Activity.objects.filter(subject="Mixed").exists()


def test_log_outcome_with_follow_up(client, company):
    jan = person(company, "a", "Nowak")
    activity = meeting(company, "a", "First talk", company["today"], contacts=[jan])
    client.force_login(company["owner"])
    response = client.post(
        reverse("activities:complete", args=[activity.pk]),
        {
            "outcome": "They want samples",
            "next_steps": "Bring samples",
            "follow_up_subject": "Samples",
            "follow_up_kind": "visit",
            "follow_up_starts_at": f"{company['today'] + days(7)}T09:00",
        },
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.DONE
    assert activity.outcome == "They want samples"
    follow = Activity.objects.get(subject="Samples")
    assert follow.kind == "visit"
    assert list(follow.contacts.all()) == [jan]
    assert follow.objective == "Bring samples"


def test_logging_the_outcome_of_next_weeks_visit_says_it_moved_it_to_now(client, company):
    visit = meeting(company, "a", "Tuesday visit", company["today"] + days(7), kind="visit")
    planned = visit.starts_at
    client.force_login(company["owner"])
    detail = reverse("activities:detail", args=[visit.pk])
    assert "logging its outcome moves it to now" in _text(client.get(detail))
    response = client.post(
        reverse("activities:complete", args=[visit.pk]),
        {"outcome": "Met at the fair today", "follow_up_kind": "meeting"},
        follow=True,
    )
    page = _text(response)
    assert f"It was planned for {timezone.localtime(planned):%Y-%m-%d %H:%M}" in page
    visit.refresh_from_db()
    assert visit.status == ActivityStatus.DONE and visit.starts_at < visit.done_at
    assert "logging its outcome moves it to now" not in page


def test_log_outcome_without_text_shows_the_error(client, company):
    activity = meeting(company, "a", "Silent", company["today"])
    client.force_login(company["owner"])
    response = client.post(
        reverse("activities:complete", args=[activity.pk]),
        {"outcome": "", "follow_up_kind": "meeting"},
    )
    assert response.status_code == 422
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.PLANNED


def test_follow_up_needs_a_time(client, company):
    activity = meeting(company, "a", "Half", company["today"])
    client.force_login(company["owner"])
    response = client.post(
        reverse("activities:complete", args=[activity.pk]),
        {"outcome": "ok", "follow_up_subject": "Next", "follow_up_kind": "meeting"},
    )
    assert response.status_code == 422
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.PLANNED  # nothing written


def test_cancel_and_edit(client, company):
    ewa = person(company, "a", "Kowalska")
    activity = meeting(company, "a", "To move", company["today"])
    client.force_login(company["owner"])
    response = client.post(
        reverse("activities:edit", args=[activity.pk]),
        {
            "kind": "call",
            "subject": "Moved",
            "starts_at": f"{company['today'] + days(1)}T08:00",
            "contacts": [ewa.pk],
        },
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.subject, activity.kind) == ("Moved", "call")
    assert list(activity.contacts.all()) == [ewa]
    client.post(reverse("activities:cancel", args=[activity.pk]), {"reason": "Ill"})
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.CANCELLED


def test_account_tab_filters_and_counts_queries(client, company, django_assert_max_num_queries):
    people = [person(company, "a", f"P{i}") for i in range(3)]
    for i in range(20):
        kind = ActivityKind.CALL if i % 2 else ActivityKind.VISIT
        meeting(company, "a", f"Act {i}", company["today"] - days(i), kind=kind, contacts=people)
    meeting(company, "b", "Beta thing", company["today"])
    client.force_login(company["owner"])
    url = reverse("account_activities:list", args=[company["a"].pk])
    with django_assert_max_num_queries(12):
        page = _text(client.get(url))
    assert "Act 0" in page and "Act 19" in page and "Beta thing" not in page
    calls = _text(client.get(url + "?kind=call"))
    assert "Act 1<" in calls and "Act 0<" not in calls
    client.force_login(company["other_kam"])
    assert client.get(url).status_code == 404


def test_edit_keeps_a_participant_who_has_since_left(client, company):
    gone = person(company, "a", "Odszedl")
    activity = meeting(company, "a", "Old talk", company["today"] - days(30), contacts=[gone])
    gone.left_on = company["today"] - days(5)
    gone.save()
    client.force_login(company["owner"])
    url = reverse("activities:edit", args=[activity.pk])
    assert "Odszedl" in _text(client.get(url))
    assert "Odszedl" not in _text(client.get(reverse("activities:create")
                                             + f"?account={company['a'].pk}"))  # fmt: skip
    client.post(
        url,
        {
            "kind": "meeting",
            "subject": "Old talk, renamed",
            "starts_at": f"{company['today'] - days(30)}T10:00",
            "contacts": [gone.pk],
        },
    )
    activity.refresh_from_db()
    assert activity.subject == "Old talk, renamed"
    assert list(activity.contacts.all()) == [gone]


def test_plan_action_link_prefills_the_form(client, company):
    from openkam.plans.models import AccountPlan, PlanAction

    plan = AccountPlan.objects.create(
        account=company["a"],
        title="Plan A",
        owner=company["owner"],
        period_start=company["today"],
        period_end=company["today"] + days(365),
    )
    action = PlanAction.objects.create(
        plan=plan, title="Meet the CFO", owner=company["owner"], due_on=company["today"]
    )
    client.force_login(company["owner"])
    url = reverse("activities:create") + f"?account={company['a'].pk}&plan_action={action.pk}"
    form = _text(client.get(url))
    assert f'<option value="{action.pk}" selected>Meet the CFO</option>' in form
    response = client.post(
        url,
        {
            "account": company["a"].pk,
            "kind": "meeting",
            "subject": "CFO lunch",
            "starts_at": f"{company['today'] + days(3)}T12:00",
            "plan_action": action.pk,
        },
    )
    assert response.status_code == 302
    assert Activity.objects.get(subject="CFO lunch").plan_action == action
