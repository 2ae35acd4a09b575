"""A crafted ledger with known returns, written straight to the database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from openkam.ledger.models import Invoice, InvoiceLine, Product


def product(line: str) -> Product:
    return Product.objects.get_or_create(
        source="t", sku=f"SKU-{line}", defaults={"name": line, "product_line": line}
    )[0]


def invoice(account, issued_on: date, *lines: tuple, currency: str = "PLN") -> Invoice:
    """Lines are (product line, net) or (product line, net, return reason)."""
    number = f"FV/{Invoice.objects.count() + 1}"
    nets = [Decimal(line[1]) for line in lines]
    header = Invoice.objects.create(
        number=number, external_id=number, source="t", account=account, issued_on=issued_on,
        currency=currency, net_total=sum(nets), cost_total=0,
    )  # fmt: skip
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=header,
            line_no=i,
            account=account,
            issued_on=issued_on,
            product=product(line[0]),
            quantity=1 if net > 0 else -1,
            net_amount=net,
            cost_amount=0,
            currency=currency,
            return_reason=line[2] if len(line) > 2 else "",
        )  # fmt: skip
        for i, (line, net) in enumerate(zip(lines, nets), start=1)
    )
    return header


def crafted(company) -> None:
    """A and its subsidiary A1 (the owner's), B (the other KAM's), in PLN and EUR.

    For the owner, PLN: sales 4500.00, returned 190.00 in 4 lines (4.22%); for whoever
    sees everything: sales 5500.00, returned 690.00 in 5 lines (12.55%). EUR (A only):
    sales 400.00, returned 40.00 (10.00%)."""
    a, a1, b = company["a"], company["a1"], company["b"]
    invoice(a, date(2026, 3, 10), ("Flour", "1000.00"), ("Sugar", "500.00"))
    invoice(a, date(2026, 3, 20), ("Flour", "-100.00", "Damaged in transport"),
            ("Sugar", "-50.00", "Wrong item"))  # fmt: skip
    invoice(a, date(2026, 4, 5), ("Flour", "2000.00"))
    invoice(a, date(2026, 4, 15), ("Flour", "-30.00", " Damaged in transport "))
    invoice(a, date(2026, 4, 1), ("Flour", "400.00"), ("Flour", "-40.00", "Expired"),
            currency="EUR")  # fmt: skip
    invoice(a1, date(2026, 3, 5), ("Sugar", "1000.00"), ("Sugar", "-10.00", "Not ordered"))
    invoice(b, date(2026, 3, 1), ("Flour", "1000.00"), ("Flour", "-500.00", "Quality complaint"))
    # Before the period (the last 12 whole months: December 2025 to November 2026).
    invoice(a, date(2025, 11, 15), ("Flour", "100.00"), ("Flour", "-100.00", "Damaged"))
