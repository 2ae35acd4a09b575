"""Back office: tenders are read here; they are worked on the pages."""

from __future__ import annotations

from django.contrib import admin

from openkam.core.admin import ReadOnlyAdmin
from openkam.tenders.models import Tender, TenderDocument, TenderLine


@admin.register(Tender)
class TenderAdmin(ReadOnlyAdmin):
    list_display = ("title", "account", "status", "deadline", "our_total", "currency", "owner")
    list_select_related = ("account", "owner")
    list_filter = ("status",)
    search_fields = ("title", "reference", "account__name")


@admin.register(TenderLine)
class TenderLineAdmin(ReadOnlyAdmin):
    list_display = ("tender", "product_line", "quantity", "our_price", "winning_price")
    list_select_related = ("tender",)


@admin.register(TenderDocument)
class TenderDocumentAdmin(ReadOnlyAdmin):
    list_display = ("tender", "name", "responsible", "due_on", "is_done", "done_by", "done_at")
    list_select_related = ("tender", "responsible", "done_by")
