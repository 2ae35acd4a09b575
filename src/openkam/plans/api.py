"""JSON API for plans (mounted in openkam.api at /api/plans).

Lists and reads follow visibility (hidden plans answer 404); read-only roles get 403 on
writes.
"""

from datetime import date
from decimal import Decimal

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from openkam.accounts import access
from openkam.accounts.api import OnAccountOut
from openkam.core import bounds
from openkam.core.schemas import WRITE_ERRORS
from openkam.plans import cadence, selectors, services
from openkam.plans.document import plan_document
from openkam.plans.models import (
    ActionStatus,
    PlanAction,
    PlanHealth,
    PlanStatus,
)
from openkam.users import permissions

router = Router(tags=["plans"])


class PlanOut(OnAccountOut):
    id: int
    title: str
    period_start: date
    period_end: date
    status: PlanStatus
    health: str = Field(description="on_track, at_risk, off_track, or empty: never reviewed")
    review_cadence: str
    owner_id: int
    last_reviewed_on: date | None
    review_overdue: bool
    overdue_action_count: int

    @staticmethod
    def resolve_review_overdue(plan) -> bool:
        return cadence.review_overdue(plan, today=permissions.today())


class ProgressOut(Schema):
    source: str = Field(description="ledger, activities or manual")
    current: Decimal | None
    fraction: Decimal | None = Field(description="Share of the way from baseline to target")
    expected: Decimal = Field(description="Share of the time passed")
    on_track: bool | None
    window_start: date
    window_end: date


class ObjectiveOut(Schema):
    id: int
    title: str
    metric: str
    product_line: str
    baseline: Decimal | None
    target: Decimal
    wallet_estimate: Decimal | None
    due_on: date
    owner_id: int
    progress: ProgressOut


class ActionOut(Schema):
    id: int
    title: str
    objective_id: int | None
    owner_id: int
    due_on: date
    status: ActionStatus
    done_on: date | None
    is_overdue: bool


class RiskOut(Schema):
    id: int
    kind: str
    competitor_id: int | None
    description: str
    likelihood: int
    impact: int
    mitigation: str


class PlanReviewOut(Schema):
    id: int
    reviewed_on: date
    reviewer_id: int
    health: PlanHealth
    comment: str


class KeyFigure(Schema):
    label: str
    value: str


class PlanDetailOut(PlanOut):
    relationship_summary: str
    client_goals: str
    client_plans: str
    client_financial_condition: str
    client_key_figures: list[KeyFigure]
    strategy: str
    next_review_due: date
    objectives: list[ObjectiveOut] = Field(alias="objective_rows")
    actions: list[ActionOut] = Field(alias="action_rows")
    risks: list[RiskOut] = Field(alias="risk_rows")
    reviews: list[PlanReviewOut] = Field(alias="review_rows")


class PlanFilters(Schema):
    account_id: bounds.Id | None = None
    status: str = Field("", description="draft, active, closed, all; empty: not closed")
    needs_review: bool = False


class PlanReviewIn(Schema):
    health: PlanHealth
    comment: str = ""
    reviewed_on: bounds.ApiDate | None = None


class ActionPatch(Schema):
    status: ActionStatus


@router.get("", response=list[PlanOut], url_name="plan_list")
@paginate(bounds.Pages, page_size=50)
def plan_list(request, filters: Query[PlanFilters]):
    today = permissions.today()
    plans = selectors.plan_list(
        user=request.auth,
        today=today,
        filters=selectors.PlanFilters(
            status=filters.status if filters.status in {*PlanStatus.values, "all"} else "",
            needs_review=filters.needs_review,
        ),
    )
    if filters.account_id is not None:
        plans = plans.filter(account_id=filters.account_id)
    return plans


def _plans():
    return selectors.plan_details(today=permissions.today())


@router.get("/{id:plan_id}", response=PlanDetailOut, url_name="plan_detail")
def plan_detail(request, plan_id: int):
    """The whole plan: sections, objectives with their progress, actions, risks, reviews."""
    today = permissions.today()
    plan = access.visible_or_404(_plans(), request.auth, pk=plan_id)
    doc = plan_document(user=request.auth, plan=plan, today=today)
    plan.next_review_due = doc.next_review_due
    plan.objective_rows = [
        {**_objective_fields(row.objective), "progress": row.progress} for row in doc.objectives
    ]
    plan.action_rows, plan.risk_rows, plan.review_rows = doc.actions, doc.risks, doc.reviews
    return plan


def _objective_fields(objective) -> dict:
    names = ("id", "title", "metric", "product_line", "baseline", "target", "wallet_estimate")
    return {name: getattr(objective, name) for name in names} | {
        "due_on": objective.due_on,
        "owner_id": objective.owner_id,
    }


@router.post(
    "/{id:plan_id}/reviews",
    response={201: PlanReviewOut, **WRITE_ERRORS},
    url_name="plan_review_create",
)
def review_create(request, plan_id: int, payload: PlanReviewIn):
    """Record a review; the plan's health follows the latest review."""
    user = request.auth
    plan = access.api_editable_or_404(_plans(), user, pk=plan_id)
    review = services.review_record(actor=user, plan=plan, via="api", **payload.model_dump())
    return Status(201, review)


@router.patch(
    "/actions/{id:action_id}",
    response={200: ActionOut, **WRITE_ERRORS},
    url_name="plan_action_update",
)
def action_update(request, action_id: int, payload: ActionPatch):
    """Move an action along; done stamps today as its done day."""
    user = request.auth
    action = access.api_editable_or_404(
        PlanAction.objects.select_related("plan"), user, pk=action_id
    )
    today = permissions.today()
    services.action_set_status(
        actor=user, action=action, status=payload.status, today=today, via="api"
    )
    action.is_overdue = action.status in selectors.OPEN_STATUSES and action.due_on < today
    return action
