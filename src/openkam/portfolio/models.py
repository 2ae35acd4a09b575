"""Which customers are key: analysis settings, scoring models, computed figures, reviews.

Figures (AccountMetrics) are recomputed from the ledger by a job and replaced each run;
scores are snapshotted per run so their history can be seen; review decisions become
key-account status history (accounts.KeyStatusChange).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from openkam.accounts.access import AccountChildQuerySet
from openkam.accounts.models import Tier
from openkam.core.models import TimeStampedModel, money_field


class AnalysisSettings(TimeStampedModel):
    """Company-wide analysis parameters: one row (pk=1)."""

    abc_a = models.DecimalField(
        _("A class up to cumulative share"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.800"),
    )
    abc_b = models.DecimalField(
        _("B class up to cumulative share"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.950"),
    )
    xyz_x = models.DecimalField(
        _("X class up to variation"), max_digits=5, decimal_places=3, default=Decimal("0.100")
    )
    xyz_y = models.DecimalField(
        _("Y class up to variation"), max_digits=5, decimal_places=3, default=Decimal("0.250")
    )
    period_months = models.PositiveSmallIntegerField(
        _("analysis period (months)"),
        default=12,
        validators=[MinValueValidator(3), MaxValueValidator(36)],
    )
    max_key_per_kam = models.PositiveSmallIntegerField(
        _("maximum key accounts per KAM"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("analysis settings")
        verbose_name_plural = _("analysis settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(abc_a__lte=models.F("abc_b")), name="analysis_abc_ordered"
            ),
            models.CheckConstraint(
                condition=models.Q(xyz_x__lte=models.F("xyz_y")), name="analysis_xyz_ordered"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Analysis settings"))

    @classmethod
    def current(cls) -> AnalysisSettings:
        return cls.objects.get_or_create(pk=1)[0]


class Criterion(models.TextChoices):
    """The ten Sales Benchmark Index criteria (DOMAIN.md, seed 003)."""

    PRODUCT_FIT = "product_fit", _("Product fit")
    TRANSACTION_SIZE = "transaction_size", _("Average transaction size")
    REVENUE_POTENTIAL = "revenue_potential", _("Revenue potential")
    BUYING_PROCESS = "buying_process", _("Buying process")
    PARTNERSHIP = "partnership", _("Partnership history and potential")
    RELATIONSHIP_LENGTH = "relationship_length", _("Relationship length")
    PAYMENT_DISCIPLINE = "payment_discipline", _("Financial liquidity / payment discipline")
    REFERENCES = "references", _("Relationships with other prospects")
    CULTURAL_FIT = "cultural_fit", _("Cultural fit")
    GEOGRAPHIC_FIT = "geographic_fit", _("Geographic fit")


class Metric(models.TextChoices):
    """Figures derived from the ledger that a criterion can be scored on."""

    REVENUE = "revenue", _("Revenue in the period")
    MARGIN = "margin", _("Margin in the period")
    AVG_INVOICE = "avg_invoice", _("Average invoice size")
    GROWTH = "growth", _("Growth year on year")
    POTENTIAL = "potential", _("Revenue potential (revenue x trend)")
    RELATIONSHIP_YEARS = "relationship_years", _("Relationship length (years)")
    DAYS_LATE = "days_late", _("Average days paid late")
    PRODUCT_LINES = "product_lines", _("Product lines bought")


# Lower is better only for lateness; everything else rewards the larger value.
LOWER_IS_BETTER = frozenset({Metric.DAYS_LATE})


def better_when_higher(metric: str) -> bool:
    """The direction a metric reads in: a criterion scores this way unless told otherwise."""
    return metric not in LOWER_IS_BETTER


# The metric each criterion is derived from when a head picks "from data".
DEFAULT_METRIC = {
    Criterion.PRODUCT_FIT: Metric.PRODUCT_LINES,
    Criterion.TRANSACTION_SIZE: Metric.AVG_INVOICE,
    Criterion.REVENUE_POTENTIAL: Metric.POTENTIAL,
    Criterion.RELATIONSHIP_LENGTH: Metric.RELATIONSHIP_YEARS,
    Criterion.PAYMENT_DISCIPLINE: Metric.DAYS_LATE,
    Criterion.PARTNERSHIP: Metric.REVENUE,
}


class ScoringModel(TimeStampedModel):
    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    # Empty: applies to every account; otherwise only accounts of this segment are scored.
    segment = models.CharField(_("segment"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_default = models.BooleanField(_("default model for reviews"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("scoring model")
        verbose_name_plural = _("scoring models")

    def __str__(self) -> str:
        return self.name


class ScoringCriterion(models.Model):
    class Source(models.TextChoices):
        DATA = "data", _("Derived from data")
        PEOPLE = "people", _("Entered by people")

    class Mapping(models.TextChoices):
        PERCENTILE = "percentile", _("Percentile within the scored accounts")
        BANDS = "bands", _("Fixed bands")

    scoring_model = models.ForeignKey(
        ScoringModel,
        verbose_name=_("scoring model"),
        on_delete=models.CASCADE,
        related_name="criteria",
    )
    criterion = models.CharField(_("criterion"), max_length=30, choices=Criterion.choices)
    weight = models.DecimalField(
        _("weight"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.DATA
    )
    metric = models.CharField(_("metric"), max_length=30, choices=Metric.choices, blank=True)
    mapping = models.CharField(
        _("mapping"), max_length=12, choices=Mapping.choices, default=Mapping.PERCENTILE
    )
    # Ascending thresholds for the BANDS mapping (k thresholds give k + 1 bands over 1..10).
    bands = models.JSONField(_("band thresholds"), default=list, blank=True)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)

    class Meta:
        ordering = ["scoring_model", "-weight", "criterion"]
        verbose_name = _("scoring criterion")
        verbose_name_plural = _("scoring criteria")
        constraints = [
            models.UniqueConstraint(
                fields=["scoring_model", "criterion"], name="scoring_criterion_once_per_model"
            ),
            models.CheckConstraint(
                condition=models.Q(weight__gt=0), name="scoring_criterion_weight_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scoring_model}: {self.get_criterion_display()} x {self.weight}"

    @property
    def is_reversed(self) -> bool:
        """Scored against the way its metric reads (e.g. more days late scoring higher)."""
        return (
            self.source == self.Source.DATA
            and self.metric in Metric.values
            and self.higher_is_better != better_when_higher(self.metric)
        )


class ManualScore(models.Model):
    """Points 1-10 entered by a KAM or head for a criterion; the latest row counts."""

    account = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="manual_scores",
    )
    criterion = models.CharField(_("criterion"), max_length=30, choices=Criterion.choices)
    points = models.PositiveSmallIntegerField(
        _("points"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    note = models.TextField(_("note"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    objects = AccountChildQuerySet.as_manager()

    class Meta:
        ordering = ["-entered_at", "-id"]
        verbose_name = _("manual score")
        verbose_name_plural = _("manual scores")
        indexes = [
            models.Index(
                fields=["account", "criterion", "-entered_at"], name="manual_score_latest_idx"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(points__gte=1, points__lte=10), name="manual_score_points_1_10"
            ),
        ]

    def __str__(self) -> str:
        # The account is left out: the account page names it, and reading it would cost a
        # query per score.
        return f"{self.get_criterion_display()}: {self.points}/10"


class RecomputeRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")

    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    accounts = models.PositiveIntegerField(_("accounts"), default=0)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("triggered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("recompute run")
        verbose_name_plural = _("recompute runs")

    def __str__(self) -> str:
        return f"#{self.pk} {self.period_start}..{self.period_end} {self.status}"


class Scope(models.TextChoices):
    ENTITY = "entity", _("Legal entity")
    GROUP = "group", _("Whole group")


class AccountMetrics(models.Model):
    """The latest computed figures for an account (scope entity) or, on its group root,
    for the whole group rolled up (scope group). Replaced on every recompute."""

    run = models.ForeignKey(
        RecomputeRun, verbose_name=_("calculation run"), on_delete=models.PROTECT, related_name="+"
    )
    account = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="metrics",
    )
    scope = models.CharField(_("scope"), max_length=6, choices=Scope.choices)
    revenue = money_field(_("revenue"))
    margin = money_field(_("margin"))
    revenue_prev = money_field(_("revenue, previous period"))
    growth = models.FloatField(_("growth"), null=True, blank=True)
    invoice_count = models.PositiveIntegerField(_("invoices"), default=0)
    avg_invoice = money_field(_("average invoice"))
    product_lines = models.PositiveSmallIntegerField(_("product lines"), default=0)
    first_invoice_on = models.DateField(_("first invoice"), null=True, blank=True)
    last_invoice_on = models.DateField(_("last invoice"), null=True, blank=True)
    relationship_days = models.PositiveIntegerField(_("relationship length (days)"), default=0)
    avg_days_late = models.FloatField(_("average days late"), null=True, blank=True)
    worst_days_late = models.IntegerField(_("worst days late"), null=True, blank=True)
    variation = models.FloatField(_("variation of monthly revenue"), null=True, blank=True)
    abc = models.CharField(_("ABC class"), max_length=1, blank=True)
    xyz = models.CharField(_("XYZ class"), max_length=1, blank=True)
    rfm_recency = models.PositiveSmallIntegerField(_("RFM recency"), default=0)
    rfm_frequency = models.PositiveSmallIntegerField(_("RFM frequency"), default=0)
    rfm_monetary = models.PositiveSmallIntegerField(_("RFM monetary value"), default=0)
    revenue_share = models.FloatField(_("share of revenue"), default=0)
    cumulative_share = models.FloatField(_("cumulative share of revenue"), default=0)

    objects = AccountChildQuerySet.as_manager()

    # Not a column: the ABC class within what the user sees (portfolio.selectors.with_classes).
    visible_abc: str

    class Meta:
        verbose_name = _("account figures")
        verbose_name_plural = _("account figures")
        constraints = [
            models.UniqueConstraint(fields=["account", "scope"], name="metrics_account_scope_uniq"),
        ]
        indexes = [models.Index(fields=["scope", "abc", "xyz"], name="metrics_scope_class_idx")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.scope} {self.revenue}"


class ScoreSnapshot(models.Model):
    """An account's score under a model at one recompute: kept for history."""

    run = models.ForeignKey(
        RecomputeRun,
        verbose_name=_("calculation run"),
        on_delete=models.PROTECT,
        related_name="scores",
    )
    scoring_model = models.ForeignKey(
        ScoringModel,
        verbose_name=_("scoring model"),
        on_delete=models.PROTECT,
        related_name="snapshots",
    )
    account = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="score_snapshots",
    )
    total = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    rank = models.PositiveIntegerField(_("rank"))
    # [{"criterion", "value", "points", "weight", "contribution"}, ...]
    parts = models.JSONField(_("score by criterion"), default=list)

    objects = AccountChildQuerySet.as_manager()

    class Meta:
        ordering = ["rank"]
        verbose_name = _("score snapshot")
        verbose_name_plural = _("score snapshots")
        indexes = [
            models.Index(fields=["scoring_model", "run", "rank"], name="score_model_run_idx"),
            models.Index(fields=["account", "scoring_model"], name="score_account_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.total} (#{self.rank})"


class Review(TimeStampedModel):
    """A key-account review: a ranked proposal within capacity, decided item by item."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    scoring_model = models.ForeignKey(
        ScoringModel,
        verbose_name=_("scoring model"),
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    run = models.ForeignKey(
        RecomputeRun,
        verbose_name=_("calculation run"),
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous review"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kam_count = models.PositiveSmallIntegerField(_("KAMs"))
    max_per_kam = models.PositiveSmallIntegerField(_("maximum key accounts per KAM"))
    capacity = models.PositiveIntegerField(_("capacity"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    # Not columns: what the API shows of a review to one user (portfolio/reviews/api.py).
    visible_items: list[ReviewItem]
    visible_comparison: dict[str, list[int]] | None

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("key-account review")
        verbose_name_plural = _("key-account reviews")

    def __str__(self) -> str:
        return f"{self.scoring_model} {self.created_at:%Y-%m-%d}"


class ReviewItem(models.Model):
    class Change(models.TextChoices):
        PROMOTE = "promote", _("promote")
        DEMOTE = "demote", _("demote")
        KEEP = "keep", _("keep")

    class Decision(models.TextChoices):
        PENDING = "pending", _("pending")
        ACCEPTED = "accepted", _("accepted")
        OVERRIDDEN = "overridden", _("overridden")

    review = models.ForeignKey(
        Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="items"
    )
    account = models.ForeignKey(
        "accounts.Account", verbose_name=_("account"), on_delete=models.PROTECT, related_name="+"
    )
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    current_tier = models.CharField(_("current tier"), max_length=10, choices=Tier.choices)
    proposed_tier = models.CharField(_("proposed tier"), max_length=10, choices=Tier.choices)
    change = models.CharField(_("change"), max_length=10, choices=Change.choices)
    # Reviews from before reason_facts: the sentence as written then.
    reason = models.TextField(_("reason"), blank=True)
    # What the proposal rests on (reviews/reasons.py), told in the reader's language.
    reason_facts = models.JSONField(_("reason facts"), default=dict, blank=True)
    decision = models.CharField(
        _("decision"), max_length=12, choices=Decision.choices, default=Decision.PENDING
    )
    final_tier = models.CharField(_("final tier"), max_length=10, choices=Tier.choices, blank=True)
    decision_reason = models.TextField(_("decision reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = AccountChildQuerySet.as_manager()

    class Meta:
        ordering = ["review", "rank", "id"]
        verbose_name = _("review item")
        verbose_name_plural = _("review items")
        constraints = [
            models.UniqueConstraint(fields=["review", "account"], name="review_item_once"),
        ]

    def __str__(self) -> str:
        # What the item proposes, e.g. "Promote: Standard → Key" (the account is left out,
        # as for a manual score).
        change = capfirst(self.get_change_display())
        current = self.get_current_tier_display()
        if self.proposed_tier == self.current_tier:
            return f"{change}: {current}"
        return f"{change}: {current} → {self.get_proposed_tier_display()}"

    @property
    def override_tiers(self) -> list[tuple[str, str]]:
        """The tiers an override may set: not the proposed one (that is accepting), and the
        account's current tier first, since overriding a change most often means "not now"."""
        others = [
            (value, str(label)) for value, label in Tier.choices if value != self.proposed_tier
        ]
        return sorted(others, key=lambda choice: choice[0] != self.current_tier)

    @property
    def reason_text(self) -> str:
        """Why it was proposed, in the reader's language (stored text for old reviews)."""
        from openkam.portfolio.reviews.reasons import reason_text

        return reason_text(self.reason_facts) if self.reason_facts else self.reason
