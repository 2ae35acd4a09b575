"""Back office for the portfolio: read-only. Settings, scoring models and manual points are
changed on the portfolio pages, through the audited services; figures, scores and runs are
computed history."""

from __future__ import annotations

from django.contrib import admin

from openkam.core.admin import ReadOnlyAdmin, ReadOnlyInline
from openkam.portfolio.models import (
    AccountMetrics,
    AnalysisSettings,
    ManualScore,
    RecomputeRun,
    Review,
    ReviewItem,
    ScoreSnapshot,
    ScoringCriterion,
    ScoringModel,
)


@admin.register(AnalysisSettings)
class AnalysisSettingsAdmin(ReadOnlyAdmin):
    list_display = ("abc_a", "abc_b", "xyz_x", "xyz_y", "period_months", "max_key_per_kam")


class ScoringCriterionInline(ReadOnlyInline):
    model = ScoringCriterion
    fields = ("criterion", "weight", "source", "metric", "mapping", "bands", "higher_is_better")
    readonly_fields = fields


@admin.register(ScoringModel)
class ScoringModelAdmin(ReadOnlyAdmin):
    list_display = ("name", "segment", "is_active", "is_default", "created_by")
    list_filter = ("is_active", "segment")
    inlines = [ScoringCriterionInline]


@admin.register(ScoringCriterion)
class ScoringCriterionAdmin(ReadOnlyAdmin):
    list_display = ("scoring_model", "criterion", "weight", "source", "metric", "mapping")
    list_filter = ("scoring_model", "source")


@admin.register(ManualScore)
class ManualScoreAdmin(ReadOnlyAdmin):
    list_display = ("account", "criterion", "points", "entered_by", "entered_at")
    list_filter = ("criterion",)
    search_fields = ("account__name", "note")
    list_select_related = ("account", "entered_by")
    raw_id_fields = ("account",)


@admin.register(RecomputeRun)
class RecomputeRunAdmin(ReadOnlyAdmin):
    list_display = ("pk", "started_at", "finished_at", "status", "period_start", "period_end",
                    "accounts", "triggered_by")  # fmt: skip
    list_filter = ("status",)


@admin.register(AccountMetrics)
class AccountMetricsAdmin(ReadOnlyAdmin):
    list_display = ("account", "scope", "revenue", "margin", "abc", "xyz", "run")
    list_filter = ("scope", "abc", "xyz")
    search_fields = ("account__name",)
    list_select_related = ("account", "run")
    raw_id_fields = ("account",)


@admin.register(ScoreSnapshot)
class ScoreSnapshotAdmin(ReadOnlyAdmin):
    list_display = ("account", "scoring_model", "total", "rank", "run")
    list_filter = ("scoring_model",)
    search_fields = ("account__name",)
    list_select_related = ("account", "scoring_model", "run")
    raw_id_fields = ("account",)


class ReviewItemInline(ReadOnlyInline):
    model = ReviewItem
    fields = ("account", "rank", "score", "current_tier", "proposed_tier", "change", "decision")
    readonly_fields = fields


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ("scoring_model", "created_at", "status", "capacity", "created_by")
    list_filter = ("status",)
    inlines = [ReviewItemInline]


@admin.register(ReviewItem)
class ReviewItemAdmin(ReadOnlyAdmin):
    list_display = ("review", "account", "rank", "change", "decision", "final_tier")
    list_filter = ("change", "decision")
    search_fields = ("account__name",)
    list_select_related = ("review", "account")
