"""Query values and API bodies out of range on the account pages and API: each was a 500
(an owner id or page no column holds, a 60,000-character search, a null where the
dossier keeps text); now ignored on pages, 422 from the API, and nothing is stored."""

from __future__ import annotations

import pytest

from openkam.accounts.tests.factories import bearer

HUGE = str(2**63)


@pytest.mark.parametrize("params", [{"owner": HUGE}, {"page": HUGE}, {"owner": "²"}])
def test_the_account_list_ignores_ids_no_column_holds(client, company, params):
    client.force_login(company["owner"])
    response = client.get("/accounts/", params)
    assert response.status_code == 200
    assert company["a"].name in response.content.decode()


def test_the_api_refuses_a_search_longer_than_it_reads(client, company):
    headers = bearer(company["owner"])
    assert client.get("/api/accounts", {"q": "x" * 60_000}, headers=headers).status_code == 422
    assert client.get("/api/accounts", {"q": "x" * 200}, headers=headers).status_code == 200


@pytest.mark.parametrize("field", ["region", "industry", "name"])
def test_the_api_refuses_null_for_a_dossier_field(client, company, field):
    response = client.patch(
        f"/api/accounts/{company['a'].pk}",
        {"city": "Nowhere", field: None},
        content_type="application/json",
        headers=bearer(company["owner"]),
    )
    assert response.status_code == 422
    company["a"].refresh_from_db()
    assert company["a"].city != "Nowhere"
