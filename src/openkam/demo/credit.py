"""Credit for the demo company's key accounts: limits (with an earlier one kept as history), credit
checks whose reviews fall due, open orders that use part of the limits, and journey 6 of
the product tour: a KAM's order held because debt is long overdue, with an exception
awaiting the head's decision."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

import numpy as np
from django.db.models import Sum

from openkam.accounts.models import Account, Assignment, AssignmentRole, Tier
from openkam.credit import services as credit
from openkam.credit.assessment import assess
from openkam.credit.models import RiskClass
from openkam.ledger.models import Invoice
from openkam.receivables.collections import average_days_late
from openkam.sales import services as sales
from openkam.sales.models import OrderStatus
from openkam.users.models import Role, User

STREAM = 43
STEP = Decimal(10000)
BUREAUS = ("BIG InfoMonitor", "KRD", "Dun & Bradstreet", "Coface", "SPARK-Interfax")


def build_credit(*, today: date, seed: int) -> dict[str, int]:
    rng = np.random.default_rng([seed, STREAM])
    finance = User.objects.filter(role=Role.FINANCE).order_by("pk").first()
    owners = dict(
        Assignment.objects.active(today)
        .filter(role=AssignmentRole.OWNER)
        .values_list("account_id", "user_id")
    )
    accounts = list(Account.objects.filter(pk__in=owners, tier=Tier.KEY).order_by("pk"))
    users = User.objects.in_bulk(set(owners.values()))
    revenue = _yearly_revenue([a.pk for a in accounts], today)
    late = average_days_late([a.pk for a in accounts], today)
    counts = {"limits": 0, "checks": 0, "orders": 0, "exceptions": 0}
    for account in accounts:
        yearly = revenue.get((account.pk, account.currency), Decimal(0))
        if yearly <= 0:
            continue
        counts["limits"] += _limits(rng, finance, account, yearly, today)
        counts["checks"] += _check(rng, finance, account, late.get(account.pk, 0.0), today)
        counts["orders"] += _orders(rng, users[owners[account.pk]], account, yearly)
    counts["exceptions"] += _journey_six(accounts, users, owners, today)
    return counts


def _yearly_revenue(ids: list[int], today: date) -> dict[tuple[int, str], Decimal]:
    rows = (
        Invoice.objects.filter(account_id__in=ids, issued_on__gt=today - timedelta(days=365))
        .values("account_id", "currency")
        .annotate(total=Sum("net_total"))
    )
    return {(row["account_id"], row["currency"]): row["total"] for row in rows}


def _rounded(amount: Decimal) -> Decimal:
    return max(STEP, (amount / STEP).to_integral_value(ROUND_CEILING) * STEP)


def _limits(rng, finance, account: Account, yearly: Decimal, today: date) -> int:
    """About three months of sales; a year ago a lower limit, kept as history."""
    limit = _rounded(yearly / 4)
    earlier = _rounded(limit * Decimal("0.7"))
    for amount, days in ((earlier, 420), (limit, int(rng.integers(30, 200)))):
        credit.limit_set(
            actor=finance, account=account, amount=amount, currency=account.currency,
            valid_from=today - timedelta(days=days), note="", via="demo",
        )  # fmt: skip
    return 2


def _check(rng, finance, account: Account, days_late: float, today: date) -> int:
    risk = (
        RiskClass.A if days_late < 1 else RiskClass.B if days_late < 15
        else RiskClass.C if days_late < 30 else RiskClass.D
    )  # fmt: skip
    checked_on = today - timedelta(days=int(rng.integers(20, 340)))
    credit.check_record(
        actor=finance, account=account, checked_on=checked_on,
        source=BUREAUS[int(rng.integers(0, len(BUREAUS)))], risk_class=risk,
        rating=str(int(rng.integers(40, 96))), via="demo",
    )  # fmt: skip
    return 1


def _orders(rng, owner: User, account: Account, yearly: Decimal) -> int:
    """One or two orders the size of a week or two of sales, placed through the gate."""
    made = 0
    for _ in range(int(rng.integers(1, 3))):
        amount = (yearly / 52 * Decimal(float(rng.uniform(0.5, 2.0)))).quantize(Decimal("0.01"))
        sales.order_create(
            actor=owner, account=account, currency=account.currency, amount=amount, via="demo"
        )
        made += 1
    return made


def _journey_six(accounts, users, owners, today: date) -> int:
    """The key account with the most debt overdue beyond the hold days gets a held order
    above its maximum and an exception awaiting the head."""
    held = []
    for account in accounts:
        result = assess(account, account.currency, today)
        if result.on_hold and result.limit is not None:
            held.append((result.overdue_beyond_hold, account.pk, account, result.limit.amount))
    if not held:
        return 0
    _amount, _pk, account, limit = max(held, key=lambda item: (item[0], -item[1]))
    owner = users[owners[account.pk]]
    order, _verdict = sales.order_create(
        actor=owner, account=account, currency=account.currency,
        amount=_rounded(limit * Decimal("0.25")), via="demo",
        note="Q1 restocking before the season",
    )  # fmt: skip
    if order.status != OrderStatus.HELD:
        return 0
    sales.order_ask_exception(
        actor=owner, order=order, via="demo",
        reason="They promised to pay the overdue invoices this week; margin on this order is 24%.",
    )  # fmt: skip
    return 1
