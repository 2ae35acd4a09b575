"""Small hand-made ledgers for the receivables tests: invoices and payments by amount."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from openkam.ledger.models import Invoice, Payment


def invoice(
    account,
    number: str,
    issued_on: date,
    amount: str,
    *,
    due_days: int | None = 30,
    currency: str = "PLN",
    gross: str | None = None,
) -> Invoice:
    """An invoice header of `amount` net (a negative one is a credit note)."""
    return Invoice.objects.create(
        number=number,
        external_id=number,
        source="t",
        account=account,
        issued_on=issued_on,
        due_on=None if due_days is None else issued_on + timedelta(days=due_days),
        currency=currency,
        net_total=Decimal(amount),
        gross_total=None if gross is None else Decimal(gross),
    )


def payment(
    account,
    paid_on: date,
    amount: str,
    *,
    invoice: Invoice | None = None,
    reference: str = "",
    currency: str = "PLN",
) -> Payment:
    return Payment.objects.create(
        account=account,
        paid_on=paid_on,
        amount=Decimal(amount),
        currency=currency,
        invoice=invoice,
        invoice_number=reference or (invoice.number if invoice else ""),
        source="t",
        external_id=f"P/{Payment.objects.count() + 1}",
    )
