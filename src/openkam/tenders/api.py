"""JSON API for tenders: the same services as the pages, under the same visibility."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import StringConstraints, field_validator

from openkam.accounts import access
from openkam.accounts.models import Account
from openkam.core import bounds
from openkam.core.schemas import WRITE_ERRORS, Money, Quantity, not_null
from openkam.tenders import selectors, services
from openkam.tenders.forms import competitors_at
from openkam.tenders.models import OutcomeReason, Tender, TenderDocument
from openkam.tenders.models import Status as TenderStatus
from openkam.tenders.selectors import TenderFilter
from openkam.tenders.services import LineIn

PAGE_SIZE = 50
ProductLine = Annotated[str, StringConstraints(min_length=1, max_length=100)]
DocumentName = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Price = Annotated[Decimal, Field(ge=0, le=Decimal("9999999999999999.99"), decimal_places=2)]
Amount = Annotated[Decimal, Field(ge=0, le=Decimal("99999999999.999"), decimal_places=3)]

router = Router(tags=["tenders"])


class TenderLineOut(Schema):
    product_line: str
    quantity: Quantity | None
    our_price: Money | None
    winning_price: Money | None


class TenderLineIn(Schema):
    product_line: ProductLine
    quantity: Amount | None = None
    our_price: Price | None = None
    winning_price: Price | None = None


class TenderDocumentOut(Schema):
    id: int
    name: str
    responsible_id: int | None
    due_on: date | None
    is_done: bool
    done_by_id: int | None
    done_at: datetime | None


class TenderOut(Schema):
    id: int
    account_id: int = Field(description="The issuer")
    title: str
    reference: str
    published_on: date | None
    deadline: datetime
    estimated_value: Money | None
    currency: str
    owner_id: int | None
    status: str
    our_total: Money | None
    winning_total: Money | None
    winner_id: int | None
    winner_name: str
    competitor_ids: list[int]
    outcome_reason: str
    outcome_note: str
    submitted_on: date | None
    decided_on: date | None
    notes: str
    lines: list[TenderLineOut]
    documents: list[TenderDocumentOut]

    @staticmethod
    def resolve_competitor_ids(tender: Tender) -> list[int]:
        return [rival.pk for rival in tender.competitors.all()]

    @staticmethod
    def resolve_lines(tender: Tender) -> list:
        return list(tender.lines.all())

    @staticmethod
    def resolve_documents(tender: Tender) -> list:
        return list(tender.documents.all())


class TenderIn(Schema):
    account_id: bounds.Id = Field(description="The issuer")
    title: str = Field(min_length=1, max_length=200)
    reference: str = Field("", max_length=100)
    published_on: bounds.ApiDate | None = None
    deadline: bounds.ApiDateTime = Field(description="With its time zone; local time if none")
    estimated_value: Price | None = None
    currency: str = Field(min_length=3, max_length=3)
    owner_id: bounds.Id | None = Field(None, description="Empty: the account's KAM")
    our_total: Price | None = None
    lines: list[TenderLineIn] = []
    documents: list[DocumentName] = Field([], description="Names of the required documents")
    competitor_ids: list[bounds.Id] = []
    notes: str = Field("", max_length=4000)


class TenderPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    reference: str | None = Field(None, max_length=100)
    published_on: bounds.ApiDate | None = None
    deadline: bounds.ApiDateTime | None = None
    estimated_value: Price | None = None
    currency: str | None = Field(None, min_length=3, max_length=3)
    our_total: Price | None = None
    winning_total: Price | None = None
    lines: list[TenderLineIn] | None = None
    competitor_ids: list[bounds.Id] | None = None
    notes: str | None = Field(None, max_length=4000)

    _not_null = field_validator("title", "reference", "deadline", "currency", "notes")(not_null)


class TenderMoveIn(Schema):
    status: TenderStatus
    outcome_reason: OutcomeReason | None = None
    outcome_note: str = Field("", max_length=2000)
    winner_id: bounds.Id | None = Field(None, description="When lost: a competitor at the issuer")
    winner_name: str = Field("", max_length=200, description="When lost to one not recorded")
    winning_total: Price | None = None


class TenderToggleIn(Schema):
    done: bool | None = Field(None, description="Empty: the opposite of now")


class TenderListQuery(Schema):
    account_id: bounds.Id | None = None
    owner_id: bounds.Id | None = None
    status: TenderStatus | None = None
    due_within: int | None = Field(
        None, ge=0, le=3650, description="Open tenders due within this many days (or past due)"
    )


def _rows():
    return Tender.objects.prefetch_related("lines", "documents", "competitors")


@router.get("/", response=list[TenderOut], url_name="tenders_list")
@paginate(bounds.Pages, page_size=PAGE_SIZE)
def tenders_list(request, filters: Query[TenderListQuery]):
    flt = TenderFilter(
        status=filters.status or "", owner=filters.owner_id, account=filters.account_id,
        due_within=filters.due_within,
    )  # fmt: skip
    rows = selectors.tenders_for(request.auth, flt, now=timezone.now())
    return rows.prefetch_related("lines", "documents", "competitors").order_by("deadline", "pk")


def _lines(lines) -> list[LineIn]:
    return [
        LineIn(line.product_line, line.quantity, line.our_price, line.winning_price)
        for line in lines
    ]


def _competitors(account: Account, competitor_ids) -> list:
    rivals = list(competitors_at(account).filter(pk__in=competitor_ids or []))
    if len(rivals) != len(set(competitor_ids or [])):
        raise HttpError(422, _("Some of the competitors are not recorded at this account."))
    return rivals


def _owner(owner_id: int):
    from openkam.users.selectors import work_owners

    owner = work_owners().filter(pk=owner_id).first()
    if owner is None:
        raise HttpError(422, _("No one of that id may own work."))
    return owner


def _editable(request, tender_id: int) -> Tender:
    tender = access.visible_or_404(Tender, request.auth, pk=tender_id)
    if not services.may_edit(request.auth, tender.account):
        raise HttpError(403, _("Your role may not change this account's tenders."))
    return tender


@router.post("/", response={201: TenderOut, **WRITE_ERRORS}, url_name="tender_create")
def tender_create(request, payload: TenderIn):
    account = access.visible_or_404(Account, request.auth, pk=payload.account_id)
    if not services.may_edit(request.auth, account):
        raise HttpError(403, _("Your role may not change this account's tenders."))
    extra = {"owner": _owner(payload.owner_id)} if payload.owner_id is not None else {}
    tender = services.tender_create(
        actor=request.auth, account=account, title=payload.title, reference=payload.reference,
        published_on=payload.published_on, deadline=_aware(payload.deadline),
        estimated_value=payload.estimated_value, currency=payload.currency,
        our_total=payload.our_total, lines=_lines(payload.lines), documents=payload.documents,
        competitors=_competitors(account, payload.competitor_ids), notes=payload.notes,
        via="api", **extra,
    )  # fmt: skip
    return Status(201, _rows().get(pk=tender.pk))


def _aware(moment: datetime) -> datetime:
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


@router.get("/{id:tender_id}", response=TenderOut, url_name="tender_detail")
def tender_detail(request, tender_id: int):
    access.visible_or_404(Tender, request.auth, pk=tender_id)
    return _rows().get(pk=tender_id)


@router.patch(
    "/{id:tender_id}", response={200: TenderOut, **WRITE_ERRORS}, url_name="tender_update"
)
def tender_update(request, tender_id: int, payload: TenderPatch):
    tender = _editable(request, tender_id)
    changes = payload.dict(exclude_unset=True)
    lines = changes.pop("lines", None)
    competitor_ids = changes.pop("competitor_ids", None)
    if changes.get("deadline") is not None:
        changes["deadline"] = _aware(changes["deadline"])
    services.tender_update(
        actor=request.auth, tender=tender, via="api",
        lines=None if lines is None else _lines(payload.lines or []),
        competitors=None if competitor_ids is None
        else _competitors(tender.account, competitor_ids),
        **changes,
    )  # fmt: skip
    return _rows().get(pk=tender.pk)


@router.post(
    "/{id:tender_id}/move", response={200: TenderOut, **WRITE_ERRORS}, url_name="tender_move"
)
def tender_move(request, tender_id: int, payload: TenderMoveIn):
    tender = _editable(request, tender_id)
    winner = None
    if payload.winner_id is not None:
        winner = competitors_at(tender.account).filter(pk=payload.winner_id).first()
        if winner is None:
            raise HttpError(422, _("That competitor is not recorded at this account."))
    services.tender_move(
        actor=request.auth, tender=tender, status=payload.status,
        outcome_reason=payload.outcome_reason or "", outcome_note=payload.outcome_note,
        winner=winner, winner_name=payload.winner_name, winning_total=payload.winning_total,
        via="api",
    )  # fmt: skip
    return _rows().get(pk=tender.pk)


@router.post(
    "/{id:tender_id}/documents/{id:document_id}/toggle",
    response={200: TenderOut, **WRITE_ERRORS}, url_name="tender_document_toggle",
)  # fmt: skip
def tender_document_toggle(request, tender_id: int, document_id: int, payload: TenderToggleIn):
    tender = _editable(request, tender_id)
    document = access.visible_or_404(
        TenderDocument.objects.filter(tender=tender), request.auth, pk=document_id
    )
    services.document_toggle(actor=request.auth, document=document, done=payload.done, via="api")
    return _rows().get(pk=tender.pk)
