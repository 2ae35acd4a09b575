"""Back office for contacts."""

from __future__ import annotations

from django.contrib import admin

from openkam.core.admin import AuditedAdmin
from openkam.stakeholders.models import AttitudeChange, Contact, ContactLink


@admin.register(Contact)
class ContactAdmin(AuditedAdmin):
    list_display = ("last_name", "first_name", "account", "position", "email", "is_archived")
    list_filter = ("is_archived",)
    search_fields = ("last_name", "first_name", "email", "account__name")
    raw_id_fields = ("account",)
    list_select_related = ("account",)


@admin.register(AttitudeChange)
class AttitudeChangeAdmin(admin.ModelAdmin):
    list_display = ("contact", "previous_attitude", "attitude", "changed_by", "changed_at")
    list_filter = ("attitude",)
    search_fields = ("contact__last_name", "contact__account__name")
    raw_id_fields = ("contact", "changed_by")
    list_select_related = ("contact", "changed_by")


@admin.register(ContactLink)
class ContactLinkAdmin(AuditedAdmin):
    list_display = ("source", "kind", "target")
    list_filter = ("kind",)
    search_fields = ("source__last_name", "target__last_name")
    raw_id_fields = ("source", "target")
    list_select_related = ("source", "target")
