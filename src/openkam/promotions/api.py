"""JSON API for promotions (mounted in openkam.api at /api/promotions).

The promotions are the company's catalogue: everyone signed in reads them; heads of key
accounts and administrators create and change them (anyone else: 404, as the pages).
Per-account progress lists only the accounts the caller may see; an account the caller
may not see answers 404, as a missing one.
"""

from datetime import date
from decimal import Decimal
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import StringConstraints, field_validator

from openkam.accounts import access
from openkam.accounts.models import Account, Tier
from openkam.core import bounds
from openkam.core.schemas import WRITE_ERRORS, ErrorOut, Money, Quantity, not_null
from openkam.ledger.models import Product
from openkam.promotions import selectors, services
from openkam.promotions.models import Promotion, PromotionAudience, PromotionKind, PromotionStatus
from openkam.users import permissions

router = Router(tags=["promotions"])

PAGE_SIZE = 50
Name = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]
Amount = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2)]
Count = Annotated[Decimal, Field(ge=0, max_digits=15, decimal_places=3)]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{3}$")]


class PromotionOut(Schema):
    id: int
    name: str
    description: str
    kind: PromotionKind
    status: PromotionStatus
    starts_on: date
    ends_on: date
    currency: str
    audience: PromotionAudience
    segments: list[str]
    account_ids: list[int] = Field(description="The chosen accounts the caller may see")
    tier: str = Field(description="Empty: any tier")
    product_lines: list[str]
    product_ids: list[int]
    threshold_quantity: Quantity | None
    threshold_amount: Money | None
    discount_pct: Decimal | None
    bonus_pct: Decimal | None
    bonus_amount: Money | None
    combinable: bool
    exclusion_group: str
    limit_per_account: Money | None

    @staticmethod
    def resolve_status(obj: Promotion) -> str:
        return obj.status(permissions.today())

    @staticmethod
    def resolve_account_ids(obj: Promotion, context) -> list[int]:
        user = context["request"].auth
        return list(access.visible(obj.accounts.all(), user).values_list("pk", flat=True))

    @staticmethod
    def resolve_product_ids(obj: Promotion) -> list[int]:
        return [product.pk for product in obj.products.all()]


class PromotionIn(Schema):
    name: str = Field(min_length=1, max_length=150)
    description: str = Field("", max_length=4000)
    kind: PromotionKind
    starts_on: bounds.ApiDate
    ends_on: bounds.ApiDate
    currency: Currency = "PLN"
    audience: PromotionAudience = PromotionAudience.ALL
    segments: list[Name] = []
    account_ids: list[bounds.Id] = []
    tier: Tier | None = None
    product_lines: list[Name] = []
    product_ids: list[bounds.Id] = []
    threshold_quantity: Count | None = None
    threshold_amount: Amount | None = None
    discount_pct: Percent | None = None
    bonus_pct: Percent | None = None
    bonus_amount: Amount | None = None
    combinable: bool = True
    exclusion_group: str = Field("", max_length=60)
    limit_per_account: Amount | None = None


class PromotionPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=150)
    description: str | None = Field(None, max_length=4000)
    kind: PromotionKind | None = None
    starts_on: bounds.ApiDate | None = None
    ends_on: bounds.ApiDate | None = None
    currency: Currency | None = None
    audience: PromotionAudience | None = None
    segments: list[Name] | None = None
    account_ids: list[bounds.Id] | None = None
    tier: Tier | None = Field(None, description="null: any tier")
    product_lines: list[Name] | None = None
    product_ids: list[bounds.Id] | None = None
    threshold_quantity: Count | None = None
    threshold_amount: Amount | None = None
    discount_pct: Percent | None = None
    bonus_pct: Percent | None = None
    bonus_amount: Amount | None = None
    combinable: bool | None = None
    exclusion_group: str | None = Field(None, max_length=60)
    limit_per_account: Amount | None = None

    _not_null = field_validator(
        "name", "description", "kind", "starts_on", "ends_on", "currency", "audience",
        "segments", "product_lines", "combinable", "exclusion_group",
    )(not_null)  # fmt: skip


class PromotionProgressOut(Schema):
    account_id: int
    account_name: str
    currency: str
    turnover: Money = Field(description="Net turnover of the promotion's lines so far")
    quantity: Quantity
    threshold: Quantity | None = Field(description="Quantity or amount, as the promotion sets")
    reached_pct: Decimal | None
    missing: Quantity
    earned: Money = Field(description="The bonus earned so far, at most the limit")
    projected: Quantity = Field(description="The measure at the period's end at today's pace")
    projected_bonus: Money


