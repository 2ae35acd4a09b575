"""Back office for the money side. Invoices and payments come from the ERP: read-only here."""

from __future__ import annotations

from django.contrib import admin

from openkam.core.admin import AuditedAdmin, ReadOnlyAdmin, ReadOnlyInline
from openkam.ledger.models import Invoice, InvoiceLine, Payment, Product


@admin.register(Product)
class ProductAdmin(AuditedAdmin):
    list_display = ("sku", "name", "product_line", "unit", "is_archived", "source")
    list_filter = ("product_line", "is_archived", "source")
    search_fields = ("sku", "name", "external_id")


class InvoiceLineInline(ReadOnlyInline):
    model = InvoiceLine
    fields = ("line_no", "product", "quantity", "net_amount", "cost_amount", "return_reason")
    readonly_fields = fields


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ("number", "account", "issued_on", "net_total", "currency", "source")
    list_filter = ("currency", "source")
    search_fields = ("number", "external_id", "account__name")
    date_hierarchy = "issued_on"
    list_select_related = ("account",)
    inlines = [InvoiceLineInline]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("paid_on", "account", "amount", "currency", "invoice_number", "source")
    list_filter = ("currency", "source")
    search_fields = ("invoice_number", "external_id", "account__name")
    date_hierarchy = "paid_on"
    list_select_related = ("account",)
