"""Back office for promotions: heads and administrators change them, every change audited
(the pages and the API do the same through the services)."""

from __future__ import annotations

from django.contrib import admin

from openkam.core.admin import AuditedAdmin
from openkam.promotions.models import Promotion
from openkam.promotions.services import may_edit_promotions


@admin.register(Promotion)
class PromotionAdmin(AuditedAdmin):
    list_display = (
        "name",
        "kind",
        "starts_on",
        "ends_on",
        "currency",
        "audience",
        "exclusion_group",
    )
    list_filter = ("kind", "audience", "currency")
    search_fields = ("name", "exclusion_group")
    date_hierarchy = "starts_on"
    filter_horizontal = ("accounts", "products")

    def has_add_permission(self, request):
        return super().has_add_permission(request) and may_edit_promotions(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and may_edit_promotions(request.user)
