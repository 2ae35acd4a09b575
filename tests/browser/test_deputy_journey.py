"""Journey 9: a KAM on holiday; the deputy works their accounts for exactly that period,
and every change the deputy makes is recorded under the deputy's own name."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_deputy_edits_the_absent_kams_account_under_their_own_name(page, login, company):
    login("deputy")
    page.goto(reverse("accounts:list"))
    with page.expect_navigation():
        page.locator("#account-results").get_by_role("link", name="Alfa Hurt S.A.").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Edit dossier").click()
    page.fill("#id_city", "Gdańsk")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    latest_change = page.locator("#history tbody tr").first
    expect(latest_change).to_contain_text("Gdańsk")
    expect(latest_change).to_contain_text("Deputy")
    expect(latest_change).not_to_contain_text("Owner")


def test_deputy_whose_period_ended_gets_404_for_the_account(page, login, company):
    login("pastdeputy")
    response = page.goto(reverse("accounts:detail", args=[company["a"].pk]))
    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text("Alfa Hurt S.A.")
