"""JSON API for opportunities: the same services as the pages, under the same visibility."""

from datetime import date
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import StringConstraints, field_validator

from openkam.accounts import access
from openkam.accounts.models import Account
from openkam.core import bounds
from openkam.core.schemas import WRITE_ERRORS, Money, not_null
from openkam.opportunities import selectors, services
from openkam.opportunities.forms import competitors_at
from openkam.opportunities.models import Kind, LostReason, Opportunity, Outcome, Stage
from openkam.opportunities.selectors import PipelineFilter
from openkam.stakeholders.models import Contact

PAGE_SIZE = 50
ProductLine = Annotated[str, StringConstraints(min_length=1, max_length=100)]

router = Router(tags=["opportunities"])


class OpportunityStageOut(Schema):
    id: int
    code: str
    name: str = Field(description="In the reader's language for a built-in stage")
    position: int
    probability: int
    outcome: str

    @staticmethod
    def resolve_name(stage: Stage) -> str:
        return stage.label


class OpportunityOut(Schema):
    id: int
    account_id: int
    title: str
    kind: str
    value: Money
    currency: str
    stage: str = Field(description="The stage's code")
    probability: int
    weighted_value: Money
    expected_close: date
    owner_id: int | None
    product_lines: list[str]
    stakeholder_ids: list[int]
    competitor_ids: list[int]
    description: str
    lost_reason: str
    lost_note: str
    closed_on: date | None

    @staticmethod
    def resolve_stage(opportunity: Opportunity) -> str:
        return opportunity.stage.code

    @staticmethod
    def resolve_product_lines(opportunity: Opportunity) -> list[str]:
        return [line.product_line for line in opportunity.product_lines.all()]

    @staticmethod
    def resolve_stakeholder_ids(opportunity: Opportunity) -> list[int]:
        return [contact.pk for contact in opportunity.stakeholders.all()]

    @staticmethod
    def resolve_competitor_ids(opportunity: Opportunity) -> list[int]:
        return [rival.pk for rival in opportunity.competitors.all()]


class OpportunityIn(Schema):
    account_id: bounds.Id
    title: str = Field(min_length=1, max_length=200)
    kind: Kind = Kind.UPSELL
    value: Money
    currency: str = Field(min_length=3, max_length=3)
    expected_close: bounds.ApiDate
    stage: str | None = Field(None, description="A stage's code; empty: the first stage")
    probability: int | None = Field(None, ge=0, le=100)
    owner_id: bounds.Id | None = None
    product_lines: list[ProductLine] = []
    stakeholder_ids: list[bounds.Id] = []
    competitor_ids: list[bounds.Id] = []
    description: str = Field("", max_length=4000)


class OpportunityPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    kind: Kind | None = None
    value: Money | None = None
    currency: str | None = Field(None, min_length=3, max_length=3)
    expected_close: bounds.ApiDate | None = None
    probability: int | None = Field(None, ge=0, le=100)
    product_lines: list[ProductLine] | None = None
    stakeholder_ids: list[bounds.Id] | None = None
    competitor_ids: list[bounds.Id] | None = None
    description: str | None = Field(None, max_length=4000)

    _not_null = field_validator(
        "title", "kind", "value", "currency", "expected_close", "probability", "description"
    )(not_null)


class OpportunityMoveIn(Schema):
    stage: str = Field(description="The stage's code")
    lost_reason: LostReason | None = None
    lost_note: str = Field("", max_length=2000)


class OpportunityListQuery(Schema):
    account_id: bounds.Id | None = None
    owner_id: bounds.Id | None = None
    outcome: Outcome | None = None


class PipelineWeightedOut(Schema):
    key: int | None = Field(description="The owner's or the team's id")
    name: str
    currency: str
    count: int
    value: Money
    weighted: Money


class PipelineWeightedQuery(Schema):
    by: str = Field("owner", pattern="^(owner|team)$")


def _rows():
    return Opportunity.objects.select_related("stage").prefetch_related(
        "product_lines", "stakeholders", "competitors"
    )


@router.get("/stages", response=list[OpportunityStageOut], url_name="opportunity_stages")
def stages(request):
    return Stage.objects.filter(is_active=True)


@router.get("/", response=list[OpportunityOut], url_name="opportunities_list")
@paginate(bounds.Pages, page_size=PAGE_SIZE)
def opportunities_list(request, filters: Query[OpportunityListQuery]):
    rows = selectors.opportunities_for(request.auth, PipelineFilter(owner=filters.owner_id))
    if filters.account_id is not None:
        rows = rows.filter(account_id=filters.account_id)
    if filters.outcome is not None:
        rows = rows.filter(stage__outcome=filters.outcome)
    return rows.prefetch_related("product_lines", "stakeholders", "competitors").order_by(
        "expected_close", "pk"
    )


