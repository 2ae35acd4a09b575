"""Back office for the shared records: the audit log and jobs are read-only history.

`AuditedAdmin` is the base for every editable model in the back office, so a change made
there is recorded like any other change made through the product.
"""

from __future__ import annotations

from django.contrib import admin

from openkam.core import audit, bounds
from openkam.core.models import AuditEntry, Job


class BoundedDates:
    """Back-office forms take dates only in the years every page can show (core/bounds)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]
        return None if field is None else bounds.bound_form_field(field)


class ReadOnlyAdmin(admin.ModelAdmin):
    """History and ERP records: looked at in the back office, never changed there."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EditableInline(BoundedDates, admin.TabularInline):
    """Rows edited inside their parent's back-office page."""


class AuditedAdmin(BoundedDates, admin.ModelAdmin):
    """Records who changed what (each field's old and new value) for back-office edits."""

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            audit.record_create(actor=request.user, instance=obj, via="admin")
            return
        stored = type(obj)._default_manager.get(pk=obj.pk)
        before = audit.snapshot(stored)
        super().save_model(request, obj, form, change)
        audit.record_update(actor=request.user, instance=obj, before=before, via="admin")

    def has_delete_permission(self, request, obj=None):
        # Business records are archived, not deleted.
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "action", "model", "object_repr", "account", "via")
    list_filter = ("action", "model", "via")
    search_fields = ("object_repr", "object_id", "actor__username")
    date_hierarchy = "at"
    list_select_related = ("actor", "account")


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ("pk", "kind", "title", "status", "done", "total", "created_by", "created_at")
    list_filter = ("kind", "status")
    search_fields = ("title", "message")
    list_select_related = ("created_by",)
