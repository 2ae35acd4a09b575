"""Test data for contracts: a contract on an account of the `company` fixture, and invoice
lines in any currency."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from openkam.contracts import services
from openkam.contracts.models import Contract
from openkam.ledger.models import Invoice, InvoiceLine, Product


def make_contract(company, key: str = "a", *, number: str = "", **fields) -> Contract:
    fields.setdefault("kind", "supply")
    fields.setdefault("status", "active")
    fields.setdefault("starts_on", date(2026, 1, 1))
    return services.contract_create(
        actor=company["head"],
        account=company[key],
        number=number or f"K/{key}/{Contract.objects.count() + 1}",
        **fields,
    )


def add_line(account, issued_on: date, net: str, currency: str | None = None) -> InvoiceLine:
    """One invoice with one line of `net` in `currency` (the account's by default)."""
    currency = currency or account.currency
    count = Invoice.objects.count() + 1
    number = f"CT/{account.pk}/{issued_on:%Y%m%d}/{count}"
    invoice = Invoice.objects.create(
        number=number,
        account=account,
        issued_on=issued_on,
        currency=currency,
        net_total=Decimal(net),
        source="test",
        external_id=number,
    )
    item, _ = Product.objects.get_or_create(source="test", sku="C-1", defaults={"name": "Paint"})
    return InvoiceLine.objects.create(
        invoice=invoice,
        line_no=1,
        account=account,
        issued_on=issued_on,
        product=item,
        quantity=Decimal("1"),
        net_amount=Decimal(net),
        cost_amount=Decimal("0"),
        currency=currency,
    )
