"""Back office for imports: the run history (read-only), the saved column mappings and
the defaults of each source system."""

from __future__ import annotations

from django.contrib import admin

from openkam.core.admin import AuditedAdmin, ReadOnlyAdmin
from openkam.ingest.models import ColumnMapping, ImportBatch, SourceDefaults


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = (
        "started_at",
        "kind",
        "file_name",
        "status",
        "rows",
        "error_count",
        "created_by",
    )
    list_filter = ("kind", "status", "dry_run")
    search_fields = ("file_name",)
    list_select_related = ("created_by",)


@admin.register(ColumnMapping)
class ColumnMappingAdmin(AuditedAdmin):
    list_display = ("source", "kind", "updated_by", "updated_at")
    list_filter = ("kind",)
    search_fields = ("source",)
    list_select_related = ("updated_by",)
    readonly_fields = ("updated_by", "updated_at")


@admin.register(SourceDefaults)
class SourceDefaultsAdmin(AuditedAdmin):
    list_display = ("source", "country", "currency", "date_order", "updated_by", "updated_at")
    search_fields = ("source",)
    list_select_related = ("updated_by",)
    readonly_fields = ("updated_by", "updated_at")

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
