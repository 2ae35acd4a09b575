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


def build_ledger(company) -> dict[str, Invoice]:
    """Invoices for A (this month, 2 and 40 months ago), A1 (last month), B (this month);
    payments on A and B."""
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


def bearer(user, name: str = "tests") -> dict[str, str]:
    """Request headers carrying a fresh API token of `user`."""
    from openkam.users.tokens import api_token_create

    return {"Authorization": f"Bearer {api_token_create(user=user, name=name)}"}
