"""Back office: approval rules and their steps are the company's to set (audited);
proposals and requests are read only here (they change through the pages and the API)."""

from __future__ import annotations

from django.contrib import admin

from openkam.core.admin import AuditedAdmin, EditableInline, ReadOnlyAdmin
from openkam.proposals.models import ApprovalRequest, ApprovalRule, ApprovalStep, Proposal


class StepInline(EditableInline):
    model = ApprovalStep
    extra = 1
    min_num = 1
    autocomplete_fields = ["user"]


@admin.register(ApprovalRule)
class ApprovalRuleAdmin(AuditedAdmin):
    list_display = ("name", "metric", "threshold", "currency", "escalate_after_days", "is_active")
    list_filter = ("metric", "is_active")
    search_fields = ("name",)
    inlines = [StepInline]


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ("number", "version", "account", "status", "total", "currency", "valid_until")
    list_select_related = ("account",)
    list_filter = ("status", "currency")
    search_fields = ("number", "title", "account__name")


@admin.register(ApprovalRequest)
class ApprovalRequestAdmin(ReadOnlyAdmin):
    list_display = ("proposal", "rule", "sequence", "status", "decided_by", "decided_at")
    list_select_related = ("proposal", "rule", "decided_by")
    list_filter = ("status",)
