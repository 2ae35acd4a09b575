"""The issue's journey in real headless Chromium: a KAM, their account, its chart, and
another KAM's account that does not exist for them."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .chart import CHART, drawn_bar_count, plotted_total
from .data import ALFA_GROUP_TOTAL, ALFA_MONTHS_BACK

pytestmark = pytest.mark.browser


def detail_url(account) -> str:
    return reverse("accounts:detail", args=[account.pk])


def test_kam_opens_own_account_sees_its_chart_and_gets_404_for_another_kams(
    page, login, sales, page_problems
):
    login("owner")
    page.goto(reverse("accounts:list"))
    accounts_table = page.locator("table")
    expect(accounts_table).to_contain_text("Alfa Hurt S.A.")
    expect(accounts_table).not_to_contain_text("Beta Trade")

    with page.expect_navigation():
        accounts_table.get_by_role("link", name="Alfa Hurt S.A.", exact=True).click()
    assert urlsplit(page.url).path == detail_url(sales["a"])
    expect(page.get_by_role("heading", level=1)).to_contain_text("Alfa Hurt S.A.")
    page.wait_for_selector(f"{CHART} .main-svg")
    assert drawn_bar_count(page) == len(ALFA_MONTHS_BACK)

    response = page.goto(detail_url(sales["b"]))
    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text("Beta Trade")

    assert page_problems.js_errors == []
    assert page_problems.external_requests == []


def test_group_roots_chart_plots_the_whole_groups_invoiced_revenue(page, login, sales):
    login("owner")
    page.goto(detail_url(sales["a"]))
    page.wait_for_selector(f"{CHART} .main-svg")
    assert plotted_total(page) == pytest.approx(float(ALFA_GROUP_TOTAL))


def test_another_kams_account_answers_exactly_like_a_missing_one(page, login, sales):
    login("owner")
    foreign = page.goto(detail_url(sales["b"]))
    foreign_text = page.locator("body").inner_text()
    missing = page.goto(reverse("accounts:detail", args=[sales["b"].pk + 10_000]))
    assert (foreign.status, missing.status) == (404, 404)
    assert page.locator("body").inner_text() == foreign_text


def test_account_page_loads_its_scripts_and_styles_from_our_own_server(
    page, login, sales, page_problems, shot
):
    login("owner")
    page.goto(detail_url(sales["a"]))
    page.wait_for_selector(f"{CHART} .main-svg")
    page.wait_for_load_state("networkidle")
    shot("account-page")
    static_failures = [
        failure for failure in page_problems.failed_responses if "/static/" in failure
    ]
    assert static_failures == []
    assert page_problems.external_requests == []
    assert page_problems.js_errors == []


def test_anonymous_visitor_is_sent_to_the_login_page(page, sales):
    page.goto(detail_url(sales["a"]))
    assert urlsplit(page.url).path == reverse("login")
    expect(page.locator("body")).not_to_contain_text("Alfa Hurt S.A.")
