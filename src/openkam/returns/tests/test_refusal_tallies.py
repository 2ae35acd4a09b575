"""The refusal analysis on crafted rows from a registered source: the order of rows and
tallies, each record once, labels, filters by currency and source, months with nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from openkam.returns import refusals
from openkam.returns.filters import Span
from openkam.returns.refusals import RefusalFilter, RefusalRow

D = Decimal
SPAN = Span(date(2026, 9, 1), date(2026, 12, 1))


def row(account, key, day, reason, value, currency="PLN", competitor=None, label=None):
    return RefusalRow(
        source="crafted", key=key, account_id=account.pk, day=day, reason=reason,
        reason_label=reason if label is None else label, competitor=competitor,
        value=D(value), currency=currency, url="/", title=key,
    )  # fmt: skip


@pytest.fixture
def crafted(company):
    a = company["a"]
    rows = [
        row(a, "r:1", date(2026, 10, 5), "price", "100", competitor="Xeno"),
        row(a, "r:1", date(2026, 10, 5), "price", "100", competitor="Alpha"),
        row(a, "r:2", date(2026, 10, 5), "quality", "50", label=""),
        row(a, "r:3", date(2026, 11, 2), "quality", "50"),
        row(a, "r:4", date(2026, 9, 9), "delay", "30"),
        row(a, "r:5", date(2026, 9, 9), "beige", "30"),
        row(a, "r:6", date(2026, 11, 30), "price", "70", currency="EUR"),
    ]
    refusals.register_source("crafted", "Crafted refusals", lambda user, span: rows)
    yield company
    refusals._sources.pop("crafted")


def rows_for(user, **kwargs):
    return refusals.refusal_rows(user, RefusalFilter(SPAN, source="crafted", **kwargs))


def test_rows_newest_first_then_by_record_and_competitor(crafted):
    found = [(r.day, r.key, r.competitor) for r in rows_for(crafted["owner"])]
    assert found == [
        (date(2026, 11, 30), "r:6", None),
        (date(2026, 11, 2), "r:3", None),
        (date(2026, 10, 5), "r:2", None),
        (date(2026, 10, 5), "r:1", "Xeno"),
        (date(2026, 10, 5), "r:1", "Alpha"),
        (date(2026, 9, 9), "r:5", None),
        (date(2026, 9, 9), "r:4", None),
    ]
    assert {r.key for r in rows_for(crafted["owner"], currency="EUR")} == {"r:6"}
    every_source = refusals.refusal_rows(crafted["owner"], RefusalFilter(SPAN))
    assert len(every_source) == 7
    assert refusals.refusal_rows(crafted["owner"], RefusalFilter(SPAN, source="opportunity")) == []
    assert rows_for(crafted["owner"], account_id=crafted["b"].pk) == []


def test_tallies_by_value_then_count_then_label_with_the_first_label_given(crafted):
    found = [(t.key, t.label, t.currency, t.count, t.value, t.share)
             for t in refusals.by_reason(rows_for(crafted["owner"]))]  # fmt: skip
    assert found == [
        ("price", "price", "EUR", 1, D("70"), D("100.00")),
        ("quality", "quality", "PLN", 2, D("100"), D("38.46")),
        ("price", "price", "PLN", 1, D("100"), D("38.46")),
        ("beige", "beige", "PLN", 1, D("30"), D("11.54")),
        ("delay", "delay", "PLN", 1, D("30"), D("11.54")),
    ]
    competitors = [(t.key, t.label, t.count, t.value)
                   for t in refusals.by_competitor(rows_for(crafted["owner"], currency="PLN"))]  # fmt: skip
    assert competitors == [
        ("", "no competitor named", 4, D("160")), ("Alpha", "Alpha", 1, D("100")),
        ("Xeno", "Xeno", 1, D("100")),
    ]  # fmt: skip
    assert [(t.key, t.count, t.value) for t in refusals.totals(rows_for(crafted["owner"]))] == [
        ("EUR", 1, D("70")), ("PLN", 5, D("260")),
    ]  # fmt: skip


def test_months_with_nothing_are_zeros_of_each_currency(crafted):
    months = [(t.key, t.currency, t.count, t.value, t.label, t.share)
              for t in refusals.monthly(rows_for(crafted["owner"]), SPAN)]  # fmt: skip
    assert months == [
        ("2026-09-01", "EUR", 0, D("0"), "", None),
        ("2026-10-01", "EUR", 0, D("0"), "", None),
        ("2026-11-01", "EUR", 1, D("70"), "", D("100.00")),
        ("2026-09-01", "PLN", 2, D("60"), "", D("23.08")),
        ("2026-10-01", "PLN", 2, D("150"), "", D("57.69")),
        ("2026-11-01", "PLN", 1, D("50"), "", D("19.23")),
    ]


def test_a_source_is_named_by_its_label(crafted):
    assert refusals.source_label("crafted") == "Crafted refusals"
    assert refusals.source_label("opportunity") == "Lost opportunities"
    assert refusals.source_label("unknown") == "unknown"
    assert "crafted" in {source.kind for source in refusals.sources()}
