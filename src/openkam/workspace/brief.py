"""The meeting brief: one page to read before meeting a customer.

Everything on it is read through the user's visibility, in a fixed number of queries
whatever the size of the account (no per-row reads): the dossier and group, the revenue
trend, the current plan with its objectives' progress, the people (those invited to the
meeting first), the last outcomes, the competitors and what is overdue to us.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import (
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce

from openkam.accounts import selectors as account_selectors
from openkam.accounts.models import Account
from openkam.activities.models import Activity, ActivityContact, ActivityStatus
from openkam.core.models import MONEY_DIGITS, MONEY_PLACES
from openkam.ledger import figures
from openkam.ledger.periods import Period
from openkam.receivables import selectors as receivable_selectors
from openkam.stakeholders.models import Contact
from openkam.stakeholders.selectors import with_last_contact
from openkam.workspace import selectors

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
LAST_OUTCOMES = 5
OVERDUE_LISTED = 5


@dataclass(frozen=True)
class RevenueTrend:
    """The last 12 whole months against the 12 before, and the last 12 month by month."""

    last_12: Decimal
    prior_12: Decimal
    months: list  # MonthFigure, oldest first
    currency: str
    is_group: bool
    period: Period  # of last_12

    @property
    def prior_period(self) -> Period:
        return Period.ending_before(self.period.start, self.period.months)

    @property
    def change(self) -> Decimal | None:
        """Change in percent; None when there was nothing the year before."""
        if not self.prior_12:
            return None
        return ((self.last_12 - self.prior_12) / self.prior_12 * 100).quantize(Decimal("0.1"))

    @property
    def bars(self) -> list[tuple]:
        """(month, revenue, height 0..100) for a sparkline drawn with CSS."""
        top = max((m.revenue for m in self.months), default=ZERO)
        return [
            (m.month, m.revenue, int(m.revenue / top * 100) if top > 0 else 0) for m in self.months
        ]


@dataclass(frozen=True)
class Receivables:
    """What is overdue to us: the account's open invoices past their due date, by the one
    rule of receivables (docs/receivables.md: payments settle the invoices they were split
    across or name, the rest the oldest first; credit notes settle like payments)."""

    by_currency: list[dict]  # currency, amount, count, oldest_due_on
    oldest: list  # the oldest overdue invoices, each with `open_amount`
    unmatched_payments: list[dict]  # currency, amount: credit no open invoice took

    @property
    def any(self) -> bool:
        return bool(self.by_currency)


@dataclass
class Brief:
    account: Account
    today: date
    hierarchy: object
    trend: RevenueTrend
    meeting: Activity | None
    plan: object | None
    objectives: list = field(default_factory=list)
    progress: dict = field(default_factory=dict)
    open_actions: list = field(default_factory=list)
    stakeholders: list = field(default_factory=list)
    outcomes: list = field(default_factory=list)
    competitors: list = field(default_factory=list)
    receivables: Receivables | None = None


def meeting_brief(*, user, account: Account, today: date, activity_id: int | None = None) -> Brief:
    """Everything the brief shows; `account` must come from the user's visible accounts."""
    hierarchy = account_selectors.group_hierarchy(user=user, account=account)
    meeting = _meeting(user, account, activity_id)
    brief = Brief(
        account=account,
        today=today,
        hierarchy=hierarchy,
        trend=revenue_trend(user=user, account=account, hierarchy=hierarchy, today=today),
        meeting=meeting,
        plan=None,
    )
    _add_plan(brief, user, today)
    brief.stakeholders = list(stakeholders(user=user, account=account, meeting=meeting))
    brief.outcomes = list(last_outcomes(user=user, account=account))
    brief.competitors = list(selectors.account_competitors(user=user, account=account))
    brief.receivables = receivables(user=user, account=account, today=today)
    return brief


def _meeting(user, account: Account, activity_id: int | None) -> Activity | None:
    """The meeting the brief is for; an id of another account's (or a hidden) activity
    is ignored rather than answered, so it tells nothing."""
    if activity_id is None:
        return None
    return (
        Activity.objects.visible_to(user)
        .filter(pk=activity_id, account=account)
        .select_related("owner")
        .first()
    )


