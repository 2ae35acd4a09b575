"""The promotions one account takes part in: all of them, or those still running or to
come (the account panel), each with its progress."""

from datetime import date
from decimal import Decimal as D

from openkam.promotions import selectors
from openkam.promotions.tests.factories import product, promotion, sell

TODAY = date(2026, 12, 2)  # the fixed clock


def test_the_account_panel_leaves_out_the_promotions_that_ended(company):
    a = company["a"]
    promotion("October push", starts_on=date(2026, 10, 1), ends_on=date(2026, 10, 31))
    promotion("Ends today", starts_on=date(2026, 11, 1), ends_on=TODAY)
    promotion("Next year", starts_on=date(2027, 1, 1), ends_on=date(2027, 1, 31))
    promotion("Only B", audience="accounts", accounts=[company["b"]])
    sell(a, date(2026, 10, 5), product("CAB-1"), "1", "100.00")
    every = {row.promotion.name: row.turnover for row in selectors.account_progress(a, TODAY)}
    assert every == {"October push": D("100.00"), "Ends today": D("0.00"), "Next year": D("0.00")}
    current = selectors.account_progress(a, TODAY, since=TODAY)
    assert {row.promotion.name for row in current} == {"Ends today", "Next year"}
    assert {p.name for p in selectors.for_account(a, since=date(2026, 12, 3))} == {"Next year"}


def test_progress_below_the_threshold_is_not_reached(company):
    a = company["a"]
    promotion("Winter bonus", threshold_amount=D("2000"))
    sell(a, date(2026, 11, 5), product("CAB-1"), "1", "1500.00")
    (row,) = selectors.account_progress(a, TODAY)
    assert (row.threshold, row.measured, row.reached, row.capped) == (
        D("2000"), D("1500.00"), False, False,
    )  # fmt: skip
    assert not row.by_quantity


def test_a_promotion_starting_today_counts_todays_lines(company):
    a = company["a"]
    promotion("From today", starts_on=TODAY, ends_on=date(2026, 12, 11))
    sell(a, TODAY, product("CAB-1"), "2", "100.00")
    (row,) = selectors.account_progress(a, TODAY)
    # One day of ten gone: 100.00 so far runs to 1000.00, 3 % of it.
    assert (row.turnover, row.projected_turnover, row.projected_bonus) == (
        D("100.00"), D("1000.00"), D("30.00"),
    )  # fmt: skip


def test_a_quantity_is_projected_unrounded(company):
    a = company["a"]
    promotion("Quantity", threshold_quantity=D("30"), bonus_pct=None, bonus_amount=D("50.00"))
    sell(a, date(2026, 11, 5), product("CAB-1"), "12", "100.00")
    (row,) = selectors.account_progress(a, TODAY)
    # 32 of 61 days gone: 12 * 61 / 32 = 22.875 pieces by the end.
    assert (row.by_quantity, row.projected, row.projected_bonus) == (True, D("22.875"), D("0"))
