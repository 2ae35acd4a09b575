"""Back office for contracts and their files."""

from __future__ import annotations

from django.contrib import admin

from openkam.contracts.models import Contract, ContractFile
from openkam.core.admin import AuditedAdmin, ReadOnlyInline


class ContractFileInline(ReadOnlyInline):
    model = ContractFile
    fields = ("name", "size", "content_type", "uploaded_by", "created_at")
    readonly_fields = fields


@admin.register(Contract)
class ContractAdmin(AuditedAdmin):
    list_display = ("number", "account", "kind", "status", "starts_on", "ends_on")
    list_filter = ("kind", "status", "auto_renews")
    search_fields = ("number", "account__name")
    raw_id_fields = ("account",)
    list_select_related = ("account",)
    inlines = [ContractFileInline]
