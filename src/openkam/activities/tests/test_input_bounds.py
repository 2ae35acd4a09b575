"""Odd dates and ids on the planner and the activity forms and API: each was a 500
(week arithmetic past the years dates hold, a year-1 time turned local, an id no column
holds); now a 4xx or a form error, and nothing is stored."""

from __future__ import annotations

import json

import pytest

from openkam.accounts.tests.factories import bearer
from openkam.activities.models import Activity
from openkam.activities.tests.factories import meeting

HUGE = str(2**63)


def _create(client, company, **fields):
    body = {"account_id": company["a"].pk, "kind": "call", "subject": "Odd"}
    body |= {"starts_at": "2026-12-02T10:00:00Z", **fields}
    return client.post(
        "/api/activities",
        json.dumps(body),
        content_type="application/json",
        headers=bearer(company["owner"]),
    )


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01", "1899-12-31", HUGE, "x"])
def test_the_planner_shows_this_week_for_a_week_it_cannot_show(client, company, week):
    client.force_login(company["owner"])
    response = client.get("/activities/planner/", {"week": week})
    assert response.status_code == 200
    assert response.context["week_start"] == response.context["this_week"]


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-12:00"])
def test_the_api_refuses_times_outside_the_years(client, company, moment):
    response = _create(client, company, starts_at=moment)
    assert response.status_code == 422
    assert not Activity.objects.exists()


def test_the_api_refuses_an_outcome_logged_in_year_one(client, company):
    planned = meeting(company, "a", "Planned", company["today"])
    response = client.post(
        f"/api/activities/{planned.pk}/complete",
        json.dumps({"outcome": "Done", "done_at": "0001-01-01T00:00:00Z"}),
        content_type="application/json",
        headers=bearer(company["owner"]),
    )
    assert response.status_code == 422
    planned.refresh_from_db()
    assert planned.status == "planned"


def test_the_api_refuses_ids_no_column_holds(client, company):
    response = _create(client, company, contact_ids=[2**63])
    assert response.status_code == 422
    listed = client.get("/api/activities", {"account_id": HUGE}, headers=bearer(company["owner"]))
    assert listed.status_code == 422


def test_the_form_refuses_a_start_in_year_one_and_a_person_no_column_holds(client, company):
    planned = meeting(company, "a", "Planned", company["today"])
    client.force_login(company["owner"])
    response = client.post(
        f"/activities/{planned.pk}/edit/",
        {"kind": "meeting", "subject": "Moved", "starts_at": "0001-01-01T00:00", "contacts": HUGE},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"starts_at", "contacts"}
    planned.refresh_from_db()
    assert planned.subject == "Planned"
