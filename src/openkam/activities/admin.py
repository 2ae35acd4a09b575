"""Back office for activities; calendar feeds are looked at, never edited (the token is hashed)."""

from __future__ import annotations

from django.contrib import admin

from openkam.activities.models import Activity, ActivityContact, CalendarFeed
from openkam.core.admin import AuditedAdmin, ReadOnlyAdmin


class ParticipantInline(admin.TabularInline):
    model = ActivityContact
    extra = 0
    raw_id_fields = ("contact",)


@admin.register(Activity)
class ActivityAdmin(AuditedAdmin):
    list_display = ("subject", "kind", "status", "account", "owner", "starts_at")
    list_filter = ("kind", "status")
    search_fields = ("subject", "account__name")
    raw_id_fields = ("account", "owner", "plan_action", "created_by")
    list_select_related = ("account", "owner")
    date_hierarchy = "starts_at"
    inlines = (ParticipantInline,)


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ReadOnlyAdmin):
    list_display = ("user", "created_at", "last_used_at")
    exclude = ("token_hash",)
