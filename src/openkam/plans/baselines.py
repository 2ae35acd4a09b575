"""Starting points for objectives made from a template: last period's figure from the ledger.

The previous period has the plan's length and ends the day before the plan starts; the
accounts measured are the plan's (its group when the plan is on a group's root, see
openkam.plans.progress).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum

from openkam.plans.models import AccountPlan, ObjectiveMetric

M = ObjectiveMetric
TWO_PLACES = Decimal("0.01")


def measured_accounts(account_id: int) -> list[int]:
    """The plan's account and, when it is a group's root, every account of the group."""
    from openkam.accounts.models import Account

    members = Account.objects.filter(group_root_id=account_id).values_list("pk", flat=True)
    return sorted({account_id, *members})


def previous_period_value(
    *, plan: AccountPlan, metric: str, product_line: str = ""
) -> Decimal | None:
    """The metric over the period before the plan; None when the ledger cannot say."""
    from openkam.ledger.models import InvoiceLine

    if metric not in (M.REVENUE, M.MARGIN, M.MARGIN_PCT, M.PRODUCT_LINE_REVENUE, M.PRODUCT_LINES):
        return None
    end = plan.period_start - timedelta(days=1)
    start = end - (plan.period_end - plan.period_start)
    lines = InvoiceLine.objects.filter(
        account_id__in=measured_accounts(plan.account_id), issued_on__gte=start, issued_on__lte=end
    )
    if metric == M.PRODUCT_LINE_REVENUE:
        lines = lines.filter(product__product_line=product_line)
    if metric == M.PRODUCT_LINES:
        bought = Q(net_amount__gt=0) & ~Q(product__product_line="")
        count = lines.aggregate(n=Count("product__product_line", distinct=True, filter=bought))
        return Decimal(count["n"])
    sums = lines.aggregate(revenue=Sum("net_amount"), cost=Sum("cost_amount"))
    revenue, cost = sums["revenue"] or Decimal(0), sums["cost"] or Decimal(0)
    if metric in (M.REVENUE, M.PRODUCT_LINE_REVENUE):
        return revenue
    if metric == M.MARGIN:
        return revenue - cost
    return ((revenue - cost) / revenue * 100).quantize(TWO_PLACES) if revenue else None


def target_from(*, baseline: Decimal | None, change_pct=None, target=None) -> Decimal:
    """An explicit target, else the baseline moved by `change_pct` percent, else the baseline."""
    if target is not None:
        return Decimal(str(target))
    base = baseline or Decimal(0)
    if change_pct is None:
        return base
    moved = base * (1 + Decimal(str(change_pct)) / 100)
    return moved.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
