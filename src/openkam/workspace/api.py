"""JSON API for the workspace (mounted at /api/): competitors and the account timeline."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict, field_validator

from openkam.accounts import access
from openkam.accounts.models import Account
from openkam.core import bounds
from openkam.core.schemas import WRITE_ERRORS, ErrorOut, Money, not_null
from openkam.users import permissions
from openkam.workspace import selectors, services
from openkam.workspace.brief import meeting_brief
from openkam.workspace.models import AccountCompetitor
from openkam.workspace.timeline import PAGE_SIZE, SOURCES, timeline_page

router = Router(tags=["workspace"])

TYPES_HELP = f"Any of: {', '.join(SOURCES)}; none means all"


class CompetitorOut(Schema):
    id: int
    name: str
    website: str
    visible_accounts: int = Field(0, description="Visible accounts it is present at")


class CompetitorIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(..., min_length=1, max_length=200)
    website: str = ""


class AccountCompetitorOut(Schema):
    id: int
    account_id: int
    competitor_id: int
    competitor_name: str
    product_lines: str
    share_of_wallet: Decimal | None
    notes: str

    @staticmethod
    def resolve_competitor_name(obj) -> str:
        return obj.competitor.name


class AccountCompetitorIn(Schema):
    """Name an existing competitor by id, or give a name (created when new)."""

    model_config = ConfigDict(extra="forbid")

    competitor_id: bounds.Id | None = None
    name: str = Field("", max_length=200)
    product_lines: str = Field("", max_length=300)
    share_of_wallet: Decimal | None = Field(None, ge=0, le=100)
    notes: str = ""


class AccountCompetitorPatch(Schema):
    """Fields left out stay as they are; only the share of wallet may be null (unknown)."""

    model_config = ConfigDict(extra="forbid")

    product_lines: str | None = Field(None, max_length=300)
    share_of_wallet: Decimal | None = Field(None, ge=0, le=100)
    notes: str | None = None

    _not_null = field_validator("product_lines", "notes")(not_null)


class TimelineEntryOut(Schema):
    kind: str
    at: datetime
    on: str
    subtype: str
    title: str
    state: str
    note: str
    amount: Money | None
    count: int
    object_id: int
    link_id: int | None
    actor: str | None

    @staticmethod
    def resolve_on(obj) -> str:
        return obj.on.isoformat()

    @staticmethod
    def resolve_actor(obj) -> str | None:
        return str(obj.actor) if obj.actor else None


class TimelineOut(Schema):
    items: list[TimelineEntryOut]
    page: int
    has_next: bool


def _rows():
    return AccountCompetitor.objects.select_related("competitor", "account")


# --- competitors -----------------------------------------------------------------------


@router.get("competitors", response=list[CompetitorOut], url_name="competitor_list")
def competitor_list(request, q: bounds.SearchText = ""):
    """The shared list of competitor names, each with its count of visible accounts."""
    return selectors.competitor_list(user=request.auth, q=q)


@router.post(
    "competitors",
    response={201: CompetitorOut, 403: ErrorOut, 422: ErrorOut},
    url_name="competitor_list",
)
def competitor_create(request, payload: CompetitorIn):
    access.require_api_edit_role(request.auth)
    competitor = services.competitor_create(
        actor=request.auth, name=payload.name, website=payload.website
    )
    return Status(201, competitor)


@router.get(
    "accounts/{id:account_id}/competitors",
    response=list[AccountCompetitorOut],
    url_name="account_competitors",
)
def account_competitors(request, account_id: int):
    account = access.visible_or_404(Account, request.auth, pk=account_id)
    return selectors.account_competitors(user=request.auth, account=account)


@router.post(
    "accounts/{id:account_id}/competitors",
    response={201: AccountCompetitorOut, **WRITE_ERRORS},
    url_name="account_competitors",
)
def account_competitor_add(request, account_id: int, payload: AccountCompetitorIn):
    user = request.auth
    account = access.api_editable_or_404(Account, user, pk=account_id)
    competitor = _competitor_for(user, payload)
    row = services.account_competitor_add(
        actor=user,
        account=account,
        competitor=competitor,
        product_lines=payload.product_lines,
        share_of_wallet=payload.share_of_wallet,
        notes=payload.notes,
    )
    return Status(201, row)


def _competitor_for(user, payload: AccountCompetitorIn):
    from openkam.workspace.models import Competitor

    if payload.competitor_id is not None:
        # One named only at accounts hidden from the user is as unknown as a missing one.
        found = Competitor.objects.visible_to(user).filter(pk=payload.competitor_id).first()
        if found is None:
            raise ValidationError({"competitor_id": _("No such competitor.")})
        return found
    if not payload.name.strip():
        raise ValidationError({"name": _("Give a competitor id or a name.")})
    return services.competitor_get_or_create(actor=user, name=payload.name)


@router.patch(
    "account-competitors/{id:row_id}",
    response={200: AccountCompetitorOut, **WRITE_ERRORS},
    url_name="account_competitor",
)
def account_competitor_update(request, row_id: int, payload: AccountCompetitorPatch):
    user = request.auth
    row = access.api_editable_or_404(_rows(), user, pk=row_id)
    services.account_competitor_update(
        actor=user, account_competitor=row, **payload.model_dump(exclude_unset=True)
    )
    return row


@router.delete(
    "account-competitors/{id:row_id}",
    response={204: None, 403: ErrorOut, 404: ErrorOut},
    url_name="account_competitor",
)
def account_competitor_remove(request, row_id: int):
    user = request.auth
    row = access.api_editable_or_404(_rows(), user, pk=row_id)
    services.account_competitor_remove(actor=user, account_competitor=row)
    return Status(204, None)


# --- timeline --------------------------------------------------------------------------


@router.get("accounts/{id:account_id}/timeline", response=TimelineOut, url_name="account_timeline")
def account_timeline(
    request,
    account_id: int,
    type: list[str] = Query(None, description=TYPES_HELP),  # noqa: A002, B008
    page: int = Query(1, ge=1, le=bounds.MAX_ID),
    per_page: int = Query(PAGE_SIZE, ge=1, le=200),
):
    """Everything that happened at the account, newest first, paged in the database."""
    account = access.visible_or_404(Account, request.auth, pk=account_id)
    result = timeline_page(
        user=request.auth, account=account, kinds=type, page=page, per_page=per_page
    )
    return {"items": result.entries, "page": result.number, "has_next": result.has_next}


# --- meeting brief ---------------------------------------------------------------------


class MonthRevenueOut(Schema):
    month: date
    revenue: Money


class TrendOut(Schema):
    currency: str
    is_group: bool
    last_12: Money
    prior_12: Money
    change_percent: Decimal | None
    months: list[MonthRevenueOut]


class BriefObjectiveOut(Schema):
    id: int
    title: str
    metric: str
    baseline: Decimal | None
    current: Decimal | None
    target: Decimal
    percent: int | None
    on_track: bool | None
    due_on: date


class BriefPlanOut(Schema):
    id: int
    title: str
    status: str
    health: str
    period_start: date
    period_end: date
    objectives: list[BriefObjectiveOut]


class BriefPersonOut(Schema):
    id: int
    name: str
    position: str
    buying_role: str
    attitude: str
    influence: int | None
    last_contact_on: date | None
    invited: bool
    left_on: date | None


class OutcomeOut(Schema):
    id: int
    kind: str
    subject: str
    starts_at: datetime
    outcome: str
    next_steps: str


class OverdueOut(Schema):
    currency: str
    amount: Money
    count: int
    oldest_due_on: date


class UnmatchedOut(Schema):
    currency: str
    amount: Money


class BriefOut(Schema):
    account_id: int
    account_name: str
    tier: str
    meeting_id: int | None
    trend: TrendOut
    plan: BriefPlanOut | None
    stakeholders: list[BriefPersonOut]
    outcomes: list[OutcomeOut]
    competitors: list[AccountCompetitorOut]
    overdue: list[OverdueOut] = Field(
        description="Open invoices past their due date (docs/receivables.md: the receivables rule)"
    )
    unmatched_payments: list[UnmatchedOut]


@router.get("accounts/{id:account_id}/brief", response=BriefOut, url_name="account_brief")
def account_brief(request, account_id: int, activity: bounds.Id | None = None):
    """The meeting brief as data: the same reads as the page (`activity` puts the people
    invited to that meeting first)."""
    user = request.auth
    account = access.visible_or_404(Account, user, pk=account_id)
    data = meeting_brief(
        user=user, account=account, today=permissions.today(), activity_id=activity
    )
    return _brief_out(data)


def _brief_out(data) -> dict:
    trend = data.trend
    return {
        "account_id": data.account.pk,
        "account_name": data.account.name,
        "tier": data.account.tier,
        "meeting_id": data.meeting.pk if data.meeting else None,
        "trend": {
            "currency": trend.currency,
            "is_group": trend.is_group,
            "last_12": trend.last_12,
            "prior_12": trend.prior_12,
            "change_percent": trend.change,
            "months": [{"month": m.month, "revenue": m.revenue} for m in trend.months],
        },
        "plan": _plan_out(data),
        "stakeholders": [
            {**_person(p), "invited": bool(p.invited), "last_contact_on": p.last_contact_on}
            for p in data.stakeholders
        ],
        "outcomes": data.outcomes,
        "competitors": data.competitors,
        "overdue": data.receivables.by_currency,
        "unmatched_payments": data.receivables.unmatched_payments,
    }


def _person(person) -> dict:
    return {
        "id": person.pk,
        "name": str(person),
        "position": person.position,
        "buying_role": person.buying_role,
        "attitude": person.attitude,
        "influence": person.influence,
        "left_on": person.left_on,
    }


def _plan_out(data) -> dict | None:
    if data.plan is None:
        return None
    objectives = []
    for objective in data.objectives:
        progress = data.progress.get(objective.pk)
        objectives.append(
            {
                "id": objective.pk,
                "title": objective.title,
                "metric": objective.metric,
                "baseline": progress.baseline if progress else objective.baseline,
                "current": progress.current if progress else None,
                "target": objective.target,
                "percent": progress.percent if progress else None,
                "on_track": progress.on_track if progress else None,
                "due_on": objective.due_on,
            }
        )
    plan = data.plan
    return {
        "id": plan.pk,
        "title": plan.title,
        "status": plan.status,
        "health": plan.health,
        "period_start": plan.period_start,
        "period_end": plan.period_end,
        "objectives": objectives,
    }
