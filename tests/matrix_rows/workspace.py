"""Permission-matrix rows for the workspace: competitors, timeline, meeting brief
(see tests/matrix_rows/__init__.py)."""

from __future__ import annotations

from matrix_rows import EDITS_A, READ_ONLY, SEES, SEES_A, SIGNED_IN, R, Route

EDITORS = SIGNED_IN - READ_ONLY

ROUTES: list[Route] = [
    # --- timeline ----------------------------------------------------------------------
    R("account_workspace:timeline", "GET", "/accounts/{a}/timeline/", SEES_A),
    R("account_workspace:timeline", "GET", "/accounts/{a1}/timeline/", SEES["a1"]),
    R("account_workspace:timeline", "GET", "/accounts/{a}/timeline/?type=activities&page=2", SEES_A),
    R("api:account_timeline", "GET", "/api/workspace/accounts/{a}/timeline", SEES_A),
    R("api:account_timeline", "GET", "/api/workspace/accounts/{a1}/timeline?type=invoices", SEES["a1"]),
    # --- meeting brief -----------------------------------------------------------------
    R("account_workspace:brief", "GET", "/accounts/{a}/brief/", SEES_A),
    R("account_workspace:brief", "GET", "/accounts/{a1}/brief/", SEES["a1"]),
    R("account_workspace:brief", "GET", "/accounts/{a}/brief/?activity={ws_meeting_a}", SEES_A),
    # Another account's meeting id on A's brief is ignored: its subject never shows.
    R("account_workspace:brief", "GET", "/accounts/{a}/brief/?activity={ws_meeting_b}", SEES_A),
    R("api:account_brief", "GET", "/api/workspace/accounts/{a}/brief", SEES_A),
    R("api:account_brief", "GET", "/api/workspace/accounts/{a1}/brief", SEES["a1"]),
    R("api:account_brief", "GET", "/api/workspace/accounts/{a}/brief?activity={ws_meeting_b}", SEES_A),
    # --- competitors -------------------------------------------------------------------
    R("account_workspace:competitors", "GET", "/accounts/{a}/competitors/", SEES_A),
    R("account_workspace:competitors", "GET", "/accounts/{a1}/competitors/", SEES["a1"]),
    R("account_workspace:competitors", "POST", "/accounts/{a}/competitors/", EDITS_A, 302,
      data={"name": "ws_matrix_newcomer"}),
    R("workspace:competitor_edit", "GET", "/workspace/competitors/{ws_competitor_a}/edit/", EDITS_A),
    R("workspace:competitor_edit", "POST", "/workspace/competitors/{ws_competitor_a}/edit/", EDITS_A,
      302, data={"notes": "ws matrix edit"}),
    R("workspace:competitor_remove", "POST", "/workspace/competitors/{ws_competitor_a}/remove/",
      EDITS_A, 302),
    R("api:competitor_list", "GET", "/api/workspace/competitors", SIGNED_IN),
    R("api:competitor_list", "POST", "/api/workspace/competitors", EDITORS, 201, read_only=403,
      data={"name": "ws_api_newcomer"}),
    R("api:account_competitors", "GET", "/api/workspace/accounts/{a}/competitors", SEES_A),
    R("api:account_competitors", "POST", "/api/workspace/accounts/{a}/competitors", EDITS_A, 201,
      read_only=403, data={"name": "ws_api_newcomer", "share_of_wallet": "10"}),
    R("api:account_competitor", "PATCH", "/api/workspace/account-competitors/{ws_competitor_a}", EDITS_A,
      read_only=403, data={"notes": "ws api edit"}),
    R("api:account_competitor", "DELETE", "/api/workspace/account-competitors/{ws_competitor_a}",
      EDITS_A, 204, read_only=403),
]  # fmt: skip


def world(company) -> tuple[dict, dict]:
    """Competitors on a, a1, b and c; what is noted about them at b and c is secret."""
    from openkam.workspace import services

    rival = services.competitor_create(actor=company["head"], name="ws_rival_shared")
    notes = {key: f"ws_competitor_note_{key}" for key in ("a", "a1", "b", "c")}
    rows = {
        key: services.account_competitor_add(
            actor=company["head"],
            account=company[key],
            competitor=rival,
            product_lines=f"ws_lines_{key}",
            notes=notes[key],
        )
        for key in notes
    }
    meetings = {key: _meeting(company, key) for key in ("a", "b")}
    ids = {
        "ws_competitor_a": rows["a"].pk,
        "ws_meeting_a": meetings["a"].pk,
        "ws_meeting_b": meetings["b"].pk,
    }
    secrets = {key: {notes[key], f"ws_lines_{key}"} for key in notes}
    secrets["b"].add(meetings["b"].subject)
    return ids, secrets


def _meeting(company, key: str):
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from openkam.activities.models import Activity

    starts = datetime.combine(company["today"] + timedelta(days=1), time(10))
    return Activity.objects.create(
        account=company[key],
        owner=company["head"],
        kind="meeting",
        subject=f"ws_meeting_subject_{key}",
        starts_at=timezone.make_aware(starts),
    )
