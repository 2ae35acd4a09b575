"""Journey 2 in headless Chromium: the head opens the portfolio, clicks an ABC-XYZ cell and
sees its customers; runs a key-account review, accepts a promotion, and the account is Key."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def scored_sales(sales):
    """The personas' sales scored under a revenue model: the Alfa group ranks first."""
    from openkam.portfolio.models import AccountMetrics, Scope, ScoringCriterion, ScoringModel
    from openkam.portfolio.recompute import recompute_portfolio

    model = ScoringModel.objects.create(name="Revenue only", is_default=True)
    ScoringCriterion.objects.create(
        scoring_model=model, criterion="revenue_potential", weight=1, metric="revenue"
    )
    recompute_portfolio(today=sales["today"])
    alfa = AccountMetrics.objects.get(account=sales["a"], scope=Scope.GROUP)
    return {**sales, "model": model, "alfa_cell": alfa.abc + alfa.xyz}


def test_head_clicks_an_abc_xyz_cell_and_sees_its_customers(
    page, login, scored_sales, page_problems, shot
):
    cell = scored_sales["alfa_cell"]
    login("head")
    page.goto(reverse("portfolio:analysis"))
    link = page.locator(f'a[data-cell="{cell}"]')
    with page.expect_navigation():
        link.click()
    query = parse_qs(urlsplit(page.url).query)
    assert urlsplit(page.url).path == reverse("portfolio:accounts")
    assert (query["abc"], query["xyz"]) == ([cell[0]], [cell[1]])
    expect(page.locator("main")).to_contain_text("Alfa Hurt S.A.")
    expect(page.locator("main")).not_to_contain_text("Gamma Retail")  # no sales: another cell
    shot("portfolio-cell-accounts")
    assert page_problems.js_errors == []
    assert page_problems.external_requests == []


def test_head_runs_a_review_and_accepts_a_promotion(page, login, scored_sales, page_problems, shot):
    alfa = scored_sales["a"]
    login("head")
    page.goto(reverse("reviews:list"))
    page.fill("#id_kam_count", "1")
    page.fill("#id_max_per_kam", "1")
    with page.expect_navigation():
        page.get_by_role("button", name="Run the review").click()
    expect(page.locator("#proposed-size")).to_contain_text("1 / 1")

    row = page.locator("#section-promote tr.rv-item", has_text="Alfa Hurt S.A.")
    expect(row).to_contain_text("Pending")
    row.get_by_role("button", name="Accept").click()  # htmx swaps the row in place
    decided = page.locator("#section-promote tr.rv-item", has_text="Alfa Hurt S.A.")
    expect(decided).to_contain_text("Accepted")
    expect(decided).to_contain_text(str(scored_sales["head"]))  # who decided
    expect(page.locator("#decided-count")).to_contain_text("1 / 1")  # updated out of band
    shot("review-accepted")

    with page.expect_navigation():
        decided.get_by_role("link", name="Alfa Hurt S.A.").click()
    assert urlsplit(page.url).path == reverse("accounts:detail", args=[alfa.pk])
    expect(page.get_by_role("heading", level=1)).to_contain_text("Key")
    assert page_problems.js_errors == []
    assert page_problems.failed_responses == []


def test_override_without_a_reason_keeps_the_row_pending_with_the_error(page, login, scored_sales):
    login("head")
    page.goto(reverse("reviews:list"))
    page.fill("#id_kam_count", "1")
    page.fill("#id_max_per_kam", "1")
    with page.expect_navigation():
        page.get_by_role("button", name="Run the review").click()
    row = page.locator("#section-promote tr.rv-item", has_text="Alfa Hurt S.A.")
    row.locator("summary", has_text="Override").click()
    row.get_by_role("button", name="Save override").click()
    again = page.locator("#section-promote tr.rv-item", has_text="Alfa Hurt S.A.")
    expect(again).to_contain_text("An override needs a reason.")
    expect(again).to_contain_text("Pending")


def test_head_sees_each_kams_load_on_the_board(page, login, scored_sales, shot):
    login("head")
    page.goto(reverse("reviews:board"))
    owner_card = page.locator('article[data-kam="owner"]')
    expect(owner_card).to_contain_text("Accounts")
    expect(page.locator('article[data-kam="other"]')).to_be_visible()
    shot("board")


def test_head_without_scores_is_offered_the_computation(page, login, sales, shot):
    login("head")
    page.goto(reverse("reviews:list"))
    expect(page.get_by_role("status")).to_contain_text("No scoring model yet")
    with page.expect_navigation():
        page.get_by_role("button", name="Compute scores now").click()
    expect(page.locator(".messages")).to_contain_text("Scores are being computed")
    expect(page.locator("#start-review")).to_have_attribute("hx-trigger", "every 3s")
    shot("reviews-no-scores")


def test_head_moves_an_account_on_the_board_and_the_load_follows(page, login, scored_sales):
    from openkam.accounts.models import Assignment

    beta = scored_sales["b"]
    login("head")
    page.goto(reverse("reviews:board") + f"?account={beta.pk}")
    expect(page.locator('article[data-kam="owner"] dd').first).to_have_text("1")
    page.select_option("#id_to_user", str(scored_sales["owner"].pk))
    with page.expect_navigation():
        page.get_by_role("button", name="Reassign").click()
    expect(page.locator(".messages")).to_contain_text("Beta Trade given to")
    expect(page.locator('article[data-kam="owner"] dd').first).to_have_text("2")
    history = Assignment.objects.filter(account=beta, role="owner").order_by("starts_on", "pk")
    assert [row.user.username for row in history] == ["other", "owner"]
