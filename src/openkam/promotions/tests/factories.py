"""Test data for promotions: products, invoice lines on chosen days, promotions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import count

from openkam.ledger.models import Invoice, InvoiceLine, Product
from openkam.promotions import services

_numbers = count(1)


def product(sku: str, line: str = "Cables") -> Product:
    item, _ = Product.objects.get_or_create(
        source="test", external_id=sku, defaults={"sku": sku, "name": f"{sku} item",
                                                  "product_line": line},
    )  # fmt: skip
    return item


def sell(account, day: date, item: Product, quantity: str, net: str, currency: str = "PLN"):
    """One invoice with one line (a negative quantity and amount: a return)."""
    number = f"PRM/{next(_numbers)}"
    invoice = Invoice.objects.create(
        number=number, account=account, issued_on=day, currency=currency,
        net_total=Decimal(net), cost_total=Decimal(0), source="test", external_id=number,
    )  # fmt: skip
    return InvoiceLine.objects.create(
        invoice=invoice, line_no=1, account=account, issued_on=day, product=item,
        quantity=Decimal(quantity), net_amount=Decimal(net), cost_amount=Decimal(0),
        currency=currency, return_reason="damaged" if Decimal(net) < 0 else "",
    )  # fmt: skip


def promotion(name: str = "Winter bonus", **fields):
    defaults = {
        "kind": "volume_bonus", "starts_on": date(2026, 11, 1), "ends_on": date(2026, 12, 31),
        "currency": "PLN", "bonus_pct": Decimal("3"),
    }  # fmt: skip
    accounts = fields.pop("accounts", ())
    products = fields.pop("products", ())
    values = {**defaults, **fields}
    if values["kind"] == "discount":
        values.pop("bonus_pct", None)
    return services.promotion_create(
        actor=None, name=name, accounts=accounts, products=products, **values
    )
