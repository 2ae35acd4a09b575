"""The portfolio API: same visibility as the pages, 404 for what the caller may not see."""

from __future__ import annotations

import pytest

from openkam.accounts.tests.factories import bearer
from openkam.core.models import Job
from openkam.portfolio.tests import pages_fixtures

scored = pages_fixtures.scored  # the fixture, shared by the portfolio page tests


def get(client, user, path: str):
    return client.get(f"/api/portfolio{path}", headers=bearer(user))


def test_summary_for_the_head_covers_the_company(client, scored):
    body = get(client, scored["head"], "/summary").json()
    assert (body["customers"], body["revenue"]) == (3, "10000.00")
    assert body["top20_share"] == pytest.approx(0.6)
    assert len(body["matrix"]) == 9


def test_summary_for_a_kam_covers_their_customers(client, scored):
    body = get(client, scored["owner"], "/summary").json()
    assert (body["customers"], body["revenue"]) == (1, "4000.00")


def test_account_list_filters_by_cell(client, scored):
    body = get(client, scored["head"], "/accounts?abc=A").json()
    assert [item["name"] for item in body["items"]] == ["Beta Trade", "Alfa Hurt S.A."]
    assert body["items"][0]["score"] == "7.75"


def test_account_list_for_a_kam_holds_only_visible_accounts(client, scored):
    body = get(client, scored["owner"], "/accounts?scope=entity").json()
    assert {item["name"] for item in body["items"]} == {
        "Alfa Hurt S.A.",
        "Alfa Logistyka Sp. z o.o.",
    }


def test_account_detail_explains_the_score(client, scored):
    body = get(client, scored["owner"], f"/accounts/{scored['a'].pk}").json()
    assert body["group"]["revenue"] == "4000.00" and body["entity"]["revenue"] == "3500.00"
    (score,) = body["scores"]
    assert (score["rank"], score["out_of"]) == (2, 3)
    assert [p["criterion"] for p in score["parts"]] == ["revenue_potential", "cultural_fit"]


def test_account_detail_of_an_invisible_account_is_404(client, scored):
    assert get(client, scored["owner"], f"/accounts/{scored['b'].pk}").status_code == 404


def test_models_are_listed_with_normalised_weights(client, scored):
    (model,) = get(client, scored["owner"], "/models").json()
    assert [c["share"] for c in model["criteria"]] == [0.75, 0.25]


def test_head_starts_a_recompute(client, scored):
    response = client.post("/api/portfolio/recompute", headers=bearer(scored["head"]))
    assert response.status_code == 200
    assert Job.objects.get().pk == response.json()["job_id"]


def test_kam_cannot_start_a_recompute(client, scored):
    response = client.post("/api/portfolio/recompute", headers=bearer(scored["owner"]))
    assert response.status_code == 404 and not Job.objects.exists()


def test_account_list_shows_the_companies_of_a_group(client, scored):
    body = get(client, scored["head"], f"/accounts?group={scored['a'].pk}").json()
    assert sorted(item["name"] for item in body["items"]) == [
        "Alfa Hurt S.A.",
        "Alfa Logistyka Sp. z o.o.",
    ]
