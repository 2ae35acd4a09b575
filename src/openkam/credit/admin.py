"""Back office for credit: the credit policy is set here; limits, checks and exceptions
are recorded and decided on the pages (read-only here, so every change is audited there)."""

from __future__ import annotations

from django.contrib import admin

from openkam.core.admin import AuditedAdmin, ReadOnlyAdmin
from openkam.credit.models import CreditCheck, CreditException, CreditLimit, CreditPolicy


@admin.register(CreditPolicy)
class CreditPolicyAdmin(AuditedAdmin):
    list_display = ("__str__", "slow_payer_cut", "late_payer_cut", "exception_days")

    def has_add_permission(self, request) -> bool:
        """One policy: add it once, then edit it."""
        return super().has_add_permission(request) and not CreditPolicy.objects.exists()


@admin.register(CreditLimit)
class CreditLimitAdmin(ReadOnlyAdmin):
    list_display = ("account", "scope", "amount", "currency", "valid_from", "set_by")
    list_select_related = ("account", "set_by")
    search_fields = ("account__name",)


@admin.register(CreditCheck)
class CreditCheckAdmin(ReadOnlyAdmin):
    list_display = ("account", "checked_on", "source", "risk_class", "next_check_on")
    list_select_related = ("account",)
    search_fields = ("account__name",)


@admin.register(CreditException)
class CreditExceptionAdmin(ReadOnlyAdmin):
    list_display = ("account", "subject", "amount", "currency", "status", "expires_on")
    list_select_related = ("account",)
    list_filter = ("status",)
