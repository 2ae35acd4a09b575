"""Review cadence: when a plan is due for its next review, and which plans are overdue.

A plan that is not closed must be reviewed once per cadence (a month or a quarter). It
is overdue when its latest review is older than one cadence, or, never reviewed, when
both its period and the plan itself started more than one cadence ago (a plan written
yesterday is not overdue yet).
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, time

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from openkam.plans.models import AccountPlan, PlanReview, PlanStatus, ReviewCadence

MONTHS: dict[str, int] = {ReviewCadence.MONTHLY: 1, ReviewCadence.QUARTERLY: 3}


def cadence_months(cadence: str) -> int:
    return MONTHS.get(cadence, 3)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), kept inside shorter months."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def cutoff(cadence: str, today: date) -> date:
    """Reviews on or after this day are recent enough."""
    return add_months(today, -cadence_months(cadence))


def with_last_review(plans: QuerySet[AccountPlan]) -> QuerySet[AccountPlan]:
    """Annotate `last_reviewed_on`: the day of the plan's latest review, or None."""
    latest = PlanReview.objects.filter(plan=OuterRef("pk")).order_by("-reviewed_on", "-id")
    return plans.annotate(last_reviewed_on=Subquery(latest.values("reviewed_on")[:1]))


def _last_reviewed_on(plan: AccountPlan) -> date | None:
    if hasattr(plan, "last_reviewed_on"):
        return plan.last_reviewed_on
    latest = plan.reviews.order_by("-reviewed_on", "-id").values_list("reviewed_on", flat=True)
    return latest.first()


def next_review_due(plan: AccountPlan) -> date:
    """The last day the next review is due: one cadence after the last one (or the start)."""
    months = cadence_months(plan.review_cadence)
    last = _last_reviewed_on(plan)
    if last is not None:
        return add_months(last, months)
    created = timezone.localdate(plan.created_at) if plan.created_at else plan.period_start
    return add_months(max(plan.period_start, created), months)


def review_overdue(plan: AccountPlan, *, today: date) -> bool:
    if plan.status == PlanStatus.CLOSED:
        return False
    return next_review_due(plan) < today


def overdue_q(today: date) -> Q:
    """The same rule as review_overdue, over plans annotated by with_last_review."""
    rule = Q(pk__in=[])
    for cadence in ReviewCadence.values:
        before = cutoff(cadence, today)
        since = timezone.make_aware(datetime.combine(before, time.min))
        rule |= Q(review_cadence=cadence) & (
            Q(last_reviewed_on__lt=before)
            | Q(last_reviewed_on__isnull=True, period_start__lt=before, created_at__lt=since)
        )
    return rule & ~Q(status=PlanStatus.CLOSED)