class PromotionListQuery(Schema):
    status: PromotionStatus | None = None


class PromotionProgressQuery(Schema):
    sort: str = Field("-progress", pattern=r"^-?(progress|name|bonus)$")


def _progress_out(row) -> dict:
    return {
        "account_id": row.account.pk, "account_name": row.account.name,
        "currency": row.promotion.currency, "turnover": row.turnover, "quantity": row.quantity,
        "threshold": row.threshold, "reached_pct": row.reached_pct, "missing": row.missing,
        "earned": row.earned, "projected": row.projected, "projected_bonus": row.projected_bonus,
    }  # fmt: skip


def _rows():
    return Promotion.objects.prefetch_related("products", "accounts")


def _promotion(request, promotion_id: int) -> Promotion:
    return bounds.one_or_404(selectors.catalogue(user=request.auth), pk=promotion_id)


def _editor_or_404(request) -> None:
    if not services.may_edit_promotions(request.auth):
        raise HttpError(404, _("Not found."))


def _related(request, payload: dict) -> dict:
    """Accounts (among those the caller sees) and products named by id, or a 422."""
    found: dict = {}
    account_ids = payload.pop("account_ids", None)
    if account_ids is not None:
        accounts = list(Account.objects.visible_to(request.auth).filter(pk__in=account_ids))
        if len(accounts) != len(set(account_ids)):
            raise HttpError(422, _("Some of the accounts do not exist."))
        found["accounts"] = accounts
    product_ids = payload.pop("product_ids", None)
    if product_ids is not None:
        products = list(Product.objects.filter(pk__in=product_ids))
        if len(products) != len(set(product_ids)):
            raise HttpError(422, _("Some of the products do not exist."))
        found["products"] = products
    if "tier" in payload:
        payload["tier"] = payload["tier"] or ""
    return found


@router.get("/", response=list[PromotionOut], url_name="promotion_list")
@paginate(bounds.Pages, page_size=PAGE_SIZE)
def promotion_list(request, filters: Query[PromotionListQuery]):
    rows = selectors.catalogue(user=request.auth).prefetch_related("accounts")
    if filters.status is None:
        return rows
    today = permissions.today()
    if filters.status == PromotionStatus.ACTIVE:
        return rows.filter(starts_on__lte=today, ends_on__gte=today)
    if filters.status == PromotionStatus.UPCOMING:
        return rows.filter(starts_on__gt=today)
    return rows.filter(ends_on__lt=today)


@router.get("/{id:promotion_id}", response=PromotionOut, url_name="promotion_detail")
def promotion_detail(request, promotion_id: int):
    return _promotion(request, promotion_id)


@router.get(
    "/{id:promotion_id}/progress", response=list[PromotionProgressOut],
    url_name="promotion_progress",
)  # fmt: skip
def promotion_progress(request, promotion_id: int, query: Query[PromotionProgressQuery]):
    """Each account taking part that the caller sees: its progress so far."""
    promotion = _promotion(request, promotion_id)
    rows = selectors.progress_rows(
        user=request.auth, promotion=promotion, today=permissions.today(), sort=query.sort
    )
    return [_progress_out(row) for row in rows]


@router.get(
    "/accounts/{id:account_id}", response={200: list[PromotionProgressOut], 404: ErrorOut},
    url_name="promotion_account_progress",
)  # fmt: skip
def account_progress(request, account_id: int):
    """One account's progress in every promotion it takes part in that has not ended."""
    account = access.visible_or_404(Account, request.auth, pk=account_id)
    today = permissions.today()
    return [_progress_out(row) for row in selectors.account_progress(account, today, since=today)]


@router.post("/", response={201: PromotionOut, **WRITE_ERRORS}, url_name="promotion_create")
def promotion_create(request, payload: PromotionIn):
    _editor_or_404(request)
    fields = payload.dict()
    related = _related(request, fields)
    promotion = services.promotion_create(actor=request.auth, via="api", **related, **fields)
    return Status(201, _rows().get(pk=promotion.pk))


@router.patch(
    "/{id:promotion_id}", response={200: PromotionOut, **WRITE_ERRORS},
    url_name="promotion_update",
)  # fmt: skip
def promotion_update(request, promotion_id: int, payload: PromotionPatch):
    _editor_or_404(request)
    promotion = _promotion(request, promotion_id)
    changes = payload.dict(exclude_unset=True)
    related = _related(request, changes)
    services.promotion_update(
        actor=request.auth, promotion=promotion, via="api", **related, **changes
    )
    return _rows().get(pk=promotion.pk)
