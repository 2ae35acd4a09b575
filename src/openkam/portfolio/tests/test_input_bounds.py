"""The portfolio pages and API with out-of-range query values (a group or model id no
column holds was a 500), and the summary's account count, which told a KAM how many
accounts the whole company has."""

from __future__ import annotations

import pytest

from openkam.accounts.tests.factories import bearer
from openkam.portfolio.tests import pages_fixtures

scored = pages_fixtures.scored  # the fixture, shared by the portfolio page tests
HUGE = str(2**63)


@pytest.mark.parametrize("params", [{"group": HUGE}, {"model": HUGE}, {"group": "²"}])
def test_the_portfolio_pages_ignore_ids_no_column_holds(client, scored, params):
    client.force_login(scored["owner"])
    assert client.get("/portfolio/accounts/", params).status_code == 200
    assert client.get("/portfolio/export.csv", params).status_code == 200


def test_the_api_refuses_ids_no_column_holds(client, scored):
    response = client.get(
        "/api/portfolio/accounts", {"group": HUGE}, headers=bearer(scored["owner"])
    )
    assert response.status_code == 422


def test_the_summary_counts_only_the_accounts_the_caller_sees(client, scored):
    def accounts(user) -> int:
        body = client.get("/api/portfolio/summary", headers=bearer(user)).json()
        return body["run"]["accounts"]

    assert accounts(scored["owner"]) == 2  # A and its subsidiary A1
    assert accounts(scored["head"]) == scored["run"].accounts > 2
