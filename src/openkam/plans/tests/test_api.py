"""The plans API: lists and reads follow visibility; writes need an editing role."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from openkam.accounts.tests.factories import add_invoice, bearer
from openkam.core.models import AuditEntry
from openkam.plans import services
from openkam.plans.models import PlanAction
from openkam.plans.tests.factories import make_plan


@pytest.fixture
def plans(company):
    today = company["today"]
    a = make_plan(company, "a", title="API plan A", owner=company["owner"])
    b = make_plan(company, "b", title="API plan B")
    services.objective_create(
        actor=company["head"],
        plan=a,
        title="Revenue",
        metric="revenue",
        target=Decimal("2000"),
        due_on=a.period_end,
    )
    add_invoice(company["a"], today, [("500.00", "100.00")])
    services.action_create(
        actor=company["head"],
        plan=a,
        title="Overdue call",
        owner=company["owner"],
        due_on=today - timedelta(days=1),
    )
    return {"a": a, "b": b}


def test_list_shows_only_visible_plans(client, company, plans):
    response = client.get("/api/plans", headers=bearer(company["owner"]))
    assert response.status_code == 200
    titles = {row["title"] for row in response.json()["items"]}
    assert titles == {"API plan A"}
    row = response.json()["items"][0]
    assert row["account_name"] == "Alfa Hurt S.A."
    assert row["overdue_action_count"] == 1
    everyone = client.get("/api/plans", headers=bearer(company["head"])).json()["items"]
    assert {row["title"] for row in everyone} == {"API plan A", "API plan B"}


def test_detail_has_objectives_with_progress(client, company, plans):
    response = client.get(f"/api/plans/{plans['a'].pk}", headers=bearer(company["owner"]))
    assert response.status_code == 200
    body = response.json()
    objective = body["objectives"][0]
    assert objective["progress"]["source"] == "ledger"
    assert Decimal(objective["progress"]["current"]) == Decimal("500.00")
    assert body["actions"][0]["is_overdue"] is True
    assert body["reviews"] == []
    hidden = client.get(f"/api/plans/{plans['b'].pk}", headers=bearer(company["owner"]))
    assert hidden.status_code == 404


def test_review_create_sets_health(client, company, plans):
    response = client.post(
        f"/api/plans/{plans['a'].pk}/reviews",
        {"health": "off_track", "comment": "Lost the tender"},
        content_type="application/json",
        headers=bearer(company["owner"]),
    )
    assert response.status_code == 201
    assert response.json()["health"] == "off_track"
    plans["a"].refresh_from_db()
    assert plans["a"].health == "off_track"
    assert AuditEntry.objects.filter(model="plans.PlanReview", via="api").exists()


def test_read_only_roles_get_403_on_writes(client, company, plans):
    action = PlanAction.objects.get()
    before = AuditEntry.objects.count()
    for persona in ("finance", "viewer"):
        review = client.post(
            f"/api/plans/{plans['a'].pk}/reviews",
            {"health": "on_track"},
            content_type="application/json",
            headers=bearer(company[persona]),
        )
        patch = client.patch(
            f"/api/plans/actions/{action.pk}",
            {"status": "done"},
            content_type="application/json",
            headers=bearer(company[persona]),
        )
        assert (review.status_code, patch.status_code) == (403, 403)
    assert AuditEntry.objects.count() == before


def test_action_status_update(client, company, plans):
    action = PlanAction.objects.get()
    response = client.patch(
        f"/api/plans/actions/{action.pk}",
        {"status": "done"},
        content_type="application/json",
        headers=bearer(company["owner"]),
    )
    assert response.status_code == 200
    assert response.json()["done_on"] == str(company["today"])
    assert response.json()["is_overdue"] is False
    other = client.patch(
        f"/api/plans/actions/{action.pk}",
        {"status": "done"},
        content_type="application/json",
        headers=bearer(company["other_kam"]),
    )
    assert other.status_code == 404
    wrong = client.patch(
        f"/api/plans/actions/{action.pk}",
        {"status": "finished"},
        content_type="application/json",
        headers=bearer(company["owner"]),
    )
    assert wrong.status_code == 422


def test_list_flags_overdue_reviews_and_filters_on_them(client, company, plans):
    today = company["today"]
    services.plan_update(actor=company["head"], plan=plans["a"], review_cadence="monthly")
    services.review_record(
        actor=company["head"],
        plan=plans["a"],
        health="at_risk",
        reviewed_on=today - timedelta(days=60),
    )
    rows = client.get("/api/plans", headers=bearer(company["head"])).json()["items"]
    flags = {row["title"]: row["review_overdue"] for row in rows}
    assert flags == {"API plan A": True, "API plan B": False}
    due = client.get("/api/plans?needs_review=true", headers=bearer(company["head"])).json()
    assert [row["title"] for row in due["items"]] == ["API plan A"]
