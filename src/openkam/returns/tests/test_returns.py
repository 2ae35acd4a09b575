"""Returns on a crafted ledger: value, count and rate to the cent by reason, product line,
account, group and month, per currency; the comparison over what the reader may see."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from openkam.returns import selectors
from openkam.returns.filters import ReturnsFilter, Span, parse
from openkam.returns.tests.ledgers import crafted

D = Decimal
SPAN = Span(date(2025, 12, 1), date(2026, 12, 1))


@pytest.fixture
def ledger(company):
    crafted(company)
    return company


def flt(**kwargs) -> ReturnsFilter:
    return ReturnsFilter(SPAN, **kwargs)


def test_the_default_period_is_the_last_twelve_whole_months(company):
    found, errors = parse({}, company["today"])
    assert (found.span, errors) == (SPAN, [])
    assert parse({}, company["today"], through_today=True)[0].span == Span(
        date(2026, 1, 1), date(2027, 1, 1)
    )


def test_bad_filters_say_what_is_wrong_and_fall_back(company):
    found, errors = parse(
        {"from": "2026-13", "to": "1899-01", "account": "x", "currency": "zloty"},
        company["today"],
    )  # fmt: skip
    assert found == ReturnsFilter(SPAN)
    assert len(errors) == 4
    longest, errors = parse({"from": "2020-01", "to": "2026-11"}, company["today"])
    assert longest.span == SPAN and "at most 60 months" in errors[0]
    chosen, errors = parse({"from": "2026-03", "to": "2026-04", "currency": "eur"},
                           company["today"])  # fmt: skip
    assert (chosen.span, chosen.currency, errors) == (
        Span(date(2026, 3, 1), date(2026, 5, 1)),
        "EUR",
        [],
    )


def test_summary_per_currency_for_the_owner_and_for_the_head(ledger):
    pln, eur = selectors.summary(ledger["owner"], flt())[::-1]
    assert (pln.currency, pln.sales, pln.returned, pln.count, pln.rate) == (
        "PLN",
        D("4500.00"),
        D("190.00"),
        4,
        D("4.22"),
    )
    assert (eur.sales, eur.returned, eur.count, eur.rate) == (
        D("400.00"),
        D("40.00"),
        1,
        D("10.00"),
    )
    head = {f.currency: f for f in selectors.summary(ledger["head"], flt())}
    assert (head["PLN"].sales, head["PLN"].returned, head["PLN"].rate) == (
        D("5500.00"),
        D("690.00"),
        D("12.55"),
    )


def test_the_comparison_covers_only_the_accounts_the_reader_sees(ledger):
    one = flt(account_id=ledger["a1"].pk)
    assert selectors.summary(ledger["owner"], one)[0].rate == D("1.00")
    assert selectors.comparison(ledger["owner"], one)["PLN"].rate == D("4.22")  # not B's
    assert selectors.comparison(ledger["head"], one)["PLN"].rate == D("12.55")
    assert selectors.comparison_label(ledger["owner"]) == "your accounts"
    assert selectors.comparison_label(ledger["head"]) == "company"
    # Another KAM sees nothing of A: the filter finds no lines.
    assert selectors.summary(ledger["other_kam"], flt(account_id=ledger["a"].pk)) == []


def test_by_reason_merges_spaces_and_shares_each_currency(ledger):
    rows = [(r.label, r.currency, r.returned, r.count, r.share)
            for r in selectors.by_reason(ledger["owner"], flt())]  # fmt: skip
    assert rows == [
        ("Expired", "EUR", D("40.00"), 1, D("100.00")),
        ("Damaged in transport", "PLN", D("130.00"), 2, D("68.42")),
        ("Wrong item", "PLN", D("50.00"), 1, D("26.32")),
        ("Not ordered", "PLN", D("10.00"), 1, D("5.26")),
    ]
    head = {r.label for r in selectors.by_reason(ledger["head"], flt())}
    assert "Quality complaint" in head


def test_by_product_line(ledger):
    rows = [(r.label, r.figures.currency, r.figures.sales, r.figures.returned, r.figures.rate)
            for r in selectors.by_product_line(ledger["owner"], flt())]  # fmt: skip
    assert rows == [
        ("Flour", "EUR", D("400.00"), D("40.00"), D("10.00")),
        ("Flour", "PLN", D("3000.00"), D("130.00"), D("4.33")),
        ("Sugar", "PLN", D("1500.00"), D("60.00"), D("4.00")),
    ]
    sugar = selectors.summary(ledger["owner"], flt(product_line="Sugar"))
    assert [(f.sales, f.returned, f.rate) for f in sugar] == [(D("1500.00"), D("60.00"), D("4.00"))]


def test_worst_accounts_against_the_comparison(ledger):
    rows = [(r.name, r.figures.currency, r.figures.rate, r.comparison_rate, r.excess)
            for r in selectors.by_account(ledger["owner"], flt())]  # fmt: skip
    assert rows == [
        ("Alfa Hurt S.A.", "EUR", D("10.00"), D("10.00"), D("0.00")),
        ("Alfa Hurt S.A.", "PLN", D("5.14"), D("4.22"), D("32.30")),
        ("Alfa Logistyka Sp. z o.o.", "PLN", D("1.00"), D("4.22"), D("-32.20")),
    ]
    head = [r.name for r in selectors.by_account(ledger["head"], flt())]
    assert head[0] == "Beta Trade"


def test_a_group_rolls_up_the_members_the_reader_sees(ledger):
    rows = [(r.name, r.is_group, r.figures.currency, r.figures.sales, r.figures.rate,
             r.figures.count) for r in selectors.by_account(ledger["owner"], flt(), groups=True)]  # fmt: skip
    assert rows == [
        ("Alfa Hurt S.A.", True, "EUR", D("400.00"), D("10.00"), 1),
        ("Alfa Hurt S.A.", True, "PLN", D("4500.00"), D("4.22"), 4),  # A's 3 lines, A1's 1
    ]


def test_monthly_has_every_month_of_each_currency(ledger):
    rows = selectors.monthly(ledger["owner"], flt(currency="PLN"))
    assert [r.month for r in rows] == SPAN.months and len(rows) == 12
    by_month = {r.month: r.figures for r in rows}
    march, april = by_month[date(2026, 3, 1)], by_month[date(2026, 4, 1)]
    assert (march.sales, march.returned, march.count, march.rate) == (
        D("2500.00"),
        D("160.00"),
        3,
        D("6.40"),
    )
    assert (april.sales, april.returned, april.rate) == (D("2000.00"), D("30.00"), D("1.50"))
    assert by_month[date(2026, 1, 1)] == selectors.Figures("PLN", D(0), D(0), 0)
    assert len(selectors.monthly(ledger["owner"], flt())) == 24  # EUR and PLN


def test_the_account_view_compares_the_account_and_its_group(ledger):
    view = selectors.account_view(ledger["owner"], ledger["a1"], SPAN)
    assert [(f.currency, f.rate) for f in view.account] == [("PLN", D("1.00"))]
    assert [(f.currency, f.rate) for f in view.group] == [("EUR", D("10.00")), ("PLN", D("4.22"))]
    assert view.comparison["PLN"].rate == D("4.22")
    assert [r.label for r in view.reasons] == ["Not ordered"]
    alone = selectors.account_view(ledger["other_kam"], ledger["b"], SPAN)
    assert alone.group == [] and alone.comparison["PLN"].rate == D("50.00")


def test_the_account_view_of_whoever_sees_everything(ledger):
    view = selectors.account_view(ledger["head"], ledger["a1"], SPAN)
    # The group is A and A1 only, B's lines are in the comparison (the company) alone.
    assert [(f.currency, f.sales, f.returned, f.count) for f in view.group] == [
        ("EUR", D("400.00"), D("40.00"), 1), ("PLN", D("4500.00"), D("190.00"), 4),
    ]  # fmt: skip
    assert (view.comparison["PLN"].rate, view.comparison_label) == (D("12.55"), "company")
