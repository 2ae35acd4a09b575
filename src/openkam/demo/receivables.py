"""Collection work for the demo company, on top of its payments (which already make
punctual, late and chronically late payers): the stored aging, a payer at the accounts
that owe most, promises to pay (kept, running and broken), disputed invoices and the
reminders and calls already made, so the finance view and the worklist show real cases."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import numpy as np
from django.db import transaction

from openkam.ledger.models import Payment
from openkam.receivables.models import (
    CollectionStep,
    Dispute,
    DunningLevel,
    OpenItem,
    PromiseToPay,
    ReceivablesSummary,
)
from openkam.receivables.refresh import refresh
from openkam.stakeholders.models import BuyingRole, Contact

STREAM = 41
CASES = 40  # accounts that owe most get collection work
CENT = Decimal("0.01")


def build_receivables(*, today: date, seed: int) -> dict[str, int]:
    refresh(today)
    rng = np.random.default_rng([seed, STREAM])
    owing = list(
        ReceivablesSummary.objects.filter(overdue__gt=0)
        .order_by("-overdue", "account_id")
        .values_list("account_id", "currency", "overdue")[:CASES]
    )
    counts = {"payers": 0, "promises": 0, "disputes": 0, "steps": 0}
    levels = list(DunningLevel.objects.order_by("days"))
    with transaction.atomic():
        for index, (account_id, currency, overdue) in enumerate(owing):
            counts["payers"] += _name_payer(account_id)
            counts["promises"] += _promise(rng, index, account_id, currency, overdue, today)
            counts["steps"] += _steps(rng, account_id, currency, today, levels)
            if index % 6 == 2:
                counts["disputes"] += _dispute(
                    account_id, currency, today, resolved=index % 12 == 8
                )
    refresh(today)
    return counts


def _name_payer(account_id: int) -> int:
    contact = (
        Contact.objects.filter(account_id=account_id, buying_role="", left_on__isnull=True)
        .order_by("pk")
        .first()
    )
    if contact is None:
        return 0
    contact.buying_role = BuyingRole.PAYER
    contact.save(update_fields=["buying_role"])
    return 1


def _promise(rng, index: int, account_id: int, currency: str, overdue, today: date) -> int:
    """Every third account broke a promise, every third has one running, the rest kept one
    (a promise of what they then paid)."""
    kind = index % 3
    if kind == 0:  # broken: promised ten days ago, not paid
        given, promised = today - timedelta(days=20), today - timedelta(days=10)
        amount = (overdue * Decimal("0.6")).quantize(CENT)
    elif kind == 1:  # running
        given, promised = (
            today - timedelta(days=2),
            today + timedelta(days=int(rng.integers(3, 10))),
        )
        amount = (overdue * Decimal("0.5")).quantize(CENT)
    else:  # kept: the last payment was promised a week before it came
        last = (
            Payment.objects.filter(account_id=account_id, currency=currency, amount__gt=0)
            .order_by("-paid_on")
            .first()
        )
        if last is None:
            return 0
        given, promised, amount = last.paid_on - timedelta(days=7), last.paid_on, last.amount
    paid = sum(
        Payment.objects.filter(
            account_id=account_id, currency=currency, paid_on__gte=given, paid_on__lte=promised
        ).values_list("amount", flat=True),
        Decimal(0),
    )
    if kind == 0 and paid >= amount:
        return 0  # they did pay: it would not be broken
    PromiseToPay.objects.create(
        account_id=account_id, currency=currency, amount=max(amount, CENT), given_on=given,
        promised_on=promised, note="",
    )  # fmt: skip
    return 1


def _steps(rng, account_id: int, currency: str, today: date, levels) -> int:
    """The reminders and calls made so far: the levels the oldest open invoice passed,
    each taken a few days after it was reached."""
    oldest = (
        OpenItem.objects.filter(account_id=account_id, currency=currency, invoice__isnull=False)
        .order_by("due_on")
        .values_list("due_on", flat=True)
        .first()
    )
    if oldest is None:
        return 0
    made = 0
    for level in levels:
        reached = oldest + timedelta(days=level.days)
        if level.days <= 0 or reached >= today - timedelta(days=3):
            continue
        done = reached + timedelta(days=int(rng.integers(0, 3)))
        CollectionStep.objects.create(
            account_id=account_id, currency=currency, level=level, action=level.action,
            done_on=done, next_on=done + timedelta(days=level.repeat_days),
        )  # fmt: skip
        made += 1
    return made


def _dispute(account_id: int, currency: str, today: date, resolved: bool) -> int:
    item = (
        OpenItem.objects.filter(account_id=account_id, currency=currency, invoice__isnull=False)
        .order_by("-due_on")
        .first()
    )
    if item is None or item.invoice_id is None:
        return 0
    Dispute.objects.create(
        invoice_id=item.invoice_id,
        reason="quality" if resolved else "price",
        opened_on=today - timedelta(days=12),
        resolved_on=today - timedelta(days=2) if resolved else None,
        resolution="",
    )
    return 1