def revenue_trend(*, user, account: Account, hierarchy, today: date) -> RevenueTrend:
    """Monthly revenue over the last 24 whole months (the trailing period and the one
    before it): the whole visible group for a group's top."""
    is_group = bool(hierarchy.subtree.children) and not hierarchy.ancestors
    series = figures.revenue_series(
        user=user,
        account=account,
        months=24,
        whole_group=is_group,
        today=today,
        through_current_month=False,
    )
    prior, last = series[:12], series[12:]
    return RevenueTrend(
        last_12=sum((m.revenue for m in last), ZERO),
        prior_12=sum((m.revenue for m in prior), ZERO),
        months=last,
        currency=account.currency,
        is_group=is_group,
        period=Period.trailing(today),
    )


def _add_plan(brief: Brief, user, today: date) -> None:
    """The current plan, its objectives with progress and its next open actions."""
    from openkam.plans import progress
    from openkam.plans import selectors as plan_selectors
    from openkam.plans.models import ActionStatus

    plan = plan_selectors.current_plan(user=user, account=brief.account, today=today)
    if plan is None:
        return
    brief.plan = plan
    brief.objectives = list(plan_selectors.plan_objectives(plan=plan))
    brief.progress = progress.objective_progress(brief.objectives, today=today)
    for objective in brief.objectives:
        objective.progress = brief.progress.get(objective.pk)
    brief.open_actions = list(
        plan.actions.filter(status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS])
        .select_related("owner")
        .order_by("due_on", "pk")[:8]
    )


def stakeholders(*, user, account: Account, meeting: Activity | None = None) -> QuerySet:
    """The account's current people: those invited to the meeting first, then by
    influence; each with their last contact day and relationship owner."""
    people: QuerySet[Contact] = Contact.objects.visible_to(user).filter(
        account=account, is_archived=False
    )
    if meeting is not None:
        invited = ActivityContact.objects.filter(activity=meeting, contact=OuterRef("pk"))
        people = people.annotate(invited=Exists(invited))
    else:
        people = people.annotate(invited=Value(False))
    return (
        with_last_contact(people, user=user)
        .select_related("relationship_owner")
        .order_by(
            F("invited").desc(),
            F("left_on").asc(nulls_first=True),
            F("influence").desc(nulls_last=True),
            "last_name",
            "first_name",
            "pk",
        )
    )


def last_outcomes(*, user, account: Account, limit: int = LAST_OUTCOMES) -> QuerySet:
    """The latest done activities with something written about how they went."""
    done = Activity.objects.visible_to(user).filter(account=account, status=ActivityStatus.DONE)
    done = done.exclude(Q(outcome="") & Q(next_steps=""))
    return done.select_related("owner").order_by(Coalesce("done_at", "starts_at").desc(), "-pk")[
        :limit
    ]


def receivables(*, user, account: Account, today: date) -> Receivables:
    """Overdue open invoices of the account (see Receivables for the rule)."""
    result = receivable_selectors.account_receivables(user=user, account=account, as_of=today)
    overdue = [invoice for invoice in result.open_invoices if invoice.days_overdue > 0]
    totals: dict[str, dict[str, Any]] = {}
    for invoice in overdue:
        row = totals.setdefault(
            invoice.currency,
            {"currency": invoice.currency, "amount": ZERO, "count": 0, "oldest_due_on": None},
        )
        row["amount"] += invoice.open_amount
        row["count"] += 1
        due = invoice.due_on or invoice.issued_on
        row["oldest_due_on"] = min(filter(None, (row["oldest_due_on"], due)))
    credits = [
        {"currency": item.currency, "amount": -item.aging.unapplied}
        for item in result.currencies
        if item.aging.unapplied < 0
    ]
    # An ERP document no invoice matches has no pk: it sorts by its number.
    oldest = sorted(overdue, key=lambda i: (-i.days_overdue, i.pk or 0, i.number))
    oldest = oldest[:OVERDUE_LISTED]
    return Receivables(
        by_currency=[totals[currency] for currency in sorted(totals)],
        oldest=oldest,
        unmatched_payments=credits,
    )
