"""What a head reads before deciding a credit exception, frozen when it is asked for.

The figures are kept with the exception (JSON) so the decision can be judged later on
what was known that day, not on what the ledger says now.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Sum

from openkam.credit.assessment import STEP_LABELS, Assessment, Step
from openkam.ledger.models import InvoiceLine
from openkam.receivables.collections import PromiseState, promise_state, with_paid
from openkam.receivables.models import PromiseToPay

YEAR = timedelta(days=365)


def gather(assessment: Assessment) -> dict:
    account, on = assessment.account, assessment.on
    promises = _promises(account.pk, on)
    return {
        "on": on.isoformat(),
        "currency": assessment.currency,
        "limit": _text(assessment.limit.amount if assessment.limit else None),
        "group_limit": _text(assessment.group_limit.amount if assessment.group_limit else None),
        "receivables": _text(assessment.receivables),
        "orders": _text(assessment.orders),
        "overdue": _text(assessment.overdue),
        "overdue_beyond_hold": _text(assessment.overdue_beyond_hold),
        "oldest_overdue_days": assessment.oldest_overdue_days,
        "hold_days": assessment.hold_days,
        "average_days_late": round(assessment.average_days_late, 1),
        "recommended": _text(assessment.recommended),
        "promises_kept": promises[PromiseState.KEPT],
        "promises_broken": promises[PromiseState.BROKEN],
        "margin_percent": _margin(account.pk, assessment.currency, on),
        "steps": [
            {
                "code": step.code,
                "amount": _text(step.amount),
                "days": step.days,
                "percent": step.percent,
            }
            for step in assessment.steps
        ],  # fmt: skip
    }


def steps_of(evidence: dict) -> list[Step]:
    """The frozen steps, to be read in the reader's language."""
    return [
        Step(row["code"], None if row["amount"] is None else Decimal(row["amount"]),
             days=row.get("days"), percent=row.get("percent"))
        for row in evidence.get("steps", [])
        if isinstance(row, dict) and row.get("code") in STEP_LABELS
    ]  # fmt: skip


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _promises(account_id: int, on: date) -> dict[str, int]:
    counts = dict.fromkeys(PromiseState.LABELS, 0)
    recent = PromiseToPay.objects.filter(account_id=account_id, given_on__gte=on - YEAR)
    for promise in with_paid(recent):
        counts[promise_state(promise, on)] += 1
    return counts


def _margin(account_id: int, currency: str, on: date) -> float | None:
    """Gross margin of the last 12 months' invoice lines, in percent of net sales."""
    totals = InvoiceLine.objects.filter(
        account_id=account_id, currency=currency, issued_on__gt=on - YEAR, issued_on__lte=on
    ).aggregate(net=Sum("net_amount"), cost=Sum("cost_amount"))
    net, cost = totals["net"] or Decimal(0), totals["cost"] or Decimal(0)
    if net <= 0:
        return None
    return round(float((net - cost) / net * 100), 1)
