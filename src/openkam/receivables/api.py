"""JSON API for receivables: the stored aging across visible accounts, one account's live
aging and open items as of any day, and the collection records (promises, disputes,
steps) with the same visibility and rights as the pages."""

from datetime import date

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from openkam.accounts import access
from openkam.accounts.models import Account
from openkam.core import bounds
from openkam.core.schemas import WRITE_ERRORS, Money
from openkam.ledger.models import Invoice
from openkam.receivables import selectors, services
from openkam.receivables.models import DisputeReason, DunningAction

PAGE_SIZE = 50

router = Router(tags=["receivables"])


class AgingOut(Schema):
    currency: str
    balance: Money
    not_due: Money
    days_1_30: Money
    days_31_60: Money
    days_61_90: Money
    days_over_90: Money
    unapplied: Money = Field(description="Unapplied credit (negative) or unexplained debit")
    oldest_due_on: date | None


class StoredAgingOut(AgingOut):
    account_id: int
    account_name: str = Field(validation_alias="account.name")
    as_of: date
    overdue: Money
    dso_days: float | None


class CurrencyOut(Schema):
    aging: AgingOut
    dso_days: float | None = Field(description="Days sales outstanding, countback method")
    effectiveness: float | None = Field(description="Collection effectiveness index, %")


class OpenInvoiceOut(Schema):
    id: int | None = Field(description="The invoice; none for an ERP snapshot's document")
    number: str
    account_id: int
    issued_on: date | None
    due_on: date | None
    currency: str
    open_amount: Money
    days_overdue: int


class SnapshotOut(Schema):
    source: str
    as_of: date


class AccountReceivablesOut(Schema):
    as_of: date
    currencies: list[CurrencyOut]
    open_invoices: list[OpenInvoiceOut]
    snapshot: SnapshotOut | None = Field(
        None, description="The ERP ledger snapshot the figures come from, if the ERP keeps it"
    )


class AsOfQuery(Schema):
    as_of: bounds.ApiDate | None = None
    group: bool = False


class StoredQuery(Schema):
    currency: str = ""


class PromiseIn(Schema):
    amount: Money
    currency: str = Field(min_length=3, max_length=3)
    promised_on: bounds.ApiDate
    note: str = Field("", max_length=2000)


class PromiseOut(Schema):
    id: int
    account_id: int
    amount: Money
    currency: str
    given_on: date
    promised_on: date
    note: str


class DisputeIn(Schema):
    invoice_id: int
    reason: DisputeReason
    note: str = Field("", max_length=2000)


class DisputeOut(Schema):
    id: int
    invoice_id: int
    reason: str
    note: str
    opened_on: date
    resolved_on: date | None


class StepIn(Schema):
    action: DunningAction
    currency: str = Field(min_length=3, max_length=3)
    done_on: bounds.ApiDate
    next_on: bounds.ApiDate | None = None
    note: str = Field("", max_length=2000)


class StepOut(Schema):
    id: int
    account_id: int
    action: str
    currency: str
    done_on: date
    next_on: date | None
    note: str


@router.get("/", response=list[StoredAgingOut], url_name="receivables_list")
@paginate(bounds.Pages, page_size=PAGE_SIZE)
def receivables_list(request, filters: Query[StoredQuery]):
    """The stored aging of every visible account and currency, most overdue first."""
    rows = selectors.stored_summaries(request.auth).order_by("-overdue", "account__name")
    if filters.currency:
        rows = rows.filter(currency=filters.currency.upper())
    return rows


@router.get(
    "/accounts/{id:account_id}", response=AccountReceivablesOut, url_name="account_receivables"
)
def account_receivables(request, account_id: int, query: Query[AsOfQuery]):
    """One account's aging and open invoices computed from the ledger as of a day."""
    account = access.visible_or_404(Account, request.auth, pk=account_id)
    return selectors.account_receivables(
        user=request.auth, account=account, as_of=query.as_of,
        group=query.group and account.is_group_root,
    )  # fmt: skip


def _recordable(request, account_id: int) -> Account:
    account = access.visible_or_404(Account, request.auth, pk=account_id)
    if not services.may_record_collection(request.auth, account):
        raise HttpError(403, _("Your role may not record collection work on this account."))
    return account


@router.post(
    "/accounts/{id:account_id}/promises",
    response={201: PromiseOut, **WRITE_ERRORS},
    url_name="promise_create",
)
def promise_create(request, account_id: int, payload: PromiseIn):
    account = _recordable(request, account_id)
    promise = services.promise_create(
        actor=request.auth, account=account, amount=payload.amount,
        currency=payload.currency.upper(), promised_on=payload.promised_on, note=payload.note,
        via="api",
    )  # fmt: skip
    return Status(201, promise)


@router.post(
    "/accounts/{id:account_id}/disputes",
    response={201: DisputeOut, **WRITE_ERRORS},
    url_name="dispute_create",
)
def dispute_create(request, account_id: int, payload: DisputeIn):
    account = _recordable(request, account_id)
    invoice = access.visible_or_404(Invoice, request.auth, pk=payload.invoice_id, account=account)
    dispute = services.dispute_open(
        actor=request.auth, invoice=invoice, reason=payload.reason, note=payload.note, via="api"
    )
    return Status(201, dispute)


@router.post(
    "/accounts/{id:account_id}/steps",
    response={201: StepOut, **WRITE_ERRORS},
    url_name="step_create",
)
def step_create(request, account_id: int, payload: StepIn):
    account = _recordable(request, account_id)
    step = services.step_record(
        actor=request.auth, account=account, currency=payload.currency.upper(),
        action=payload.action, done_on=payload.done_on, next_on=payload.next_on,
        note=payload.note, via="api",
    )  # fmt: skip
    return Status(201, step)
