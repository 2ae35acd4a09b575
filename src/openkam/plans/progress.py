"""How far each objective has come: read from the ledger and activities, in a few queries.

Scope. An objective belongs to a plan, and a plan to an account. A plan on the root of a
group (an account with subsidiaries whose `group_root` is itself) measures the whole
group, because the customer we plan for is the group; a plan on a subsidiary measures
that legal entity alone.

Window. Values are taken from the plan's first day to the objective's due date, or to
today when that comes first.

Two kinds of metric:

- cumulative ones (revenue, margin, revenue in a product line, share of wallet, meetings)
  start from nothing each period, so the way done is `current / target`; the baseline
  (last period's figure) is shown for comparison;
- level ones (margin %, product lines bought, entered by hand) move from the baseline to
  the target, so the way done is `(current - baseline) / (target - baseline)`.

On track means the way done is at least the share of the window's time that has passed
(less a small tolerance), or the target is reached.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Aggregate, Count, Q, Sum
from django.utils import timezone

from openkam.accounts.models import Account
from openkam.plans.models import AccountPlan, Objective, ObjectiveMetric

M = ObjectiveMetric
LEDGER_METRICS = frozenset(
    {M.REVENUE, M.MARGIN, M.MARGIN_PCT, M.PRODUCT_LINE_REVENUE, M.PRODUCT_LINES, M.SHARE_OF_WALLET}
)
CUMULATIVE_METRICS = frozenset(
    {M.REVENUE, M.MARGIN, M.PRODUCT_LINE_REVENUE, M.SHARE_OF_WALLET, M.MEETINGS}
)
# Activity kinds that count as a meeting held (customer conversations at a time).
MEETING_KINDS = ("meeting", "visit", "call")
DONE = "done"  # an activity's status once its outcome is logged
TOLERANCE = Decimal("0.05")
ZERO = Decimal("0")
HUNDRED = Decimal("100")


@dataclass(frozen=True)
class ObjectiveProgress:
    objective_id: int
    metric: str
    source: str  # "ledger", "activities" or "manual"
    baseline: Decimal | None
    current: Decimal | None
    target: Decimal
    fraction: Decimal | None  # share of the way done, 1 = target reached (may exceed 1)
    expected: Decimal  # share of the window's time passed, 0..1
    on_track: bool | None  # None: nothing to judge yet (no value entered)
    window_start: date
    window_end: date

    @property
    def percent(self) -> int:
        """The way done for a progress bar, 0..100."""
        if self.fraction is None:
            return 0
        return int(max(ZERO, min(Decimal(1), self.fraction)) * 100)

    @property
    def expected_percent(self) -> int:
        return int(self.expected * 100)


@dataclass(frozen=True)
class _Plan:
    period_start: date
    scope: tuple[int, ...]  # account ids measured


def objective_progress(
    objectives: Iterable[Objective], *, today: date
) -> dict[int, ObjectiveProgress]:
    """Progress of each objective, keyed by objective id; at most three queries in all."""
    objectives = list(objectives)
    if not objectives:
        return {}
    plans = _plans_of(objectives)
    windows = {o.pk: _window(o, plans[o.plan_id], today) for o in objectives}
    values = _ledger_values(objectives, plans, windows)
    values.update(_meeting_counts(objectives, plans, windows))
    return {
        o.pk: _progress(o, values.get(o.pk), windows[o.pk], plans[o.plan_id], today)
        for o in objectives
    }


def _plans_of(objectives: list[Objective]) -> dict[int, _Plan]:
    """Each plan's first day and measured accounts: one query over plans and subsidiaries."""
    plan_ids = {o.plan_id for o in objectives}
    rows = list(
        AccountPlan.objects.filter(pk__in=plan_ids)
        .order_by()
        .values("pk", "period_start", "account_id")
    )
    roots = {row["account_id"] for row in rows}
    members: dict[int, set[int]] = {root: {root} for root in roots}
    subsidiaries = Account.objects.filter(group_root_id__in=roots).order_by()
    for pk, root in subsidiaries.values_list("pk", "group_root_id"):
        members[root].add(pk)
    return {
        row["pk"]: _Plan(row["period_start"], tuple(sorted(members[row["account_id"]])))
        for row in rows
    }


def _window(objective: Objective, plan: _Plan, today: date) -> tuple[date, date]:
    end = min(objective.due_on, today)
    return plan.period_start, max(end, plan.period_start - timedelta(days=1))


