"""Back office: the stages are set here; opportunities are worked on the pages."""

from __future__ import annotations

from django.contrib import admin

from openkam.core.admin import AuditedAdmin, ReadOnlyAdmin
from openkam.opportunities.models import Opportunity, Stage, StageChange


@admin.register(Stage)
class StageAdmin(AuditedAdmin):
    list_display = ("__str__", "code", "position", "probability", "outcome", "is_active")
    list_editable = ("position", "probability", "is_active")


@admin.register(Opportunity)
class OpportunityAdmin(ReadOnlyAdmin):
    list_display = ("title", "account", "stage", "value", "currency", "expected_close", "owner")
    list_select_related = ("account", "stage", "owner")
    list_filter = ("stage", "kind")
    search_fields = ("title", "account__name")


@admin.register(StageChange)
class StageChangeAdmin(ReadOnlyAdmin):
    list_display = ("opportunity", "from_stage", "to_stage", "at", "by")
    list_select_related = ("opportunity", "from_stage", "to_stage", "by")
