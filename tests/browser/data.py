"""Invoices for the browser tests, so the revenue chart has something to draw."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

# Months back from today with Alfa's invoices, and the net amount of each invoice.
ALFA_MONTHS_BACK = [0, 1, 2, 3, 5, 8]
ALFA_NET = Decimal("12500.00")
# One invoice of the subsidiary Alfa Logistyka, last month: part of the group's chart.
ALFA_LOGISTYKA_NET = Decimal("4000.00")
ALFA_GROUP_TOTAL = ALFA_NET * len(ALFA_MONTHS_BACK) + ALFA_LOGISTYKA_NET


def _months_ago(today: date, months: int) -> date:
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return date(year, month + 1, min(today.day, 28))


def _add_invoice(*, number: str, account, product, issued_on: date, net: Decimal):
    from openkam.ledger.models import Invoice, InvoiceLine

    cost = (net * Decimal("0.7")).quantize(Decimal("0.01"))
    invoice = Invoice.objects.create(
        number=number,
        external_id=number,
        account=account,
        issued_on=issued_on,
        due_on=issued_on + timedelta(days=30),
        currency="PLN",
        net_total=net,
        cost_total=cost,
    )
    InvoiceLine.objects.create(
        invoice=invoice,
        line_no=1,
        account=account,
        issued_on=issued_on,
        product=product,
        quantity=Decimal("10"),
        net_amount=net,
        cost_amount=cost,
        currency="PLN",
    )
    return invoice


def add_sales(company: dict) -> dict:
    """Alfa gets one invoice in each of ALFA_MONTHS_BACK, its subsidiary one, Beta one."""
    from openkam.ledger.models import Product

    product = Product.objects.create(sku="P-100", name="Pallet wrap", product_line="Packaging")
    today = company["today"]
    alfa_invoices = [
        _add_invoice(
            number=f"FV/A/{back}",
            account=company["a"],
            product=product,
            issued_on=_months_ago(today, back),
            net=ALFA_NET,
        )
        for back in ALFA_MONTHS_BACK
    ]
    _add_invoice(
        number="FV/A1/1",
        account=company["a1"],
        product=product,
        issued_on=_months_ago(today, 1),
        net=ALFA_LOGISTYKA_NET,
    )
    _add_invoice(
        number="FV/B/1",
        account=company["b"],
        product=product,
        issued_on=_months_ago(today, 1),
        net=Decimal("999.00"),
    )
    return {"product": product, "alfa_invoices": alfa_invoices}
