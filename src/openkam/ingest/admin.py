"""Back office for import runs: read-only history."""

from __future__ import annotations

from django.contrib import admin

from openkam.core.admin import ReadOnlyAdmin
from openkam.ingest.models import ImportBatch


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
