"""A small hand-checked ledger (see test_recompute.py for the figures)."""

from __future__ import annotations

from datetime import date

import pytest

from openkam.portfolio.tests.factories import invoice, pay

TODAY = date(2026, 11, 23)


@pytest.fixture
def ledger(company):
    a, a1, b, c = company["a"], company["a1"], company["b"], company["c"]
    # Group A: root A and subsidiary A1.
    paid_late = invoice(a, date(2026, 1, 10), ("Paper", "1000", "700"), ("Ink", "500", "300"))
    pay(paid_late, date(2026, 3, 1))  # due 2026-02-09 -> 20 days late
    on_time = invoice(a, date(2026, 6, 10), ("Paper", "2000", "1500"))
    pay(on_time, date(2026, 6, 20))  # early -> 0 days late
    invoice(a, date(2025, 3, 5), ("Paper", "1500", "1000"))  # previous period
    invoice(a1, date(2026, 9, 1), ("Toner", "500", "400"))  # unpaid, due 2026-10-01 -> 53 days
    # B: a single invoice in the period, paid on time.
    pay(invoice(b, date(2026, 10, 2), ("Paper", "6000", "5000")), date(2026, 10, 5))
    # C: bought only in the previous period.
    invoice(c, date(2025, 1, 15), ("Ink", "800", "600"))
    # This month is outside the period.
    invoice(b, date(2026, 11, 3), ("Paper", "999", "0"))
    return company
