"""Back office for contacts."""

from __future__ import annotations

from django.contrib import admin

from openkam.core.admin import AuditedAdmin
from openkam.stakeholders.models import Contact


@admin.register(Contact)
class ContactAdmin(AuditedAdmin):
    list_display = ("last_name", "first_name", "account", "position", "email", "is_archived")
    list_filter = ("is_archived",)
    search_fields = ("last_name", "first_name", "email", "account__name")
    raw_id_fields = ("account",)
    list_select_related = ("account",)
