"""Journey 6, the money half: a KAM's order is held because debt is long overdue; finance
records the customer's promise to pay; the head reads the evidence and approves an
exception; the order goes ahead, and every step is in the history."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from openkam.core.models import AuditEntry
from openkam.credit.models import CreditException, ExceptionStatus
from openkam.credit.services import limit_set
from openkam.receivables.models import PromiseToPay
from openkam.receivables.tests.ledgers import invoice
from openkam.sales.models import Order, OrderStatus

pytestmark = pytest.mark.browser


@pytest.fixture
def overdue(live_server, company):
    """Alfa: a 200,000 PLN limit and 40,000 PLN 45 days overdue."""
    a, today = company["a"], company["today"]
    limit_set(actor=company["finance"], account=a, amount=Decimal("200000"), currency="PLN",
              valid_from=today - timedelta(days=100))  # fmt: skip
    invoice(a, "FV/2026/0815", today - timedelta(days=75), "40000.00", due_days=30)
    return company


def _switch_to(page, login, username: str) -> None:
    page.context.clear_cookies()
    login(username)


def test_a_held_order_goes_ahead_on_the_heads_exception(page, login, overdue, page_problems):
    a = overdue["a"]
    login("owner")
    page.goto(reverse("account_orders:list", args=[a.pk]))
    page.fill("#id_amount", "50000")
    page.fill("#id_note", "Season stock")
    with page.expect_navigation():
        page.get_by_role("button", name="Place order").click()
    expect(page.locator("h1")).to_contain_text("held for credit")
    expect(page.locator("#hold")).to_contain_text("overdue more than 30 days")
    expect(page.locator("#hold")).to_contain_text("Recommended maximum next order")
    page.get_by_text("Ask a head for an exception").click()
    page.fill("#id_reason", "They promise to pay the overdue invoice this week.")
    with page.expect_navigation():
        page.get_by_role("button", name="Ask for an exception").click()
    expect(page.locator("#hold")).to_contain_text("awaiting approval")
    order = Order.objects.get()
    assert order.status == OrderStatus.HELD

    _switch_to(page, login, "finance")
    page.goto(reverse("account_receivables:account", args=[a.pk]))
    page.get_by_text("Record a promise to pay").click()
    page.fill("#id_amount", "40000")
    page.fill("#id_promised_on", (overdue["today"] + timedelta(days=5)).isoformat())
    with page.expect_navigation():
        page.locator("#promises").get_by_role("button", name="Record").click()
    expect(page.locator("#promises")).to_contain_text("40,000.00")
    assert PromiseToPay.objects.filter(account=a, amount=Decimal("40000")).exists()

    _switch_to(page, login, "head")
    page.goto(reverse("credit:desk"))
    with page.expect_navigation():
        page.locator("#pending").get_by_role("link", name=order.number).click()
    expect(page.locator("#evidence")).to_contain_text("40,000.00")
    page.fill("#id_note", "Once, against the promise to pay.")
    with page.expect_navigation():
        page.get_by_role("button", name="Approve").click()
    expect(page.locator("dl.dossier").first).to_contain_text("approved")

    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN
    exception = CreditException.objects.get()
    assert exception.status == ExceptionStatus.APPROVED and exception.decided_by == overdue["head"]
    decided = AuditEntry.objects.filter(
        model="credit.CreditException", object_id=str(exception.pk), action="update"
    ).get()
    assert decided.actor == overdue["head"]
    statuses = [
        e.changes.get("status")
        for e in AuditEntry.objects.filter(model="sales.Order", object_id=str(order.pk))
    ]
    assert ["held", "open"] in statuses
    assert page_problems.js_errors == []
