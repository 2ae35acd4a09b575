"""JSON API for credit: an account's assessment with its steps, limits and checks (set by
finance or a head), and exceptions (decided by a head), with the pages' rights."""

from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from openkam.accounts import access
from openkam.accounts.models import Account
from openkam.core import bounds
from openkam.core.schemas import WRITE_ERRORS, Money
from openkam.credit import selectors, services
from openkam.credit.models import CreditException, ExceptionStatus, LimitScope, RiskClass
from openkam.users import permissions

PAGE_SIZE = 50

router = Router(tags=["credit"])


class CreditStepOut(Schema):
    label: str
    amount: Money | None
    note: str


class AssessmentOut(Schema):
    currency: str
    limit: Money | None = Field(validation_alias="limit.amount", default=None)
    group_limit: Money | None = Field(validation_alias="group_limit.amount", default=None)
    receivables: Money
    orders: Money = Field(description="Orders open but not yet invoiced")
    overdue: Money
    overdue_beyond_hold: Money
    oldest_overdue_days: int
    average_days_late: float
    recommended: Money | None = Field(description="Recommended maximum next order; null: no limit")
    steps: list[CreditStepOut]


class LimitIn(Schema):
    amount: Money
    currency: str = Field(min_length=3, max_length=3)
    valid_from: bounds.ApiDate
    scope: LimitScope = LimitScope.ACCOUNT
    note: str = Field("", max_length=2000)


class LimitOut(Schema):
    id: int
    account_id: int
    scope: str
    currency: str
    amount: Money
    valid_from: date
    note: str


class CheckIn(Schema):
    checked_on: bounds.ApiDate
    source: str = Field(min_length=1, max_length=120)
    risk_class: RiskClass
    rating: str = Field("", max_length=40)
    note: str = Field("", max_length=2000)
    next_check_on: bounds.ApiDate | None = None


class CheckOut(Schema):
    id: int
    account_id: int
    checked_on: date
    source: str
    rating: str
    risk_class: str
    next_check_on: date


class AccountCreditOut(Schema):
    assessments: list[AssessmentOut]
    limits: list[LimitOut]
    checks: list[CheckOut]


class CreditExceptionOut(Schema):
    id: int
    account_id: int
    subject: str
    currency: str
    amount: Money
    reason: str
    status: str
    requested_at: datetime
    decided_at: datetime | None
    decision_note: str
    expires_on: date | None
    evidence: dict


class ExceptionQuery(Schema):
    status: ExceptionStatus | None = None


class ExceptionDecisionIn(Schema):
    approve: bool
    note: str = Field("", max_length=2000)


@router.get("/accounts/{id:account_id}", response=AccountCreditOut, url_name="account_credit")
def account_credit(request, account_id: int):
    account = access.visible_or_404(Account, request.auth, pk=account_id)
    return selectors.account_credit(user=request.auth, account=account, today=permissions.today())


def _keepable(request, account_id: int) -> Account:
    account = access.visible_or_404(Account, request.auth, pk=account_id)
    if not services.may_keep_credit(request.auth, account):
        raise HttpError(403, _("Only finance or a head may change credit."))
    return account


@router.post(
    "/accounts/{id:account_id}/limits",
    response={201: LimitOut, **WRITE_ERRORS},
    url_name="limit_create",
)
def limit_create(request, account_id: int, payload: LimitIn):
    limit = services.limit_set(
        actor=request.auth, account=_keepable(request, account_id), amount=payload.amount,
        currency=payload.currency.upper(), valid_from=payload.valid_from, scope=payload.scope,
        note=payload.note, via="api",
    )  # fmt: skip
    return Status(201, limit)


@router.post(
    "/accounts/{id:account_id}/checks",
    response={201: CheckOut, **WRITE_ERRORS},
    url_name="check_create",
)
def check_create(request, account_id: int, payload: CheckIn):
    check = services.check_record(
        actor=request.auth, account=_keepable(request, account_id), via="api",
        **payload.dict(),
    )  # fmt: skip
    return Status(201, check)


@router.get("/exceptions", response=list[CreditExceptionOut], url_name="exceptions_list")
@paginate(bounds.Pages, page_size=PAGE_SIZE)
def exceptions_list(request, filters: Query[ExceptionQuery]):
    exceptions = selectors.exceptions_for(request.auth)
    return exceptions.filter(status=filters.status) if filters.status else exceptions


@router.get(
    "/exceptions/{id:exception_id}", response=CreditExceptionOut, url_name="exception_detail"
)
def exception_detail(request, exception_id: int):
    return access.visible_or_404(CreditException, request.auth, pk=exception_id)


@router.post(
    "/exceptions/{id:exception_id}/decide",
    response={200: CreditExceptionOut, **WRITE_ERRORS},
    url_name="exception_decide",
)
def exception_decide(request, exception_id: int, payload: ExceptionDecisionIn):
    """Approve or reject (a head or an administrator who did not ask for it)."""
    exception = access.visible_or_404(CreditException, request.auth, pk=exception_id)
    if not services.may_decide(request.auth, exception):
        raise HttpError(403, _("Only a head who did not ask may decide."))
    return services.exception_decide(
        actor=request.auth, exception=exception, approve=payload.approve, note=payload.note,
        via="api",
    )  # fmt: skip
