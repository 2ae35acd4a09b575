"""JSON API for accounts: list, detail, dossier changes and the monthly revenue series."""

from datetime import date

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import ConfigDict, field_validator

from openkam.accounts import access, extensions, selectors, services
from openkam.accounts.models import Account, Tier
from openkam.core import bounds
from openkam.core.schemas import WRITE_ERRORS, Money, not_null

router = Router(tags=["accounts"])


class AccountOut(Schema):
    id: int
    name: str
    legal_form: str
    tax_id: str
    kpp: str = Field(description="Russian registration reason code (КПП), nine digits or empty")
    country: str
    region: str
    city: str
    industry: str
    segment: str
    currency: str
    tier: Tier
    is_archived: bool
    parent_id: int | None
    group_root_id: int | None
    source: str
    external_id: str
    revenue_12m: Money = Field(
        description="Net revenue of the last 12 whole months, the month under way left out"
        " (revenue_period_start to revenue_period_end)"
    )
    margin_12m: Money = Field(description="Net revenue minus cost over the same months")
    revenue_period_start: date = Field(description="First day of the 12 whole months")
    revenue_period_end: date = Field(description="Last day of the 12 whole months")

    @staticmethod
    def resolve_revenue_period_start(account: Account) -> date:
        return extensions.figures().trailing_period().start

    @staticmethod
    def resolve_revenue_period_end(account: Account) -> date:
        return extensions.figures().trailing_period().last_day


class OnAccountOut(Schema):
    """What every record of account work shows first: its account's id and name."""

    account_id: int
    account_name: str = Field(validation_alias="account.name")


class AccountPatch(Schema):
    """Dossier fields to change; fields left out stay as they are. None of them may be null
    (an empty string empties one that may be empty)."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    legal_form: str | None = None
    tax_id: str | None = None
    kpp: str | None = None
    country: str | None = None
    region: str | None = None
    city: str | None = None
    industry: str | None = None
    segment: str | None = None
    currency: str | None = None

    _not_null = field_validator("*")(not_null)


class AccountFilters(Schema):
    q: bounds.SearchText = Field("", description="Name, tax id, city or exact ERP id")
    tier: Tier | None = None
    segment: str = Field("", max_length=100)
    country: str = Field("", max_length=2)
    archived: str = Field("active", pattern="^(active|archived|all)$")
    sort: str = Field("name", description="name, revenue, city or tier; prefix - to reverse")


class MonthOut(Schema):
    month: date
    revenue: Money
    margin: Money
    currency: str


@router.get("", response=list[AccountOut], url_name="account_list")
@paginate(bounds.Pages, page_size=50)
def account_list(request, filters: Query[AccountFilters]):
    return selectors.account_list(
        user=request.auth,
        filters=selectors.AccountFilters(
            q=filters.q,
            tier=filters.tier or "",
            segment=filters.segment,
            country=filters.country,
            archived=filters.archived,
            sort=filters.sort if filters.sort in selectors.SORTS else "name",
        ),
    )


def _visible_account(user, account_id: int) -> Account:
    return access.visible_or_404(
        extensions.figures().with_trailing_revenue(Account.objects.all()), user, pk=account_id
    )


@router.get("/{id:account_id}", response=AccountOut, url_name="account_detail")
def account_detail(request, account_id: int):
    return _visible_account(request.auth, account_id)


@router.patch(
    "/{id:account_id}",
    response={200: AccountOut, **WRITE_ERRORS},
    url_name="account_detail",
)
def account_update(request, account_id: int, payload: AccountPatch):
    user = request.auth
    account = access.api_editable_or_404(Account, user, pk=account_id)
    services.account_update(actor=user, account=account, **payload.model_dump(exclude_unset=True))
    return _visible_account(user, account_id)


@router.get("/{id:account_id}/revenue", response=list[MonthOut], url_name="account_revenue")
def account_revenue(
    request, account_id: int, months: int = Query(36, ge=1, le=120), group: bool | None = None
):
    """Monthly revenue and margin, oldest month first, empty months as zero. For a group
    root the whole (visible) group is summed unless `group=false`."""
    account = access.visible_or_404(Account, request.auth, pk=account_id)
    series = extensions.figures().revenue_series(
        user=request.auth, account=account, months=months, whole_group=group
    )
    return [
        {
            "month": row.month,
            "revenue": row.revenue,
            "margin": row.margin,
            "currency": account.currency,
        }
        for row in series
    ]