def _ledger_values(objectives, plans, windows) -> dict[int, Decimal | None]:
    """Every ledger objective's value from one aggregate over the invoice lines."""
    from openkam.ledger.models import InvoiceLine

    ledger = [o for o in objectives if o.metric in LEDGER_METRICS]
    if not ledger:
        return {}
    aggregates: dict[str, Aggregate] = {}
    for o in ledger:
        start, end = windows[o.pk]
        where = Q(account_id__in=plans[o.plan_id].scope, issued_on__gte=start, issued_on__lte=end)
        if o.metric == M.PRODUCT_LINE_REVENUE:
            where &= Q(product__product_line=o.product_line)
        if o.metric == M.PRODUCT_LINES:
            where &= Q(net_amount__gt=0) & ~Q(product__product_line="")
            aggregates[f"n{o.pk}"] = Count("product__product_line", distinct=True, filter=where)
            continue
        aggregates[f"r{o.pk}"] = Sum("net_amount", filter=where)
        if o.metric in (M.MARGIN, M.MARGIN_PCT):
            aggregates[f"c{o.pk}"] = Sum("cost_amount", filter=where)
    accounts = {pk for o in ledger for pk in plans[o.plan_id].scope}
    first = min(windows[o.pk][0] for o in ledger)
    row = InvoiceLine.objects.filter(account_id__in=accounts, issued_on__gte=first).aggregate(
        **aggregates
    )
    return {o.pk: _ledger_value(o, row) for o in ledger}


def _ledger_value(objective: Objective, row: dict) -> Decimal | None:
    pk, metric = objective.pk, objective.metric
    if metric == M.PRODUCT_LINES:
        return Decimal(row[f"n{pk}"] or 0)
    revenue = row[f"r{pk}"] or ZERO
    if metric in (M.REVENUE, M.PRODUCT_LINE_REVENUE):
        return revenue
    if metric == M.SHARE_OF_WALLET:
        if not objective.wallet_estimate:
            return None
        return (revenue / objective.wallet_estimate * HUNDRED).quantize(Decimal("0.01"))
    margin = revenue - (row[f"c{pk}"] or ZERO)
    if metric == M.MARGIN:
        return margin
    if not revenue:
        return None
    return (margin / revenue * HUNDRED).quantize(Decimal("0.01"))


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _meeting_counts(objectives, plans, windows) -> dict[int, Decimal]:
    """Meetings, visits and calls done in each window (by the day they were logged as done,
    else their start), in one aggregate over the accounts' activities.

    Read through the accounts' reverse relation: activities sit above plans (an activity
    names the objective it serves), so plans may not import them.
    """
    meetings = [o for o in objectives if o.metric == M.MEETINGS]
    if not meetings:
        return {}
    done_meetings = Q(activities__status=DONE, activities__kind__in=MEETING_KINDS)
    aggregates = {}
    for o in meetings:
        start, end = windows[o.pk]
        since, until = _aware(start), _aware(end + timedelta(days=1))
        when = Q(activities__done_at__gte=since, activities__done_at__lt=until) | Q(
            activities__done_at__isnull=True,
            activities__starts_at__gte=since,
            activities__starts_at__lt=until,
        )
        in_scope = Q(pk__in=plans[o.plan_id].scope)
        aggregates[f"m{o.pk}"] = Count("activities", filter=in_scope & done_meetings & when)
    accounts = {pk for o in meetings for pk in plans[o.plan_id].scope}
    row = Account.objects.filter(pk__in=accounts).aggregate(**aggregates)
    return {o.pk: Decimal(row[f"m{o.pk}"] or 0) for o in meetings}


def _source(metric: str) -> str:
    if metric == M.MEETINGS:
        return "activities"
    return "ledger" if metric in LEDGER_METRICS else "manual"


def _fraction(objective: Objective, current: Decimal | None) -> Decimal | None:
    if current is None:
        return None
    target = objective.target
    if objective.metric in CUMULATIVE_METRICS:
        if target <= 0:
            return Decimal(1) if current >= target else ZERO
        return current / target
    baseline = objective.baseline if objective.baseline is not None else ZERO
    if target == baseline:
        return Decimal(1) if current == target else ZERO
    return (current - baseline) / (target - baseline)


def _expected(objective: Objective, plan: _Plan, today: date) -> Decimal:
    span = (objective.due_on - plan.period_start).days
    if span <= 0 or today >= objective.due_on:
        return Decimal(1)
    passed = max(0, (today - plan.period_start).days)
    return Decimal(passed) / Decimal(span)


def _progress(objective, value, window, plan: _Plan, today: date) -> ObjectiveProgress:
    current = objective.current_value if objective.metric == M.MANUAL else value
    fraction = _fraction(objective, current)
    expected = _expected(objective, plan, today)
    on_track = None if fraction is None else fraction >= 1 or fraction + TOLERANCE >= expected
    return ObjectiveProgress(
        objective_id=objective.pk,
        metric=objective.metric,
        source=_source(objective.metric),
        baseline=objective.baseline,
        current=current,
        target=objective.target,
        fraction=None if fraction is None else fraction.quantize(Decimal("0.0001")),
        expected=expected.quantize(Decimal("0.0001")),
        on_track=on_track,
        window_start=window[0],
        window_end=window[1],
    )
