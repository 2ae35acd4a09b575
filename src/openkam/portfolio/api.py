"""JSON API for portfolio analysis: summary, customers' figures, one account's figures and
score breakdown, scoring models, starting a recompute. Same visibility as the pages."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from openkam.accounts import access
from openkam.accounts.models import Account
from openkam.core import bounds
from openkam.core.schemas import ErrorOut, Money
from openkam.portfolio import selectors, services
from openkam.portfolio.breakdown import score_breakdown
from openkam.portfolio.models import Scope
from openkam.users import permissions

router = Router(tags=["portfolio"])


class RunOut(Schema):
    id: int
    period_start: date
    period_end: date
    finished_at: datetime | None
    accounts: int = Field(description="Accounts with figures in the run that the caller sees")


class CellOut(Schema):
    abc: str
    xyz: str
    count: int
    value: Money
    share: float


class SummaryOut(Schema):
    run: RunOut | None
    scope: str
    basis: str
    currency: str
    customers: int
    revenue: Money
    margin: Money
    top20_share: float = Field(description="Share of the value held by the top 20% customers")
    customers_for_80: int = Field(description="How many of the largest customers hold 80%")
    herfindahl: float
    pareto: list[list[float]] = Field(description="[share of customers, cumulative share]")
    matrix: list[CellOut]
    rfm_segments: dict[str, int]


class SummaryFilters(Schema):
    scope: Scope = Scope.GROUP
    basis: str = Field("revenue", pattern="^(revenue|margin)$")


class ListFilters(SummaryFilters):
    abc: str = Field("", pattern="^[ABC]?$")
    xyz: str = Field("", pattern="^[XYZ]?$")
    model: bounds.Id | None = Field(
        None, description="Scoring model for `score`; default model if empty"
    )
    sort: str = Field(
        "-revenue", max_length=20, description="revenue, margin, growth, score, name...; - reverses"
    )
    group: bounds.Id | None = Field(None, description="Only the companies of this group (root id)")


class MetricsOut(Schema):
    account_id: int
    name: str
    scope: str
    currency: str
    revenue: Money
    margin: Money
    revenue_prev: Money
    growth: float | None
    invoice_count: int
    avg_invoice: Money
    product_lines: int
    first_invoice_on: date | None
    last_invoice_on: date | None
    relationship_days: int
    avg_days_late: float | None
    worst_days_late: int | None
    variation: float | None
    abc: str = Field(description="ABC class within the customers the caller sees")
    xyz: str
    rfm: str = Field(description="Recency, frequency, monetary quintiles, e.g. 545")
    score: Decimal | None = None


class PartOut(Schema):
    criterion: str
    label: str
    source: str
    value: float | None
    points: float
    weight: float
    contribution: float


class ModelScoreOut(Schema):
    model_id: int
    model: str
    total: float | None
    rank: int | None
    out_of: int
    parts: list[PartOut]
    history: list[dict]


class AccountPortfolioOut(Schema):
    account_id: int
    group_root_id: int
    scored_as_group: bool
    entity: MetricsOut | None
    group: MetricsOut | None
    scores: list[ModelScoreOut]


class CriterionOut(Schema):
    criterion: str
    weight: Decimal
    share: float
    source: str
    metric: str
    mapping: str
    bands: list[float]
    higher_is_better: bool


class ModelOut(Schema):
    id: int
    name: str
    description: str
    segment: str
    is_active: bool
    is_default: bool
    criteria: list[CriterionOut]


class JobOut(Schema):
    job_id: int
    status: str


def _metrics_out(m, abc: str | None = None) -> dict:
    return {
        "account_id": m.account_id,
        "name": m.account.name,
        "scope": m.scope,
        "currency": m.account.currency,
        **{
            name: getattr(m, name)
            for name in (
                "revenue margin revenue_prev growth invoice_count avg_invoice product_lines "
                "first_invoice_on last_invoice_on relationship_days avg_days_late "
                "worst_days_late variation xyz"
            ).split()
        },
        "abc": abc if abc is not None else m.abc,
        "rfm": f"{m.rfm_recency}{m.rfm_frequency}{m.rfm_monetary}",
        "score": getattr(m, "score", None),
    }


@router.get("/summary", response=SummaryOut, url_name="portfolio_summary")
def summary(request, filters: Query[SummaryFilters]):
    chosen = selectors.Filters(scope=filters.scope, basis=filters.basis)
    result = selectors.summary(user=request.auth, filters=chosen)
    return {
        "run": _run_out(request.auth, result.run),
        "scope": chosen.scope,
        "basis": chosen.basis,
        "currency": result.currency,
        "customers": result.customers,
        "revenue": result.revenue,
        "margin": result.margin,
        "top20_share": result.top20_share,
        "customers_for_80": result.customers_for_80,
        "herfindahl": result.herfindahl,
        "pareto": result.pareto,
        "matrix": [cell for row in result.matrix for cell in row],
        "rfm_segments": dict(result.rfm_segments),
    }


def _run_out(user, run) -> dict | None:
    """The run, counting only the accounts whose figures the caller may see."""
    if run is None:
        return None
    visible = selectors.customer_metrics(user=user, scope=Scope.ENTITY).count()
    fields = ("id", "period_start", "period_end", "finished_at")
    return {name: getattr(run, name) for name in fields} | {"accounts": visible}


@router.get("/accounts", response=list[MetricsOut], url_name="portfolio_accounts")
@paginate(bounds.Pages, page_size=100)
def accounts(request, filters: Query[ListFilters]):
    chosen = selectors.Filters.from_params(
        {k: str(v) for k, v in filters.dict().items() if v not in (None, "")}
    )
    cutoffs = selectors.visible_cutoffs(user=request.auth, filters=chosen)
    rows = selectors.metrics_list(user=request.auth, filters=chosen, cutoffs=cutoffs)
    return _ClassedRows(rows, cutoffs, chosen.basis)


class _ClassedRows:
    """A queryset-like list for the paginator: rows get their visible ABC class on slicing."""

    def __init__(self, rows, cutoffs, basis: str):
        self.rows, self.cutoffs, self.basis = rows, cutoffs, basis

    def count(self) -> int:
        return self.rows.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        page = self.rows[key]
        return [_metrics_out(m, self.cutoffs.label(getattr(m, self.basis))) for m in page]


@router.get("/accounts/{id:account_id}", response=AccountPortfolioOut, url_name="portfolio_account")
def account(request, account_id: int):
    user = request.auth
    found = access.visible_or_404(Account, user, pk=account_id)
    metrics = selectors.metrics_for_account(user=user, account=found)
    breakdown = score_breakdown(user=user, account=found)
    return {
        "account_id": found.pk,
        "group_root_id": breakdown.root.pk,
        "scored_as_group": breakdown.is_subsidiary,
        "entity": _metrics_out(metrics["entity"]) if "entity" in metrics else None,
        "group": _metrics_out(metrics["group"]) if "group" in metrics else None,
        "scores": [
            {
                "model_id": s.model.pk,
                "model": s.model.name,
                "total": s.total,
                "rank": s.rank,
                "out_of": s.out_of,
                "parts": [p.__dict__ for p in s.parts],
                "history": [
                    {"computed_at": when.isoformat(), "total": total, "rank": rank}
                    for when, total, rank in s.history
                ],
            }
            for s in breakdown.scores
        ]
        if breakdown.root_visible
        else [],
    }


@router.get("/models", response=list[ModelOut], url_name="portfolio_models")
def models(request):
    result = []
    for model in selectors.visible_models():
        criteria = list(model.criteria.all())
        total = sum(float(c.weight) for c in criteria) or 1.0
        result.append(
            {
                **{
                    k: getattr(model, k)
                    for k in ("id", "name", "description", "segment", "is_active", "is_default")
                },
                "criteria": [
                    {
                        **{
                            k: getattr(c, k)
                            for k in (
                                "criterion weight source metric mapping bands higher_is_better"
                            ).split()
                        },
                        "share": float(c.weight) / total,
                    }
                    for c in criteria
                ],
            }
        )
    return result


@router.post("/recompute", response={200: JobOut, 404: ErrorOut}, url_name="portfolio_recompute")
def recompute(request):
    """Queue a recompute of every figure and score (heads and administrators)."""
    permissions.portfolio_manager_or_404(request.auth)
    job = services.recompute_start(actor=request.auth)
    return {"job_id": job.pk, "status": job.status}
