"""Back office for receivables: the collection policy and the dunning ladder are set here;
promises, disputes and steps are recorded on the pages (read-only here)."""

from __future__ import annotations

from django.contrib import admin

from openkam.core.admin import AuditedAdmin, ReadOnlyAdmin
from openkam.receivables.models import (
    CollectionPolicy,
    CollectionStep,
    Dispute,
    DunningLevel,
    LedgerSnapshot,
    PromiseToPay,
    SnapshotItem,
)


@admin.register(CollectionPolicy)
class CollectionPolicyAdmin(AuditedAdmin):
    list_display = ("__str__", "dso_norm_days", "overdue_share_norm", "hold_days_overdue")

    def has_add_permission(self, request) -> bool:
        """One policy: add it once, then edit it."""
        return super().has_add_permission(request) and not CollectionPolicy.objects.exists()


@admin.register(DunningLevel)
class DunningLevelAdmin(AuditedAdmin):
    list_display = ("__str__", "days", "action", "owner", "repeat_days")


@admin.register(PromiseToPay)
class PromiseToPayAdmin(ReadOnlyAdmin):
    list_display = ("account", "amount", "currency", "given_on", "promised_on", "cancelled_on")
    list_select_related = ("account",)
    search_fields = ("account__name",)


@admin.register(Dispute)
class DisputeAdmin(ReadOnlyAdmin):
    list_display = ("invoice", "reason", "opened_on", "resolved_on")
    list_select_related = ("invoice",)


@admin.register(CollectionStep)
class CollectionStepAdmin(ReadOnlyAdmin):
    list_display = ("account", "action", "done_on", "next_on", "currency")
    list_select_related = ("account",)


@admin.register(LedgerSnapshot)
class LedgerSnapshotAdmin(ReadOnlyAdmin):
    list_display = ("source", "as_of", "item_count", "imported_at", "imported_by")
    list_filter = ("source",)


@admin.register(SnapshotItem)
class SnapshotItemAdmin(ReadOnlyAdmin):
    list_display = ("document", "account", "due_on", "amount", "currency", "snapshot")
    list_select_related = ("account", "snapshot")
    list_filter = ("snapshot__source", "snapshot__as_of")
    search_fields = ("document", "account__name")