@router.get("/weighted", response=list[PipelineWeightedOut], url_name="opportunities_weighted")
def weighted(request, query: Query[PipelineWeightedQuery]):
    """The open pipeline per owner or team and currency (currencies never added up)."""
    return selectors.weighted_by(request.auth, "owner" if query.by == "owner" else "owner__team")


def _stage(code: str) -> Stage:
    stage = Stage.objects.filter(code=code, is_active=True).first()
    if stage is None:
        raise HttpError(422, _("No stage in use has the code %(code)s.") % {"code": code})
    return stage


def _people(request, account: Account, contact_ids, competitor_ids):
    contacts = list(Contact.objects.visible_to(request.auth).filter(pk__in=contact_ids or []))
    rivals = list(competitors_at(account).filter(pk__in=competitor_ids or []))
    if len(contacts) != len(set(contact_ids or [])):
        raise HttpError(422, _("Some of the people are not this account's."))
    if len(rivals) != len(set(competitor_ids or [])):
        raise HttpError(422, _("Some of the competitors are not recorded at this account."))
    return contacts, rivals


def _owner(owner_id: int | None):
    from openkam.users.selectors import work_owners

    if owner_id is None:
        return None
    owner = work_owners().filter(pk=owner_id).first()
    if owner is None:
        raise HttpError(422, _("No one of that id may own work."))
    return owner


def _editable(request, opportunity_id: int) -> Opportunity:
    opportunity = access.visible_or_404(Opportunity, request.auth, pk=opportunity_id)
    if not services.may_sell(request.auth, opportunity.account):
        raise HttpError(403, _("Your role may not change this account's opportunities."))
    return opportunity


@router.post("/", response={201: OpportunityOut, **WRITE_ERRORS}, url_name="opportunity_create")
def opportunity_create(request, payload: OpportunityIn):
    account = access.visible_or_404(Account, request.auth, pk=payload.account_id)
    if not services.may_sell(request.auth, account):
        raise HttpError(403, _("Your role may not change this account's opportunities."))
    contacts, rivals = _people(request, account, payload.stakeholder_ids, payload.competitor_ids)
    extra = {"owner": _owner(payload.owner_id)} if payload.owner_id is not None else {}
    opportunity = services.opportunity_create(
        actor=request.auth, account=account, title=payload.title, kind=payload.kind,
        value=payload.value, currency=payload.currency, expected_close=payload.expected_close,
        stage=_stage(payload.stage) if payload.stage else None,
        probability=payload.probability, product_lines=payload.product_lines,
        stakeholders=contacts, competitors=rivals, description=payload.description,
        via="api", **extra,
    )  # fmt: skip
    return Status(201, _rows().get(pk=opportunity.pk))


@router.get("/{id:opportunity_id}", response=OpportunityOut, url_name="opportunity_detail")
def opportunity_detail(request, opportunity_id: int):
    access.visible_or_404(Opportunity, request.auth, pk=opportunity_id)
    return _rows().get(pk=opportunity_id)


@router.patch(
    "/{id:opportunity_id}", response={200: OpportunityOut, **WRITE_ERRORS},
    url_name="opportunity_update",
)  # fmt: skip
def opportunity_update(request, opportunity_id: int, payload: OpportunityPatch):
    opportunity = _editable(request, opportunity_id)
    changes = payload.dict(exclude_unset=True)
    lines = changes.pop("product_lines", None)
    contact_ids = changes.pop("stakeholder_ids", None)
    competitor_ids = changes.pop("competitor_ids", None)
    people: dict = {}
    if contact_ids is not None or competitor_ids is not None:
        contacts, rivals = _people(
            request, opportunity.account, contact_ids or [], competitor_ids or []
        )
        people = {
            "stakeholders": contacts if contact_ids is not None else None,
            "competitors": rivals if competitor_ids is not None else None,
        }
    services.opportunity_update(
        actor=request.auth, opportunity=opportunity, product_lines=lines, via="api",
        **people, **changes,
    )  # fmt: skip
    return _rows().get(pk=opportunity.pk)


@router.post(
    "/{id:opportunity_id}/move", response={200: OpportunityOut, **WRITE_ERRORS},
    url_name="opportunity_move",
)  # fmt: skip
def opportunity_move(request, opportunity_id: int, payload: OpportunityMoveIn):
    opportunity = _editable(request, opportunity_id)
    services.opportunity_move(
        actor=request.auth, opportunity=opportunity, stage=_stage(payload.stage),
        lost_reason=payload.lost_reason or "", lost_note=payload.lost_note, via="api",
    )  # fmt: skip
    return _rows().get(pk=opportunity.pk)
