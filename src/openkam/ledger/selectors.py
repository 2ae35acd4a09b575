"""Reads about the money side. Invoices and payments follow account visibility."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from openkam.ledger.models import Invoice, InvoiceLine, Payment, Product
from openkam.users import permissions
from openkam.users.permissions import AnyUser


def invoice_list(
    *,
    user: AnyUser,
    account_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Invoice]:
    invoices = Invoice.objects.visible_to(user).select_related("account")
    if account_id is not None:
        invoices = invoices.filter(account_id=account_id)
    if date_from is not None:
        invoices = invoices.filter(issued_on__gte=date_from)
    if date_to is not None:
        invoices = invoices.filter(issued_on__lte=date_to)
    return invoices.order_by("-issued_on", "-id")


def recent_invoices(*, user: AnyUser, account_id: int, limit: int = 10) -> list[Invoice]:
    return list(invoice_list(user=user, account_id=account_id)[:limit])


def invoice_get(*, user: AnyUser, pk: int) -> Invoice:
    """A visible invoice; raises Invoice.DoesNotExist otherwise."""
    return Invoice.objects.visible_to(user).select_related("account").get(pk=pk)


def invoice_lines(*, user: AnyUser, invoice: Invoice) -> QuerySet[InvoiceLine]:
    return (
        InvoiceLine.objects.visible_to(user)
        .filter(invoice=invoice)
        .select_related("product")
        .order_by("line_no")
    )


def payment_list(
    *,
    user: AnyUser,
    account_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Payment]:
    payments = Payment.objects.visible_to(user).select_related("account", "invoice")
    if account_id is not None:
        payments = payments.filter(account_id=account_id)
    if date_from is not None:
        payments = payments.filter(paid_on__gte=date_from)
    if date_to is not None:
        payments = payments.filter(paid_on__lte=date_to)
    return payments.order_by("-paid_on", "-id")


def recent_payments(*, user: AnyUser, account_id: int, limit: int = 10) -> list[Payment]:
    return list(payment_list(user=user, account_id=account_id)[:limit])


def product_list(
    *, user: AnyUser, q: str = "", include_archived: bool = False
) -> QuerySet[Product]:
    """The catalogue is not a commercial secret: any active user may read it."""
    if not permissions.is_active_user(user):
        return Product.objects.none()
    products = Product.objects.all()
    if not include_archived:
        products = products.filter(is_archived=False)
    if q:
        products = products.filter(
            Q(sku__icontains=q) | Q(name__icontains=q) | Q(product_line__icontains=q)
        )
    return products.order_by("sku", "pk")
