"""Small ledgers written straight to the database for portfolio tests."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from openkam.ledger.models import Invoice, InvoiceLine, Payment, Product


def product(line: str) -> Product:
    return Product.objects.get_or_create(
        source="t", sku=f"SKU-{line}", defaults={"name": line, "product_line": line}
    )[0]


def invoice(
    account,
    issued_on: date,
    *lines: tuple[str, str, str],
    due_days: int = 30,
    number: str | None = None,
) -> Invoice:
    """Lines are (product line, net, cost)."""
    number = number or f"FV/{account.pk}/{Invoice.objects.count() + 1}"
    nets = [Decimal(n) for _, n, _ in lines]
    costs = [Decimal(c) for _, _, c in lines]
    header = Invoice.objects.create(
        number=number,
        external_id=number,
        source="t",
        account=account,
        issued_on=issued_on,
        due_on=issued_on + timedelta(days=due_days),
        net_total=sum(nets),
        cost_total=sum(costs),
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=header,
            line_no=i,
            account=account,
            issued_on=issued_on,
            product=product(line),
            quantity=1,
            net_amount=net,
            cost_amount=cost,
        )
        for i, ((line, _, _), net, cost) in enumerate(zip(lines, nets, costs), start=1)
    )
    return header


def pay(header: Invoice, paid_on: date, amount: str | None = None) -> Payment:
    return Payment.objects.create(
        account=header.account,
        paid_on=paid_on,
        amount=Decimal(amount) if amount else header.net_total,
        invoice=header,
        invoice_number=header.number,
        source="t",
        external_id=f"P/{Payment.objects.count() + 1}",
    )
