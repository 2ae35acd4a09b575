"""JSON API for products, invoices and payments. Invoices and payments follow account
visibility; the product catalogue is readable by every signed-in user."""

from datetime import date

from ninja import Query, Router, Schema
from ninja.pagination import paginate

from openkam.accounts import access
from openkam.accounts.api import OnAccountOut
from openkam.core import bounds
from openkam.core.schemas import Money, Quantity
from openkam.ledger import selectors
from openkam.ledger.models import Invoice

PAGE_SIZE = 50

router = Router(tags=["ledger"])


class ProductOut(Schema):
    id: int
    sku: str
    name: str
    product_line: str
    unit: str
    is_archived: bool
    source: str
    external_id: str


class InvoiceOut(OnAccountOut):
    id: int
    number: str
    issued_on: date
    due_on: date | None
    currency: str
    net_total: Money
    cost_total: Money
    source: str
    external_id: str


class InvoiceLineOut(Schema):
    line_no: int
    product_id: int
    sku: str
    product_name: str
    quantity: Quantity
    net_amount: Money
    cost_amount: Money
    currency: str
    return_reason: str

    @staticmethod
    def resolve_sku(obj) -> str:
        return obj.product.sku

    @staticmethod
    def resolve_product_name(obj) -> str:
        return obj.product.name


class InvoiceDetailOut(InvoiceOut):
    lines: list[InvoiceLineOut]

    @staticmethod
    def resolve_lines(obj) -> list:
        # Set by the view from the visibility-checked selector, never the raw manager.
        return obj.visible_lines


class PaymentOut(OnAccountOut):
    id: int
    paid_on: date
    amount: Money
    currency: str
    invoice_id: int | None
    invoice_number: str
    source: str
    external_id: str


class ProductFilters(Schema):
    q: bounds.SearchText = ""
    include_archived: bool = False


class DateRangeFilters(Schema):
    account_id: bounds.Id | None = None
    date_from: bounds.ApiDate | None = None
    date_to: bounds.ApiDate | None = None


@router.get("/products", response=list[ProductOut], url_name="product_list")
@paginate(bounds.Pages, page_size=PAGE_SIZE)
def product_list(request, filters: Query[ProductFilters]):
    return selectors.product_list(
        user=request.auth, q=filters.q, include_archived=filters.include_archived
    )


@router.get("/invoices", response=list[InvoiceOut], url_name="invoice_list")
@paginate(bounds.Pages, page_size=PAGE_SIZE)
def invoice_list(request, filters: Query[DateRangeFilters]):
    return selectors.invoice_list(
        user=request.auth,
        account_id=filters.account_id,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )


@router.get("/invoices/{id:invoice_id}", response=InvoiceDetailOut, url_name="invoice_detail")
def invoice_detail(request, invoice_id: int):
    invoice = access.visible_or_404(
        Invoice.objects.select_related("account"), request.auth, pk=invoice_id
    )
    invoice.visible_lines = list(selectors.invoice_lines(user=request.auth, invoice=invoice))
    return invoice


@router.get("/payments", response=list[PaymentOut], url_name="payment_list")
@paginate(bounds.Pages, page_size=PAGE_SIZE)
def payment_list(request, filters: Query[DateRangeFilters]):
    return selectors.payment_list(
        user=request.auth,
        account_id=filters.account_id,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
