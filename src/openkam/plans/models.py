"""Account plans: a living plan per key account and period.

A plan holds what we know of the client's business, our SMART objectives (some tracked
from the ledger by themselves), the strategy, the actions that carry it out, the risks,
and a log of reviews by the KAM and the head. Templates per segment start new plans.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from openkam.accounts.access import AccountChildQuerySet
from openkam.core.models import TimeStampedModel


class ReviewCadence(models.TextChoices):
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    ACTIVE = "active", _("active")
    CLOSED = "closed", _("closed")


class PlanHealth(models.TextChoices):
    """The verdict of the latest review."""

    ON_TRACK = "on_track", _("on track")
    AT_RISK = "at_risk", _("at risk")
    OFF_TRACK = "off_track", _("off track")


class PlanTemplate(TimeStampedModel):
    """How a new plan starts for a segment: headings' prompts, default objectives, cadence."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    segment = models.CharField(_("segment"), max_length=100, blank=True)  # blank: any
    review_cadence = models.CharField(
        _("review cadence"),
        max_length=10,
        choices=ReviewCadence.choices,
        default=ReviewCadence.QUARTERLY,
    )
    # {"relationship_summary": "...", "strategy": "...", ...}: starting texts per section.
    sections = models.JSONField(_("sections"), default=dict, blank=True)
    # [{"title": ..., "metric": ..., "target_change_pct": ...}, ...]
    objectives = models.JSONField(_("default objectives"), default=list, blank=True)
    is_archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("plan template")
        verbose_name_plural = _("plan templates")

    def __str__(self) -> str:
        return self.name


class AccountPlan(TimeStampedModel):
    account = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="plans",
    )
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    # Denormalised from the latest PlanReview (the history) for lists and flags.
    health = models.CharField(_("health"), max_length=10, choices=PlanHealth.choices, blank=True)
    review_cadence = models.CharField(
        _("review cadence"),
        max_length=10,
        choices=ReviewCadence.choices,
        default=ReviewCadence.QUARTERLY,
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="account_plans",
    )
    template = models.ForeignKey(
        PlanTemplate,
        verbose_name=_("template"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plans",
    )
    relationship_summary = models.TextField(_("relationship summary"), blank=True)
    client_goals = models.TextField(_("client's goals"), blank=True)
    client_plans = models.TextField(_("client's plans"), blank=True)
    client_financial_condition = models.TextField(_("client's financial condition"), blank=True)
    # Entered or imported: [{"label": "Revenue 2025", "value": "412 m PLN"}, ...]
    client_key_figures = models.JSONField(_("client's key figures"), default=list, blank=True)
    strategy = models.TextField(_("strategy"), blank=True)

    objects = AccountChildQuerySet.as_manager()

    # Not columns: the whole plan read for the API (plans.api.plan_detail).
    next_review_due: date
    objective_rows: list[dict[str, Any]]
    action_rows: list[PlanAction]
    risk_rows: list[PlanRisk]
    review_rows: list[PlanReview]

    class Meta:
        ordering = ["-period_start", "account__name"]
        verbose_name = _("account plan")
        verbose_name_plural = _("account plans")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "period_start"], name="plan_account_period_uniq"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="plan_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PlanChildQuerySet(AccountChildQuerySet):
    account_path = "plan__account"


class ObjectiveMetric(models.TextChoices):
    """What an objective measures: from the ledger, from activities (meetings) or by hand."""

    REVENUE = "revenue", _("revenue")
    MARGIN = "margin", _("gross margin")
    MARGIN_PCT = "margin_pct", _("margin %")
    PRODUCT_LINE_REVENUE = "line_revenue", _("revenue in a product line")
    PRODUCT_LINES = "product_lines", _("product lines bought")
    SHARE_OF_WALLET = "share_of_wallet", _("share of wallet")
    MEETINGS = "meetings", _("meetings held")
    MANUAL = "manual", _("entered by hand")


class Objective(TimeStampedModel):
    """A SMART objective: a metric, from a baseline to a target by a due date, with an owner."""

    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField(_("objective"), max_length=200)
    # The deal this objective is to be reached by, when there is one (the plan's account's).
    opportunity = models.ForeignKey(
        "opportunities.Opportunity", verbose_name=_("opportunity"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="plan_objectives",
    )  # fmt: skip
    metric = models.CharField(
        _("metric"),
        max_length=20,
        choices=ObjectiveMetric.choices,
        default=ObjectiveMetric.MANUAL,
    )
    product_line = models.CharField(_("product line"), max_length=100, blank=True)
    # The client's total spend in the category, for share of wallet (entered by the KAM).
    wallet_estimate = models.DecimalField(
        _("client's total spend (wallet)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    baseline = models.DecimalField(
        _("baseline"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(_("target"), max_digits=18, decimal_places=2)
    # For `manual` objectives: the latest value entered by hand.
    current_value = models.DecimalField(
        _("current value"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    due_on = models.DateField(_("due date"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="plan_objectives",
    )

    objects = PlanChildQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self) -> str:
        return self.title


class ActionStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


class PlanAction(TimeStampedModel):
    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="actions")
    objective = models.ForeignKey(
        Objective,
        verbose_name=_("objective"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    title = models.CharField(_("action"), max_length=200)
    opportunity = models.ForeignKey(
        "opportunities.Opportunity", verbose_name=_("opportunity"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="plan_actions",
    )  # fmt: skip
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="plan_actions",
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)

    objects = PlanChildQuerySet.as_manager()

    # Not a column: set for the plan page, the PDF and the API (open and past its due day).
    is_overdue: bool

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        indexes = [models.Index(fields=["owner", "status", "due_on"], name="plan_action_owner_idx")]

    def __str__(self) -> str:
        return self.title


class RiskKind(models.TextChoices):
    RISK = "risk", _("risk")
    COMPETITOR = "competitor", _("competitor threat")


class Level(models.IntegerChoices):
    LOW = 1, _("low")
    MEDIUM = 2, _("medium")
    HIGH = 3, _("high")


class PlanRisk(TimeStampedModel):
    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="risks")
    kind = models.CharField(
        _("type"), max_length=12, choices=RiskKind.choices, default=RiskKind.RISK
    )
    competitor = models.ForeignKey(
        "workspace.Competitor",
        verbose_name=_("competitor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.TextField(_("description"))
    likelihood = models.PositiveSmallIntegerField(
        _("likelihood"), choices=Level.choices, default=Level.MEDIUM
    )
    impact = models.PositiveSmallIntegerField(
        _("impact"), choices=Level.choices, default=Level.MEDIUM
    )
    mitigation = models.TextField(_("mitigation"), blank=True)

    objects = PlanChildQuerySet.as_manager()

    class Meta:
        ordering = ["-impact", "-likelihood", "id"]
        verbose_name = _("risk")
        verbose_name_plural = _("risks")


class PlanReview(models.Model):
    """A review of the plan by the KAM or the head: when, verdict, comment. History as rows."""

    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    health = models.CharField(_("status"), max_length=10, choices=PlanHealth.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = PlanChildQuerySet.as_manager()

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        verbose_name = _("plan review")
        verbose_name_plural = _("plan reviews")

    def __str__(self) -> str:
        return f"{self.plan} {self.reviewed_on}: {self.get_health_display()}"
