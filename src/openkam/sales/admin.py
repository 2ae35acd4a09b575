"""Back office for orders: read-only, since an order changes only through the credit gate
on the pages, the API and the import (services.py)."""

from __future__ import annotations

from django.contrib import admin

from openkam.core.admin import ReadOnlyAdmin
from openkam.sales.models import Order


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ("number", "account", "ordered_on", "amount", "currency", "status")
    list_select_related = ("account",)
    list_filter = ("status",)
    search_fields = ("number", "account__name")
