"""Test data for the money side: invoices with lines and payments, written directly.

Tests of pages and the API need figures to look at; the importer is tested elsewhere.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from openkam.ledger.models import Invoice, InvoiceLine, Payment, Product


def product(sku: str = "P-1", name: str = "Widget") -> Product:
    found, _ = Product.objects.get_or_create(source="test", sku=sku, defaults={"name": name})
    return found


def add_invoice(
    account,
    issued_on: date,
    lines: list[tuple[str, str]],
    number: str | None = None,
) -> Invoice:
    """An invoice with one line per (net, cost) pair; totals kept in step with the lines."""
    number = number or f"FV/{account.pk}/{issued_on:%Y%m%d}/{Invoice.objects.count() + 1}"
    nets = [Decimal(net) for net, _ in lines]
    costs = [Decimal(cost) for _, cost in lines]
    invoice = Invoice.objects.create(
        number=number,
        account=account,
        issued_on=issued_on,
        currency=account.currency,
        net_total=sum(nets, Decimal("0")),
        cost_total=sum(costs, Decimal("0")),
        source="test",
        external_id=number,
    )
    item = product()
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            line_no=index,
            account=account,
            issued_on=issued_on,
            product=item,
            quantity=Decimal("1"),
            net_amount=net,
            cost_amount=cost,
            currency=account.currency,
        )
        for index, (net, cost) in enumerate(zip(nets, costs, strict=True), start=1)
    )
    return invoice


def add_payment(account, paid_on: date, amount: str, invoice: Invoice | None = None) -> Payment:
    return Payment.objects.create(
        account=account,
        paid_on=paid_on,
        amount=Decimal(amount),
        currency=account.currency,
        invoice=invoice,
        invoice_number=invoice.number if invoice else "",
        source="test",
        external_id=f"PAY/{account.pk}/{Payment.objects.count() + 1}",
    )


def months_ago(today: date, months: int, day: int = 15) -> date:
    index = today.year * 12 + today.month - 1 - months
    return date(index // 12, index % 12 + 1, day)
