"""Reads for the portfolio pages, exports and API. Everything takes the user.

Every queryset starts from `AccountMetrics.objects.visible_to(user)` (or the same on
snapshots), so a KAM's Pareto curve, ABC classes and matrix are computed over the customers
they see, the head's over the whole company. ABC classes are recomputed here from the
visible values (by revenue or by margin) instead of read from the stored column, which was
computed over the whole company by revenue only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

import numpy as np
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import OrderBy
from django.db.models.functions import Coalesce

from openkam.accounts.models import Account, Tier
from openkam.core import bounds
from openkam.insights.classes import ABC_LABELS, XYZ_LABELS, abc_classes
from openkam.insights.concentration import herfindahl, pareto_curve, top_share
from openkam.portfolio.models import (
    AccountMetrics,
    AnalysisSettings,
    RecomputeRun,
    Scope,
    ScoreSnapshot,
    ScoringModel,
)
from openkam.users import permissions
from openkam.users.permissions import AnyUser

# A row of customer_metrics(...).values_list(*FRAME_FIELDS).
FrameRow = tuple[Any, ...]

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    class Score(TypedDict):
        score: Decimal | None

    # A customer's figures with the chosen model's latest score (`metrics_list`); at group
    # scope also `members`, the other companies of the group the user sees.
    MetricsWithScore = WithAnnotations[AccountMetrics, Score]

BASES = ("revenue", "margin")
PARETO_POINTS = 400  # enough for a smooth line, light enough for any portfolio
SCATTER_LIMIT = 2000  # a readable cloud; the largest customers by revenue

# Sort keys offered on the cell page and in exports -> ORDER BY.
SORTS = {
    "name": ("account__name", "pk"),
    "revenue": ("revenue", "pk"),
    "margin": ("margin", "pk"),
    "growth": ("growth", "pk"),
    "avg_invoice": ("avg_invoice", "pk"),
    "product_lines": ("product_lines", "pk"),
    "relationship": ("relationship_days", "pk"),
    "days_late": ("avg_days_late", "pk"),
    "worst_late": ("worst_days_late", "pk"),
    "score": ("score", "pk"),
}


@dataclass(frozen=True)
class Filters:
    scope: str = Scope.GROUP
    basis: str = "revenue"
    abc: str = ""
    xyz: str = ""
    model_id: int | None = None
    sort: str = "-revenue"
    group: int | None = None  # the companies of one group (its root's id), at entity scope

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> Filters:
        """Bad or unknown values fall back to the defaults (a page never errors on a link)."""
        sort = params.get("sort", "-revenue")
        group = bounds.id_or_none(params.get("group"))
        scope = params.get("scope", "") if params.get("scope") in Scope.values else Scope.GROUP
        return cls(
            scope=Scope.ENTITY if group else scope,
            group=group,
            basis=params.get("basis", "") if params.get("basis") in BASES else "revenue",
            abc=params.get("abc", "") if params.get("abc") in ABC_LABELS else "",
            xyz=params.get("xyz", "") if params.get("xyz") in XYZ_LABELS else "",
            model_id=bounds.id_or_none(params.get("model")),
            sort=sort if sort.lstrip("-") in SORTS else "-revenue",
        )


def latest_run() -> RecomputeRun | None:
    return RecomputeRun.objects.filter(status=RecomputeRun.Status.SUCCEEDED).first()


def visible_models() -> QuerySet[ScoringModel]:
    """Scoring models are company configuration: every signed-in user may read them."""
    return ScoringModel.objects.prefetch_related("criteria")


def chosen_model(model_id: int | None) -> ScoringModel | None:
    """The model asked for, else the default, else the first active one."""
    active = ScoringModel.objects.filter(is_active=True)
    if model_id is not None:
        found = active.filter(pk=model_id).first()
        if found:
            return found
    return active.order_by("-is_default", "name").first()


def customer_metrics(*, user: AnyUser, scope: str = Scope.GROUP) -> QuerySet[AccountMetrics]:
    """The visible customers' figures at one scope.

    At group scope a group is one customer (its root's row). A KAM who works on a
    subsidiary but not on its group still sees that subsidiary, as a customer of its own.
    """
    rows = AccountMetrics.objects.visible_to(user)
    if scope == Scope.ENTITY:
        return rows.filter(scope=Scope.ENTITY)
    if permissions.sees_all_accounts(user):
        return rows.filter(scope=Scope.GROUP)
    visible = Account.objects.visible_to(user).values("pk")
    orphan = (
        Q(scope=Scope.ENTITY)
        & ~Q(account__group_root_id=None)
        & ~Q(account__group_root_id=F("account_id"))
        & ~Q(account__group_root_id__in=visible)
    )
    return rows.filter(Q(scope=Scope.GROUP) | orphan)


# --- classes over the visible set ------------------------------------------------------


@dataclass(frozen=True)
class Cutoffs:
    """ABC classes as value thresholds: A from `a` up, B from `b` up to `a`, C below.

    Derived from `abc_classes` over the visible values; expressing them as thresholds lets
    the cell page filter in SQL and keeps the page's counts and the list identical.
    """

    a: Decimal | None
    b: Decimal | None

    def classify(self, values: np.ndarray) -> np.ndarray:
        result = np.full(len(values), "C", dtype="<U1")
        if self.b is not None:
            result[values >= float(self.b)] = "B"
        if self.a is not None:
            result[values >= float(self.a)] = "A"
        return result

    def label(self, value: Decimal) -> str:
        if self.a is not None and value >= self.a:
            return "A"
        if self.b is not None and value >= self.b:
            return "B"
        return "C"

    def q(self, basis: str, abc: str) -> Q:
        above = {f"{basis}__gte": self.a} if self.a is not None else None
        if abc == "A":
            return Q(**above) if above else Q(pk__in=[])
        if abc == "B":
            if self.b is None:
                return Q(pk__in=[])
            rule = Q(**{f"{basis}__gte": self.b})
            return rule & ~Q(**above) if above else rule
        lowest = self.b if self.b is not None else self.a
        return ~Q(**{f"{basis}__gte": lowest}) if lowest is not None else Q()


def cutoffs_for(values: list[Decimal], settings: AnalysisSettings) -> Cutoffs:
    if not values:
        return Cutoffs(None, None)
    floats = np.array([float(v) for v in values])
    classes = abc_classes(floats, (float(settings.abc_a), float(settings.abc_b)))

    def lowest(label: str) -> Decimal | None:
        members = [v for v, c in zip(values, classes) if c == label]
        return min(members) if members else None

    return Cutoffs(a=lowest("A"), b=lowest("B"))


# --- the analysis page -----------------------------------------------------------------


@dataclass
class Cell:
    abc: str
    xyz: str
    count: int
    value: Decimal
    share: float


@dataclass
class Summary:
    run: RecomputeRun | None
    filters: Filters
    customers: int = 0
    revenue: Decimal = Decimal("0.00")
    margin: Decimal = Decimal("0.00")
    currency: str = ""
    top20_share: float = 0.0
    customers_for_80: int = 0
    herfindahl: float = 0.0
    pareto: list[list[float]] = field(default_factory=list)
    matrix: list[list[Cell]] = field(default_factory=list)
    rfm_segments: list[tuple[str, int]] = field(default_factory=list)
    scatter: list[dict] = field(default_factory=list)
    scatter_capped: bool = False
    model: ScoringModel | None = None

    @property
    def share_for_80(self) -> float:
        return self.customers_for_80 / self.customers if self.customers else 0.0


FRAME_FIELDS = (
    "account_id",
    "account__name",
    "account__currency",
    "revenue",
    "margin",
    "xyz",
    "rfm_recency",
    "rfm_frequency",
    "rfm_monetary",
    "account__tier",
)


def summary(*, user: AnyUser, filters: Filters) -> Summary:
    run = latest_run()
    result = Summary(run=run, filters=filters)
    if run is None:
        return result
    rows = list(customer_metrics(user=user, scope=filters.scope).values_list(*FRAME_FIELDS))
    result.model = chosen_model(filters.model_id)
    if not rows:
        return result
    settings = AnalysisSettings.current()
    basis_values = [r[3] if filters.basis == "revenue" else r[4] for r in rows]
    values = np.array([float(v) for v in basis_values])
    result.customers = len(rows)
    result.revenue = sum((r[3] for r in rows), Decimal("0.00"))
    result.margin = sum((r[4] for r in rows), Decimal("0.00"))
    result.currency = _common_currency(r[2] for r in rows)
    curve = pareto_curve(values)
    result.top20_share = top_share(values, 0.20)
    result.customers_for_80 = curve.customers_for_share(0.80)
    result.herfindahl = herfindahl(values)
    result.pareto = _downsample(curve.customer_share, curve.value_share)
    cutoffs = cutoffs_for(basis_values, settings)
    result.matrix = _matrix(cutoffs.classify(values), [r[5] for r in rows], basis_values)
    result.rfm_segments = rfm_segment_counts(rows)
    if result.model is not None:
        result.scatter, result.scatter_capped = _scatter(user, run, result.model, rows)
    return result


def _common_currency(codes: Iterable[str]) -> str:
    found = set(codes)
    return found.pop() if len(found) == 1 else ""


def _downsample(x: np.ndarray, y: np.ndarray) -> list[list[float]]:
    if len(x) == 0:
        return []
    picks = np.unique(np.linspace(0, len(x) - 1, min(len(x), PARETO_POINTS)).astype(int))
    return [[0.0, 0.0]] + [[round(float(x[i]), 5), round(float(y[i]), 5)] for i in picks]


def _matrix(abc: np.ndarray, xyz: list[str], values: list[Decimal]) -> list[list[Cell]]:
    total = sum((v for v in values if v > 0), Decimal("0.00"))
    cells = {(a, x): Cell(a, x, 0, Decimal("0.00"), 0.0) for a in ABC_LABELS for x in XYZ_LABELS}
    for a, x, value in zip(abc.tolist(), xyz, values):
        cell = cells[(a, x or "Z")]
        cell.count += 1
        cell.value += value
    for cell in cells.values():
        cell.share = float(cell.value / total) if total > 0 else 0.0
    return [[cells[(a, x)] for x in XYZ_LABELS] for a in ABC_LABELS]


# RFM segments by recency (R) and frequency (F) quintile scores, first match wins.
RFM_SEGMENTS = (
    ("champions", lambda r, f: r >= 4 and f >= 4),
    ("loyal", lambda r, f: r >= 3 and f >= 3),
    ("new", lambda r, f: r >= 4 and f <= 2),
    ("at_risk", lambda r, f: r <= 2 and f >= 3),
    ("lapsing", lambda r, f: r <= 2),
    ("middle", lambda r, f: True),
)


def rfm_segment_counts(rows: Iterable[FrameRow]) -> list[tuple[str, int]]:
    counts = dict.fromkeys((name for name, _ in RFM_SEGMENTS), 0)
    for row in rows:
        r, f = row[6], row[7]
        for name, rule in RFM_SEGMENTS:
            if rule(r, f):
                counts[name] += 1
                break
    return list(counts.items())


def _scatter(
    user: AnyUser, run: RecomputeRun, model: ScoringModel, rows: list[FrameRow]
) -> tuple[list[dict], bool]:
    """The largest customers by revenue (at most SCATTER_LIMIT): only their scores are read,
    so the page stays fast for a company of 50,000 customers."""
    selling = sorted((r for r in rows if r[3] > 0), key=lambda r: -r[3])
    shown = selling[:SCATTER_LIMIT]
    totals = dict(
        ScoreSnapshot.objects.visible_to(user)
        .filter(run=run, scoring_model=model, account_id__in=[r[0] for r in shown])
        .values_list("account_id", "total")
    )
    points = [
        {
            "id": r[0],
            "name": r[1],
            "revenue": float(r[3]),
            "score": float(totals[r[0]]),
            "key": r[9] != Tier.STANDARD,
        }
        for r in shown
        if r[0] in totals
    ]
    return points, len(selling) > SCATTER_LIMIT


# --- the cell page, exports and API lists ----------------------------------------------


def visible_cutoffs(*, user: AnyUser, filters: Filters) -> Cutoffs:
    """ABC thresholds over the customers the user sees, by the filters' basis."""
    rows = customer_metrics(user=user, scope=filters.scope)
    values = list(rows.values_list(filters.basis, flat=True))
    return cutoffs_for(values, AnalysisSettings.current())


def metrics_list(
    *, user: AnyUser, filters: Filters, cutoffs: Cutoffs | None = None
) -> QuerySet[MetricsWithScore]:
    """The visible customers' figures filtered to one ABC/XYZ cell (or all), sorted,
    with the chosen model's latest score as `score` (None where not scored)."""
    rows = customer_metrics(user=user, scope=filters.scope)
    if filters.abc:
        cutoffs = cutoffs or visible_cutoffs(user=user, filters=filters)
        rows = rows.filter(cutoffs.q(filters.basis, filters.abc))
    if filters.xyz:
        rows = rows.filter(xyz=filters.xyz)
    if filters.group:
        rows = rows.filter(account__group_root_id=filters.group)
    rows = rows.select_related("account").annotate(score=_score_subquery(filters.model_id))
    if filters.scope == Scope.GROUP:
        rows = rows.annotate(members=_member_count(user))
    keys = SORTS[filters.sort.lstrip("-")]
    if filters.sort.startswith("-"):
        return rows.order_by(*(_desc(k) for k in keys))
    return rows.order_by(*(_asc(k) for k in keys))


def _member_count(user: AnyUser) -> Coalesce:
    """How many other companies of the row's group the user sees (0 for a stand-alone)."""
    members = (
        Account.objects.visible_to(user)
        .filter(group_root_id=OuterRef("account_id"))
        .exclude(pk=OuterRef("account_id"))
        .order_by()
        .values("group_root_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(members), 0)


def _desc(key: str) -> OrderBy:
    return F(key).desc(nulls_last=True)


def _asc(key: str) -> OrderBy:
    return F(key).asc(nulls_last=True)


def _score_subquery(model_id: int | None) -> Subquery:
    model = chosen_model(model_id)
    run = latest_run()
    # No ORDER BY: with the model's default (rank) the database walks the rank index
    # instead of looking the one row up by account.
    snapshots = (
        ScoreSnapshot.objects.filter(
            account_id=OuterRef("account_id"),
            scoring_model_id=model.pk if model else None,
            run_id=run.pk if run else None,
        )
        .order_by()
        .values("total")[:1]
    )
    return Subquery(snapshots)


def metrics_for_account(*, user: AnyUser, account: Account) -> dict[str, AccountMetrics]:
    """scope -> figures of one visible account (group figures only on a group root)."""
    rows = AccountMetrics.objects.visible_to(user).filter(account=account)
    return {row.scope: row for row in rows}


def with_classes(
    rows: Iterable[AccountMetrics], *, cutoffs: Cutoffs, basis: str
) -> Iterator[AccountMetrics]:
    """Set `visible_abc` on each row: its class within what the user sees."""
    for row in rows:
        row.visible_abc = cutoffs.label(getattr(row, basis))
        yield row
