"""The contracts API: lists and reads follow visibility; writes need a role that edits the
account's work (403 for finance and viewers on a contract they see, 404 for a hidden one)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from openkam.accounts.tests.factories import bearer
from openkam.contracts.models import Contract
from openkam.contracts.tests.factories import add_line, make_contract
from openkam.core.models import AuditEntry

NEW = {
    "number": "API/1",
    "kind": "supply",
    "starts_on": "2026-01-01",
    "ends_on": "2027-12-31",
    "notice_period": 3,
    "commitment_amount": "90000.00",
    "commitment_currency": "PLN",
}


@pytest.fixture
def contracts(company):
    a = make_contract(
        company,
        "a",
        number="API/A",
        ends_on=date(2027, 2, 28),
        notice_period=1,
        commitment_amount=Decimal("100000"),
        commitment_currency="PLN",
    )
    add_line(company["a"], date(2026, 6, 1), "30000.00")
    b = make_contract(company, "b", number="API/B", ends_on=date(2027, 6, 30))
    return {"a": a, "b": b}


def _post(client, company, who, path, body):
    return client.post(path, body, content_type="application/json", headers=bearer(company[who]))


def _patch(client, company, who, path, body):
    return client.patch(path, body, content_type="application/json", headers=bearer(company[who]))


def test_the_list_shows_only_visible_contracts_with_their_figures(client, company, contracts):
    response = client.get("/api/contracts", headers=bearer(company["owner"]))
    assert response.status_code == 200
    rows = response.json()["items"]
    assert [row["number"] for row in rows] == ["API/A"]
    row = rows[0]
    assert row["account_name"] == "Alfa Hurt S.A."
    assert row["notice_on"] == "2027-01-28" and row["term_end"] == "2027-02-28"
    assert row["deadline"] == {"kind": "notice", "on": "2027-01-28", "days_left": 57}
    assert row["alert"] == {"offset": 60, "days_left": 57}
    progress = row["progress"]
    assert progress["invoiced"] == "30000.00" and progress["commitment"] == "100000.00"
    assert progress["at_risk"] is True and progress["other_currencies"] == []
    head = client.get("/api/contracts?at_risk=true", headers=bearer(company["head"])).json()
    assert [row["number"] for row in head["items"]] == ["API/A"]
    ending = client.get("/api/contracts?ending_within=30", headers=bearer(company["head"]))
    assert ending.json()["items"] == []


def test_detail_and_a_hidden_contract_answers_404(client, company, contracts):
    pk = contracts["a"].pk
    body = client.get(f"/api/contracts/{pk}", headers=bearer(company["finance"])).json()
    assert body["number"] == "API/A" and body["files"] == [] and body["notes"] == ""
    hidden = client.get(f"/api/contracts/{pk}", headers=bearer(company["other_kam"]))
    missing = client.get(f"/api/contracts/{pk + 1000}", headers=bearer(company["other_kam"]))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_the_owner_creates_and_updates(client, company, contracts):
    response = _post(
        client, company, "owner", "/api/contracts", NEW | {"account_id": company["a"].pk}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["number"], body["status"], body["commitment_amount"]) == (
        "API/1",
        "draft",
        "90000.00",
    )
    pk = body["id"]
    response = _patch(
        client,
        company,
        "owner",
        f"/api/contracts/{pk}",
        {"status": "active", "ends_on": None, "commitment_period": "year"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["ends_on"] is None
    assert AuditEntry.objects.filter(
        model="contracts.Contract", object_id=str(pk), via="api", action="update"
    ).exists()


def test_bad_bodies_get_422_with_the_field(client, company, contracts):
    path = f"/api/contracts/{contracts['a'].pk}"
    response = _patch(client, company, "owner", path, {"ends_on": "2025-01-01"})
    assert response.status_code == 422
    assert {"loc": ["body", "ends_on"], "msg": "The end date is before the start date."} in (
        response.json()["detail"]
    )
    assert _patch(client, company, "owner", path, {"number": None}).status_code == 422
    assert _patch(client, company, "owner", path, {"discount_pct": "101"}).status_code == 422
    assert _patch(client, company, "owner", path, {"renewal_months": 10**9}).status_code == 422
    assert _patch(client, company, "owner", path, {"surprise": 1}).status_code == 422
    body = NEW | {"account_id": company["a"].pk, "number": "API/A"}
    response = _post(client, company, "owner", "/api/contracts", body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "number"]


@pytest.mark.parametrize("who", ["finance", "viewer"])
def test_read_only_roles_get_403_on_writes(client, company, contracts, who):
    path = f"/api/contracts/{contracts['a'].pk}"
    assert _patch(client, company, who, path, {"notes": "x"}).status_code == 403
    body = NEW | {"account_id": company["a"].pk}
    assert _post(client, company, who, "/api/contracts", body).status_code == 403
    assert Contract.objects.count() == 2


def test_another_kam_gets_404_on_writes(client, company, contracts):
    path = f"/api/contracts/{contracts['a'].pk}"
    assert _patch(client, company, "other_kam", path, {"notes": "x"}).status_code == 404
    body = NEW | {"account_id": company["a"].pk}
    assert _post(client, company, "other_kam", "/api/contracts", body).status_code == 404
    assert Contract.objects.count() == 2
