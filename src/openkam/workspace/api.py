"""JSON API for the workspace (mounted at /api/): competitors and the account timeline."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from openkam.accounts.api import ErrorOut, _field_errors
from openkam.ledger.api import Money
from openkam.users import permissions
from openkam.workspace import selectors, services
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

    competitor_id: int | None = None
    name: str = Field("", max_length=200)
    product_lines: str = Field("", max_length=300)
    share_of_wallet: Decimal | None = Field(None, ge=0, le=100)
    notes: str = ""


class AccountCompetitorPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    product_lines: str | None = Field(None, max_length=300)
    share_of_wallet: Decimal | None = Field(None, ge=0, le=100)
    notes: str | None = None


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


def _editor_or_403(user):
    if not permissions.can_edit_account_work(user):
        return Status(403, {"detail": _("Your role may read account work but not change it.")})
    return None


# --- competitors -----------------------------------------------------------------------


@router.get("competitors", response=list[CompetitorOut], url_name="competitor_list")
def competitor_list(request, q: str = Query("", max_length=100)):
    """The shared list of competitor names, each with its count of visible accounts."""
    return selectors.competitor_list(user=request.auth, q=q)


@router.post(
    "competitors",
    response={201: CompetitorOut, 403: ErrorOut, 422: ErrorOut},
    url_name="competitor_list",
)
def competitor_create(request, payload: CompetitorIn):
    denied = _editor_or_403(request.auth)
    if denied:
        return denied
    try:
        competitor = services.competitor_create(
            actor=request.auth, name=payload.name, website=payload.website
        )
    except ValidationError as error:
        return Status(422, {"detail": _field_errors(error)})
    return Status(201, competitor)


@router.get(
    "accounts/{int:account_id}/competitors",
    response=list[AccountCompetitorOut],
    url_name="account_competitors",
)
def account_competitors(request, account_id: int):
    account = selectors.visible_account_or_404(user=request.auth, pk=account_id)
    return selectors.account_competitors(user=request.auth, account=account)


@router.post(
    "accounts/{int:account_id}/competitors",
    response={201: AccountCompetitorOut, 403: ErrorOut, 422: ErrorOut},
    url_name="account_competitors",
)
def account_competitor_add(request, account_id: int, payload: AccountCompetitorIn):
    user = request.auth
    account = selectors.visible_account_or_404(user=user, pk=account_id)
    denied = _editor_or_403(user)
    if denied:
        return denied
    try:
        competitor = _competitor_for(user, payload)
        row = services.account_competitor_add(
            actor=user,
            account=account,
            competitor=competitor,
            product_lines=payload.product_lines,
            share_of_wallet=payload.share_of_wallet,
            notes=payload.notes,
        )
    except ValidationError as error:
        return Status(422, {"detail": _field_errors(error)})
    return Status(201, row)


def _competitor_for(user, payload: AccountCompetitorIn):
    from openkam.workspace.models import Competitor

    if payload.competitor_id is not None:
        found = Competitor.objects.filter(pk=payload.competitor_id).first()
        if found is None:
            raise ValidationError({"competitor_id": _("No such competitor.")})
        return found
    if not payload.name.strip():
        raise ValidationError({"name": _("Give a competitor id or a name.")})
    return services.competitor_get_or_create(actor=user, name=payload.name)


def _row_or_404(user, row_id: int) -> AccountCompetitor:
    try:
        return selectors.account_competitor_get(user=user, pk=row_id)
    except AccountCompetitor.DoesNotExist:
        raise Http404 from None


@router.patch(
    "account-competitors/{int:row_id}",
    response={200: AccountCompetitorOut, 403: ErrorOut, 422: ErrorOut},
    url_name="account_competitor",
)
def account_competitor_update(request, row_id: int, payload: AccountCompetitorPatch):
    user = request.auth
    row = _row_or_404(user, row_id)
    denied = _editor_or_403(user)
    if denied:
        return denied
    try:
        services.account_competitor_update(
            actor=user, account_competitor=row, **payload.model_dump(exclude_unset=True)
        )
    except ValidationError as error:
        return Status(422, {"detail": _field_errors(error)})
    return row


@router.delete(
    "account-competitors/{int:row_id}",
    response={204: None, 403: ErrorOut},
    url_name="account_competitor",
)
def account_competitor_remove(request, row_id: int):
    user = request.auth
    row = _row_or_404(user, row_id)
    denied = _editor_or_403(user)
    if denied:
        return denied
    services.account_competitor_remove(actor=user, account_competitor=row)
    return Status(204, None)


# --- timeline --------------------------------------------------------------------------


@router.get("accounts/{int:account_id}/timeline", response=TimelineOut, url_name="account_timeline")
def account_timeline(
    request,
    account_id: int,
    type: list[str] = Query(None, description=TYPES_HELP),  # noqa: A002, B008
    page: int = Query(1, ge=1, le=100_000),
    per_page: int = Query(PAGE_SIZE, ge=1, le=200),
):
    """Everything that happened at the account, newest first, paged in the database."""
    account = selectors.visible_account_or_404(user=request.auth, pk=account_id)
    result = timeline_page(
        user=request.auth, account=account, kinds=type, page=page, per_page=per_page
    )
    return {"items": result.entries, "page": result.number, "has_next": result.has_next}
