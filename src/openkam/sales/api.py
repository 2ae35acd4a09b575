"""JSON API for orders. Creating, copying, changing and reopening an order go through the
same service as the pages, so the credit check holds here as it does there."""

from datetime import date

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from openkam.accounts import access
from openkam.accounts.models import Account
from openkam.core import bounds
from openkam.core.schemas import WRITE_ERRORS, Money
from openkam.credit.assessment import Verdict
from openkam.sales import selectors, services
from openkam.sales.models import Order, OrderStatus

PAGE_SIZE = 50

router = Router(tags=["orders"])


class OrderIn(Schema):
    account_id: int
    amount: Money
    currency: str = Field(min_length=3, max_length=3)
    ordered_on: bounds.ApiDate | None = None
    number: str = Field("", max_length=60)
    note: str = Field("", max_length=2000)


class OrderOut(Schema):
    id: int
    account_id: int
    number: str
    ordered_on: date
    currency: str
    amount: Money
    status: str
    hold_reasons: list[str] = Field(description="Why credit holds the order (empty when open)")
    credit_exception_id: int | None
    copied_from_id: int | None

    @staticmethod
    def resolve_hold_reasons(order: Order) -> list[str]:
        return [line for line in order.hold_reasons.splitlines() if line]


class ChangeIn(Schema):
    amount: Money
    note: str = Field("", max_length=2000)


class CloseIn(Schema):
    status: OrderStatus = Field(description="invoiced or cancelled")


class ExceptionIn(Schema):
    reason: str = Field(min_length=1, max_length=4000)


class OrderExceptionOut(Schema):
    id: int
    status: str
    amount: Money
    currency: str


class ListQuery(Schema):
    status: OrderStatus | None = None
    account_id: int | None = None


@router.get("/", response=list[OrderOut], url_name="orders_list")
@paginate(bounds.Pages, page_size=PAGE_SIZE)
def orders_list(request, filters: Query[ListQuery]):
    orders = selectors.orders_for(request.auth, filters.status or "")
    if filters.account_id is not None:
        orders = orders.filter(account_id=filters.account_id)
    return orders


def _editable(request, order_id: int) -> Order:
    order = access.visible_or_404(Order, request.auth, pk=order_id)
    if not services.may_order(request.auth, order.account):
        raise HttpError(403, _("Your role may not take orders for this account."))
    return order


def _fresh(order: Order, _verdict: Verdict | None = None) -> Order:
    return Order.objects.get(pk=order.pk)


@router.post("/", response={201: OrderOut, **WRITE_ERRORS}, url_name="order_create")
def order_create(request, payload: OrderIn):
    """Place an order: it comes back open, or held with the reasons credit gives."""
    account = access.visible_or_404(Account, request.auth, pk=payload.account_id)
    if not services.may_order(request.auth, account):
        raise HttpError(403, _("Your role may not take orders for this account."))
    order, _verdict = services.order_create(
        actor=request.auth, account=account, amount=payload.amount,
        currency=payload.currency.upper(), ordered_on=payload.ordered_on,
        number=payload.number, note=payload.note, via="api",
    )  # fmt: skip
    return Status(201, _fresh(order))


@router.get("/{id:order_id}", response=OrderOut, url_name="order_detail")
def order_detail(request, order_id: int):
    return access.visible_or_404(Order, request.auth, pk=order_id)


@router.post("/{id:order_id}/copy", response={201: OrderOut, **WRITE_ERRORS}, url_name="order_copy")
def order_copy(request, order_id: int):
    copy, _verdict = services.order_copy(
        actor=request.auth, order=_editable(request, order_id), via="api"
    )
    return Status(201, _fresh(copy))


@router.post(
    "/{id:order_id}/change", response={200: OrderOut, **WRITE_ERRORS}, url_name="order_change"
)
def order_change(request, order_id: int, payload: ChangeIn):
    order, _verdict = services.order_change(
        actor=request.auth, order=_editable(request, order_id), amount=payload.amount,
        note=payload.note, via="api",
    )  # fmt: skip
    return _fresh(order)


@router.post(
    "/{id:order_id}/close", response={200: OrderOut, **WRITE_ERRORS}, url_name="order_close"
)
def order_close(request, order_id: int, payload: CloseIn):
    order = services.order_close(
        actor=request.auth, order=_editable(request, order_id), status=payload.status, via="api"
    )
    return _fresh(order)


@router.post(
    "/{id:order_id}/reopen", response={200: OrderOut, **WRITE_ERRORS}, url_name="order_reopen"
)
def order_reopen(request, order_id: int):
    order = _editable(request, order_id)
    services.order_reopen(actor=request.auth, order=order, via="api")
    return _fresh(order)


@router.post(
    "/{id:order_id}/exception",
    response={201: OrderExceptionOut, **WRITE_ERRORS},
    url_name="order_exception",
)
def order_exception(request, order_id: int, payload: ExceptionIn):
    """Ask a head to let this held order go ahead."""
    exception = services.order_ask_exception(
        actor=request.auth, order=_editable(request, order_id), reason=payload.reason, via="api"
    )
    return Status(201, exception)
