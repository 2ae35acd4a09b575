"""Returns at the edges: the span's bounds, lines without a reason or a product line, ties
in the orders, groups whose head the reader does not see, and the account view's top
reasons per currency."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from openkam.returns import selectors
from openkam.returns.filters import ReturnsFilter, Span
from openkam.returns.tests.ledgers import invoice

D = Decimal
SPAN = Span(date(2026, 3, 1), date(2026, 5, 1))


def flt(**kwargs) -> ReturnsFilter:
    return ReturnsFilter(SPAN, **kwargs)


def test_the_span_holds_its_first_day_and_not_its_end(company):
    a = company["a"]
    invoice(a, date(2026, 2, 28), ("Flour", "1000.00"), ("Flour", "-1000.00", "Before"))
    invoice(a, date(2026, 3, 1), ("Flour", "200.00"), ("Flour", "-20.00", "First day"))
    invoice(a, date(2026, 4, 30), ("Flour", "100.00"), ("Flour", "-10.00", "Last day"))
    invoice(a, date(2026, 5, 1), ("Flour", "1000.00"), ("Flour", "-1000.00", "After"))
    (pln,) = selectors.summary(company["head"], flt())
    assert (pln.sales, pln.returned, pln.count, pln.rate) == (D("300.00"), D("30.00"), 2, D("10.00"))
    assert {row.label for row in selectors.by_reason(company["head"], flt())} == {
        "First day", "Last day",
    }  # fmt: skip


def test_lines_of_chosen_accounts(company):
    a, a1, b = company["a"], company["a1"], company["b"]
    invoice(a, date(2026, 3, 10), ("Flour", "100.00"))
    invoice(a1, date(2026, 3, 10), ("Flour", "200.00"))
    invoice(b, date(2026, 3, 10), ("Flour", "400.00"))
    chosen = selectors.summary(company["head"], flt(account_ids=(a.pk, b.pk)))
    assert [f.sales for f in chosen] == [D("500.00")]
    assert selectors.summary(company["head"], flt(account_ids=())) == []


def test_no_rate_without_sales():
    assert selectors.rate_of(D("10"), D("0")) is None
    assert selectors.rate_of(D("10"), D("-5")) is None
    assert selectors.rate_of(D("1"), D("3")) == D("33.33")
    assert selectors.rate_of(D("0.10"), D("0.50")) == D("20.00")  # sales under one unit
    row = selectors.AccountRow(1, "A", False, selectors.Figures("PLN", D(100), D(5), 1), None)
    assert row.excess == D(0)


def test_a_return_without_reason_or_product_line_is_named_so(company):
    a = company["a"]
    invoice(a, date(2026, 3, 10), ("", "300.00"), ("", "-30.00"), ("Flour", "-30.00", "Zeta"),
            ("Flour", "-30.00", "Alpha"), ("Flour", "-10.00", "   "))  # fmt: skip
    reasons = [(r.reason, r.label, r.returned, r.count)
               for r in selectors.by_reason(company["owner"], flt())]  # fmt: skip
    assert reasons == [
        ("", "no reason given", D("40.00"), 2),
        ("Alpha", "Alpha", D("30.00"), 1),
        ("Zeta", "Zeta", D("30.00"), 1),
    ]
    lines = [(r.product_line, r.label) for r in selectors.by_product_line(company["owner"], flt())]
    assert lines == [("Flour", "Flour"), ("", "no product line")]


def test_accounts_with_the_same_rate_by_returned_value_then_name(company):
    a, b, c = company["a"], company["b"], company["c"]
    invoice(c, date(2026, 3, 10), ("Flour", "1000.00"), ("Flour", "-100.00", "x"))
    invoice(b, date(2026, 3, 10), ("Flour", "100.00"), ("Flour", "-10.00", "x"))
    invoice(a, date(2026, 3, 10), ("Flour", "100.00"), ("Flour", "-10.00", "x"))
    invoice(company["a1"], date(2026, 3, 10), ("Flour", "100.00"))  # no returns: not listed
    rows = [(r.name, r.figures.rate) for r in selectors.by_account(company["head"], flt())]
    assert rows == [
        ("Gamma Retail", D("10.00")),
        ("Alfa Hurt S.A.", D("10.00")),
        ("Beta Trade", D("10.00")),
    ]


def test_a_member_whose_head_is_hidden_stands_alone(company):
    from openkam.accounts import services as accounts

    a, a1 = company["a"], company["a1"]
    accounts.assignment_start(actor=company["head"], account=a1, user=company["other_kam"],
                              starts_on=company["today"] - timedelta(days=400))  # fmt: skip
    invoice(a, date(2026, 3, 10), ("Flour", "100.00"), ("Flour", "-50.00", "x"))
    invoice(a1, date(2026, 3, 10), ("Flour", "100.00"), ("Flour", "-10.00", "x"))
    rows = selectors.by_account(company["other_kam"], flt(), groups=True)
    assert [(r.account_id, r.name, r.is_group, r.figures.returned) for r in rows] == [
        (a1.pk, a1.name, False, D("10.00"))
    ]
    # The head's reader sees the group named by its head.
    rows = selectors.by_account(company["head"], flt(), groups=True)
    assert [(r.account_id, r.is_group, r.figures.returned) for r in rows] == [
        (a.pk, True, D("60.00"))
    ]


def test_a_group_of_one_member_under_its_head_is_a_group(company):
    a, a1 = company["a"], company["a1"]
    invoice(a1, date(2026, 3, 10), ("Flour", "100.00"), ("Flour", "-10.00", "x"))
    (row,) = selectors.by_account(company["owner"], flt(), groups=True)
    assert (row.account_id, row.name, row.is_group) == (a.pk, a.name, True)
    (alone,) = selectors.by_account(company["owner"], flt())
    assert (alone.account_id, alone.is_group) == (a1.pk, False)


def test_the_account_view_lists_the_top_reasons_of_each_currency(company):
    a = company["a"]
    invoice(a, date(2026, 3, 10), ("Flour", "1000.00"), ("Flour", "-40.00", "One"),
            ("Flour", "-30.00", "Two"), ("Flour", "-20.00", "Three"),
            ("Flour", "-10.00", "Four"))  # fmt: skip
    invoice(a, date(2026, 3, 10), ("Flour", "100.00"), ("Flour", "-5.00", "Euro"),
            currency="EUR")  # fmt: skip
    view = selectors.account_view(company["owner"], a, SPAN)
    assert [(r.currency, r.label) for r in view.reasons] == [
        ("EUR", "Euro"), ("PLN", "One"), ("PLN", "Two"), ("PLN", "Three"),
    ]  # fmt: skip
    two = selectors.account_view(company["owner"], a, SPAN, top=1)
    assert [r.label for r in two.reasons] == ["Euro", "One"]
    assert view.comparison_label == "your accounts"
    assert view.span == SPAN
    # A and A1 are a group the owner sees.
    assert [f.currency for f in view.group] == ["EUR", "PLN"]


def test_an_account_with_returns_under_one_zloty_is_listed(company):
    invoice(company["a"], date(2026, 3, 10), ("Flour", "100.00"), ("Flour", "-0.50", "Dented"))
    (row,) = selectors.by_account(company["owner"], flt())
    assert (row.name, row.figures.returned, row.figures.rate) == (
        "Alfa Hurt S.A.", D("0.50"), D("0.50"),
    )  # fmt: skip


def test_returns_without_sales_have_no_rate(company):
    invoice(company["a"], date(2026, 3, 10), ("Flour", "-20.00", "Damaged"))
    (pln,) = selectors.summary(company["owner"], flt())
    assert (pln.sales, pln.returned, pln.count, pln.rate) == (D("0.00"), D("20.00"), 1, None)


def test_an_account_with_returns_and_no_sales_comes_after_any_rate(company):
    invoice(company["a"], date(2026, 3, 10), ("Flour", "-20.00", "Damaged"))
    invoice(company["b"], date(2026, 3, 10), ("Flour", "200.00"), ("Flour", "-1.00", "Dented"))
    rows = [(r.name, r.figures.rate) for r in selectors.by_account(company["head"], flt())]
    assert rows == [("Beta Trade", D("0.50")), ("Alfa Hurt S.A.", None)]
