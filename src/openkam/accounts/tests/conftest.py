"""Fixtures for the account pages: a small ledger on top of the `company` personas."""

from __future__ import annotations

import pytest

from openkam.accounts.tests.factories import add_invoice, add_payment, months_ago


@pytest.fixture
def ledger(company):
    """Invoices for A (this month and 2 months ago), A1 (last month) and B (this month)."""
    today = company["today"]
    invoices = {
        "a_now": add_invoice(
            company["a"], months_ago(today, 0, 1), [("1000.00", "600.00"), ("250.50", "100.25")]
        ),
        "a_old": add_invoice(company["a"], months_ago(today, 2), [("400.00", "300.00")]),
        "a1": add_invoice(company["a1"], months_ago(today, 1), [("2000.00", "1500.00")]),
        "b": add_invoice(company["b"], months_ago(today, 0, 1), [("999.99", "1.00")]),
        "a_ancient": add_invoice(company["a"], months_ago(today, 40), [("7777.00", "0.00")]),
    }
    add_payment(company["a"], today, "1250.50", invoices["a_now"])
    add_payment(company["b"], today, "999.99", invoices["b"])
    return invoices
