"""Refusals from lost opportunities: by reason (each record once), by competitor (each
competitor that won it), by month, per currency; never an account the reader cannot see."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from openkam.opportunities import services
from openkam.opportunities.models import Opportunity, Stage
from openkam.returns import refusals
from openkam.returns.filters import Span
from openkam.returns.refusals import RefusalFilter, RefusalRow
from openkam.workspace import services as rivals

D = Decimal
SPAN = Span(date(2026, 1, 1), date(2027, 1, 1))


def lose(company, key, title, value, currency, reason, names=(), closed=date(2026, 11, 20)):
    account = company[key]
    found = []
    for name in names:
        rival = rivals.competitor_get_or_create(actor=None, name=name)
        if not account.competitors.filter(competitor=rival).exists():
            rivals.account_competitor_add(actor=None, account=account, competitor=rival)
        found.append(rival)
    deal = services.opportunity_create(
        actor=None, account=account, title=title, value=D(value), currency=currency,
        expected_close=company["today"] + timedelta(days=10), competitors=found,
    )  # fmt: skip
    services.opportunity_move(
        actor=None, opportunity=deal, stage=Stage.objects.get(code="lost"), lost_reason=reason
    )
    Opportunity.objects.filter(pk=deal.pk).update(closed_on=closed)
    return deal


@pytest.fixture
def lost(company):
    lose(company, "a", "Deal one", "1000.00", "PLN", "price", ("Xeno Foods", "Ypsilon"))
    lose(company, "a", "Deal two", "500.00", "PLN", "competitor", ("Xeno Foods",),
         closed=date(2026, 10, 3))  # fmt: skip
    lose(company, "a1", "Deal three", "200.00", "EUR", "no_budget")
    lose(company, "b", "Deal four", "9000.00", "PLN", "price", ("Zeta Secret",))
    lose(company, "a", "Deal last year", "700.00", "PLN", "price", closed=date(2025, 6, 1))
    services.opportunity_create(
        actor=None, account=company["a"], title="Still open", value=D("50.00"),
        currency="PLN", expected_close=company["today"],
    )  # fmt: skip
    return company


def rows_for(user, **kwargs) -> list[RefusalRow]:
    return refusals.refusal_rows(user, RefusalFilter(SPAN, **kwargs))


def test_a_lost_opportunity_gives_a_row_per_competitor(lost):
    rows = rows_for(lost["owner"])
    assert sorted((r.title, r.competitor or "") for r in rows) == [
        ("Deal one", "Xeno Foods"), ("Deal one", "Ypsilon"), ("Deal three", ""),
        ("Deal two", "Xeno Foods"),
    ]  # fmt: skip
    one = next(r for r in rows if r.title == "Deal one")
    assert (one.source, one.reason, one.reason_label, one.day) == (
        "opportunity",
        "price",
        "price",
        date(2026, 11, 20),
    )
    assert one.url == f"/opportunities/{one.key.split(':')[1]}/"


def test_by_reason_counts_each_record_once(lost):
    found = [(t.label, t.currency, t.count, t.value, t.share)
             for t in refusals.by_reason(rows_for(lost["owner"]))]  # fmt: skip
    assert found == [
        ("no budget", "EUR", 1, D("200.00"), D("100.00")),
        ("price", "PLN", 1, D("1000.00"), D("66.67")),
        ("lost to a competitor", "PLN", 1, D("500.00"), D("33.33")),
    ]
    head = {
        (t.key, t.currency): (t.count, t.value) for t in refusals.by_reason(rows_for(lost["head"]))
    }
    assert head[("price", "PLN")] == (2, D("10000.00"))


def test_by_competitor_counts_each_competitor_that_won(lost):
    found = [(t.label, t.currency, t.count, t.value, t.share)
             for t in refusals.by_competitor(rows_for(lost["owner"]))]  # fmt: skip
    assert found == [
        ("no competitor named", "EUR", 1, D("200.00"), D("100.00")),
        ("Xeno Foods", "PLN", 2, D("1500.00"), D("60.00")),
        ("Ypsilon", "PLN", 1, D("1000.00"), D("40.00")),
    ]
    assert "Zeta Secret" in {t.label for t in refusals.by_competitor(rows_for(lost["head"]))}


def test_monthly_and_totals(lost):
    rows = rows_for(lost["owner"], currency="PLN")
    months = {t.key: (t.count, t.value) for t in refusals.monthly(rows, SPAN)}
    assert len(months) == 12
    assert months["2026-11-01"] == (1, D("1000.00")) and months["2026-10-01"] == (1, D("500.00"))
    assert months["2026-01-01"] == (0, D("0"))
    assert [(t.currency, t.count, t.value) for t in refusals.totals(rows)] == [
        ("PLN", 2, D("1500.00"))
    ]


def test_filters_by_account_and_source(lost):
    assert {r.title for r in rows_for(lost["owner"], account_id=lost["a1"].pk)} == {"Deal three"}
    assert rows_for(lost["owner"], source="tender") == []
    assert rows_for(lost["other_kam"], account_id=lost["a"].pk) == []


def test_a_source_cannot_leak_a_hidden_account(lost):
    """Whatever a source returns, rows of accounts the reader cannot see are dropped."""
    leaky = RefusalRow(
        source="leaky", key="leaky:1", account_id=lost["b"].pk, day=date(2026, 5, 1),
        reason="price", reason_label="price", competitor=None, value=D("1.00"), currency="PLN",
        url="/", title="leaked",
    )  # fmt: skip
    refusals.register_source("leaky", "Leaky", lambda user, span: [leaky])
    try:
        assert "leaked" not in {r.title for r in rows_for(lost["owner"])}
        assert "leaked" in {r.title for r in rows_for(lost["head"])}
        assert "leaked" in {r.title for r in rows_for(lost["other_kam"])}
    finally:
        refusals._sources.pop("leaky")


def test_a_loss_without_reason_is_named_so(company):
    """A won stage set to a loss in the back office: its deals were closed with no reason."""
    won = Stage.objects.get(code="won")
    deal = services.opportunity_create(
        actor=None, account=company["a"], title="Deal won, then lost", value=D("100.00"),
        currency="PLN", expected_close=company["today"],
    )  # fmt: skip
    services.opportunity_move(actor=None, opportunity=deal, stage=won)
    assert rows_for(company["owner"]) == []  # a won deal is no refusal
    won.outcome = "lost"
    won.save()
    (row,) = rows_for(company["owner"])
    assert (row.title, row.reason, row.reason_label) == ("Deal won, then lost", "", "no reason given")


def test_the_span_holds_losses_of_its_first_day_and_not_of_its_end(company):
    lose(company, "a", "On the first day", "100.00", "PLN", "price", closed=SPAN.start)
    lose(company, "a", "On the day after the span", "100.00", "PLN", "price", closed=SPAN.end)
    assert [row.title for row in rows_for(company["owner"])] == ["On the first day"]


def test_the_rows_of_one_lost_deal_come_by_competitor_name_descending(lost):
    rows = [r.competitor for r in rows_for(lost["owner"]) if r.title == "Deal one"]
    assert rows == ["Ypsilon", "Xeno Foods"]
