"""Back office for plans: templates per segment, and plans with their parts to inspect."""

from django.contrib import admin

from openkam.core.admin import AuditedAdmin, EditableInline
from openkam.plans.models import (
    AccountPlan,
    Objective,
    PlanAction,
    PlanReview,
    PlanRisk,
    PlanTemplate,
)


@admin.register(PlanTemplate)
class PlanTemplateAdmin(AuditedAdmin):
    list_display = ("name", "segment", "review_cadence", "is_archived")
    list_filter = ("review_cadence", "is_archived")
    search_fields = ("name", "segment")


class ObjectiveInline(EditableInline):
    model = Objective
    extra = 0
    raw_id_fields = ("owner",)


class ActionInline(EditableInline):
    model = PlanAction
    extra = 0
    raw_id_fields = ("owner", "objective")


class RiskInline(EditableInline):
    model = PlanRisk
    extra = 0
    raw_id_fields = ("competitor",)


class ReviewInline(EditableInline):
    model = PlanReview
    extra = 0
    raw_id_fields = ("reviewer",)


@admin.register(AccountPlan)
class AccountPlanAdmin(AuditedAdmin):
    list_display = ("title", "account", "period_start", "period_end", "status", "health")
    list_filter = ("status", "health", "review_cadence")
    search_fields = ("title", "account__name")
    raw_id_fields = ("account", "owner", "template")
    list_select_related = ("account",)
    inlines = (ObjectiveInline, ActionInline, RiskInline, ReviewInline)
