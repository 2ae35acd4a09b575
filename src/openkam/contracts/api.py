"""JSON API for contracts (mounted in openkam.api at /api/contracts).

Lists and reads follow the account's visibility (a hidden contract answers 404, as a
missing one); writes also need a role that may change account work: finance and viewers
get 403 on a contract they can see. Files are listed with the page address that downloads
them (through the same visibility).
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict, field_validator

from openkam.accounts import access
from openkam.accounts.api import OnAccountOut
from openkam.accounts.models import Account
from openkam.contracts import selectors, services
from openkam.contracts.models import (
    MAX_NOTICE_DAYS,
    MAX_PAYMENT_DAYS,
    MAX_RENEWAL_MONTHS,
    CommitmentPeriod,
    Contract,
    ContractKind,
    ContractStatus,
    NoticeUnit,
)
from openkam.core import bounds
from openkam.core.schemas import WRITE_ERRORS, Money, not_null
from openkam.users import permissions

router = Router(tags=["contracts"])

Amount = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2)]
Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]


class DeadlineOut(Schema):
    kind: str = Field(description="notice: the last day to give notice; end: the term's end")
    on: date
    days_left: int = Field(description="From today; negative once passed")


class ContractAlertOut(Schema):
    offset: int = Field(description="The alert reached: the nearest offset (days) passed")
    days_left: int


class ContractProgressOut(Schema):
    commitment: Money
    currency: str
    period_start: date
    period_end: date
    invoiced: Money = Field(description="Net invoiced in the period so far, this currency only")
    fraction: Decimal | None = Field(description="invoiced / commitment (may pass 1)")
    expected: Money = Field(description="The commitment pro rata of the period's days passed")
    projected: Money | None = Field(
        description="At the rate so far, by the period's end; null before the period starts"
    )
    at_risk: bool = Field(
        description="The projection falls short of the commitment by more than the margin"
    )
    other_currencies: list[str] = Field(description="Currencies invoiced too and not counted")


class ContractFileOut(Schema):
    id: int
    name: str
    size: int
    uploaded_at: datetime = Field(validation_alias="created_at")
    download_url: str

    @staticmethod
    def resolve_download_url(obj) -> str:
        return reverse("contracts:file_download", args=[obj.pk])


class ContractOut(OnAccountOut):
    id: int
    number: str
    kind: ContractKind
    status: ContractStatus
    starts_on: date
    ends_on: date | None = Field(description="As signed; null: open-ended")
    auto_renews: bool
    renewal_months: int | None
    notice_period: int | None
    notice_unit: NoticeUnit
    payment_terms_days: int | None
    price_tier: str
    discount_pct: Decimal | None
    commitment_amount: Money | None
    commitment_currency: str
    commitment_period: CommitmentPeriod
    covers_group: bool
    source: str
    external_id: str
    term_end: date | None = Field(
        description="The end of the term one can still act on (renewals rolled on)"
    )
    notice_on: date | None = Field(description="That term's notice date (end minus notice)")
    deadline: DeadlineOut | None
    alert: ContractAlertOut | None = Field(description="Set when the deadline is within an alert")
    progress: ContractProgressOut | None = Field(description="The volume commitment's, if any")

    @staticmethod
    def resolve_deadline(obj) -> dict | None:
        found = obj.deadline
        if found is None:
            return None
        days = (found.on - permissions.today()).days
        return {"kind": found.kind, "on": found.on, "days_left": days}

    @staticmethod
    def resolve_alert(obj) -> dict | None:
        found = obj.alert
        return None if found is None else {"offset": found.offset, "days_left": found.days_left}

    @staticmethod
    def resolve_progress(obj) -> dict | None:
        found = obj.progress
        if found is None:
            return None
        names: tuple[str, ...] = ("commitment", "currency", "period_start", "period_end")
        names += ("invoiced", "fraction", "expected", "projected", "at_risk")
        return {name: getattr(found, name) for name in names} | {
            "other_currencies": list(found.other_currencies)
        }


class ContractDetailOut(ContractOut):
    notes: str
    files: list[ContractFileOut] = Field(alias="file_rows")


class ContractFilters(Schema):
    account_id: bounds.Id | None = None
    q: bounds.SearchText = Field("", description="Contract number or account name")
    kind: ContractKind | None = None
    status: ContractStatus | None = None
    ending_within: int | None = Field(
        None,
        ge=0,
        le=selectors.MAX_ENDING_DAYS,
        description="Days: the term ends or its notice is due from today to then",
    )
    at_risk: bool = Field(False, description="Only active contracts whose commitment is at risk")


class ContractFields(Schema):
    """The fields shared by a new contract and a change."""

    model_config = ConfigDict(extra="forbid")

    ends_on: bounds.ApiDate | None = None
    auto_renews: bool | None = None
    renewal_months: int | None = Field(None, ge=1, le=MAX_RENEWAL_MONTHS)
    notice_period: int | None = Field(None, ge=1, le=MAX_NOTICE_DAYS)
    notice_unit: NoticeUnit | None = None
    payment_terms_days: int | None = Field(None, ge=0, le=MAX_PAYMENT_DAYS)
    price_tier: str | None = Field(None, max_length=100)
    discount_pct: Percent | None = None
    commitment_amount: Amount | None = None
    commitment_currency: str | None = Field(None, max_length=3)
    commitment_period: CommitmentPeriod | None = None
    covers_group: bool | None = None
    notes: str | None = None

    _text_not_null = field_validator(
        "auto_renews",
        "notice_unit",
        "price_tier",
        "commitment_currency",
        "commitment_period",
        "covers_group",
        "notes",
    )(not_null)


class ContractIn(ContractFields):
    """A new contract on a visible account. Fields left out take their defaults."""

    account_id: bounds.Id
    number: str = Field(min_length=1, max_length=64)
    kind: ContractKind
    status: ContractStatus = ContractStatus.DRAFT
    starts_on: bounds.ApiDate


class ContractPatch(ContractFields):
    """Fields to change; those left out stay as they are. A date, a number or an amount
    may be null (emptied); text, choices and yes/no may not."""

    number: str | None = Field(None, min_length=1, max_length=64)
    kind: ContractKind | None = None
    status: ContractStatus | None = None
    starts_on: bounds.ApiDate | None = None

    _not_null = field_validator("number", "kind", "status", "starts_on")(not_null)


def _rows(user, contract_id: int) -> Contract:
    contract = access.visible_or_404(
        Contract.objects.select_related("account"), user, pk=contract_id
    )
    selectors.contract_detail(user=user, contract=contract, today=permissions.today())
    contract.file_rows = list(selectors.contract_files(user=user, contract=contract))
    return contract


@router.get("", response=list[ContractOut], url_name="contract_list")
@paginate(bounds.Pages, page_size=50)
def contract_list(request, filters: Query[ContractFilters]):
    """Visible contracts, by account; each with its deadline, alert and commitment
    progress worked out for today."""
    return selectors.contract_rows(
        user=request.auth,
        today=permissions.today(),
        filters=selectors.ContractFilters(
            q=filters.q,
            kind=filters.kind or "",
            status=filters.status or "",
            ending_within=filters.ending_within,
            at_risk=filters.at_risk,
            account_id=filters.account_id,
        ),
    )


@router.get("/{id:contract_id}", response=ContractDetailOut, url_name="contract_detail")
def contract_detail(request, contract_id: int):
    return _rows(request.auth, contract_id)


@router.post("", response={201: ContractDetailOut, **WRITE_ERRORS}, url_name="contract_list")
def contract_create(request, payload: ContractIn):
    """A new contract on a visible account (roles that change account work)."""
    user = request.auth
    account = access.api_editable_or_404(Account, user, pk=payload.account_id)
    fields = payload.model_dump(exclude={"account_id"}, exclude_none=True)
    contract = services.contract_create(actor=user, account=account, via="api", **fields)
    return Status(201, _rows(user, contract.pk))


@router.patch(
    "/{id:contract_id}",
    response={200: ContractDetailOut, **WRITE_ERRORS},
    url_name="contract_detail",
)
def contract_update(request, contract_id: int, payload: ContractPatch):
    user = request.auth
    contract = access.api_editable_or_404(
        Contract.objects.select_related("account"), user, pk=contract_id
    )
    services.contract_update(
        actor=user, contract=contract, via="api", **payload.model_dump(exclude_unset=True)
    )
    return _rows(user, contract_id)
