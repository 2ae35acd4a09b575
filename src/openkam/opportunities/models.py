"""Opportunities: what a KAM expects to sell into an account, stage by stage.

Stages are the company's own (names, order, default probability), with three outcomes:
open, won, lost. Every move between stages is kept as a row (`StageChange`), so the
pipeline of any past day, win rates and how long deals sit in a stage can be told.
Amounts keep their currency: no total ever adds two currencies.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from openkam.accounts.access import AccountChildQuerySet
from openkam.core.models import SourcedModel, currency_field, money_field

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class Outcome(models.TextChoices):
    OPEN = "open", pgettext_lazy("opportunity", "open")
    WON = "won", _("won")
    LOST = "lost", _("lost")


class Kind(models.TextChoices):
    NEW = "new", _("new business")
    UPSELL = "upsell", _("upsell")
    CROSS_SELL = "cross_sell", _("cross-sell")
    RENEWAL = "renewal", _("renewal")


class LostReason(models.TextChoices):
    PRICE = "price", _("price")
    COMPETITOR = "competitor", _("lost to a competitor")
    NO_BUDGET = "no_budget", _("no budget")
    NO_DECISION = "no_decision", _("no decision")
    TIMING = "timing", _("timing")
    PRODUCT = "product", _("product does not fit")
    CREDIT = "credit", _("credit terms")
    OTHER = "other", _("other")


# The stages a company starts with (the names of those it keeps are translated on pages).
DEFAULT_STAGE_NAMES = {
    "qualify": _("Qualify"),
    "develop": _("Develop"),
    "propose": _("Propose"),
    "negotiate": _("Negotiate"),
    "won": _("Won"),
    "lost": _("Lost"),
}


class Stage(models.Model):
    """A step of the company's sales process, edited in the back office."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(
        _("name"), max_length=100, blank=True,
        help_text=_("Empty for a built-in stage: its name is shown in each reader's language."),
    )  # fmt: skip
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    probability = models.PositiveSmallIntegerField(
        _("default probability (%)"), validators=PERCENT, default=10
    )
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.OPEN
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.name or str(DEFAULT_STAGE_NAMES.get(self.code, self.code))

    @property
    def is_open(self) -> bool:
        return self.outcome == Outcome.OPEN


class OpportunityQuerySet(AccountChildQuerySet["Opportunity"]):
    def open(self):
        return self.filter(stage__outcome=Outcome.OPEN)


class Opportunity(SourcedModel):
    account = models.ForeignKey(
        "accounts.Account", verbose_name=_("account"), on_delete=models.PROTECT,
        related_name="opportunities",
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.UPSELL)
    value = money_field(_("value"))
    currency = currency_field()
    stage = models.ForeignKey(
        Stage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="+"
    )
    probability = models.PositiveSmallIntegerField(
        _("probability (%)"), validators=PERCENT,
        help_text=_("The stage's default unless changed."),
    )  # fmt: skip
    expected_close = models.DateField(_("expected close"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    stakeholders = models.ManyToManyField(
        "stakeholders.Contact", verbose_name=_("people involved"), blank=True, related_name="+"
    )
    # By name, not import: the catalogue lives in a layer above this app (workspace).
    competitors = models.ManyToManyField(
        "workspace.Competitor", verbose_name=_("competitors"), blank=True, related_name="+"
    )
    description = models.TextField(_("description"), blank=True)
    lost_reason = models.CharField(
        _("lost reason"), max_length=20, choices=LostReason.choices, blank=True
    )
    lost_note = models.TextField(_("about the loss"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        ordering = ["expected_close", "pk"]
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        constraints = [
            SourcedModel.source_identity_constraint("opportunity_source_external_id_uniq")
        ]
        indexes = [models.Index(fields=["account", "stage"], name="opportunity_account_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def weighted_value(self) -> Decimal:
        return (self.value * self.probability / 100).quantize(Decimal("0.01"))


class LineQuerySet(AccountChildQuerySet["OpportunityLine"]):
    account_path = "opportunity__account"


class OpportunityLine(models.Model):
    """A product line the opportunity is about (the cells of the whitespace map)."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="product_lines"
    )
    product_line = models.CharField(_("product line"), max_length=100)

    objects = LineQuerySet.as_manager()

    class Meta:
        ordering = ["product_line"]
        verbose_name = _("product line of an opportunity")
        verbose_name_plural = _("product lines of opportunities")
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "product_line"], name="opportunity_line_uniq"
            )
        ]

    def __str__(self) -> str:
        return self.product_line


class StageChangeQuerySet(AccountChildQuerySet["StageChange"]):
    account_path = "opportunity__account"


class StageChange(models.Model):
    """One move of an opportunity (its creation is the first, from no stage)."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.ForeignKey(
        Stage, verbose_name=_("from"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    to_stage = models.ForeignKey(
        Stage, verbose_name=_("to"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("when"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    value = money_field(_("value"))
    probability = models.PositiveSmallIntegerField(_("probability (%)"))

    objects = StageChangeQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self) -> str:
        return f"{self.opportunity_id}: {self.from_stage_id} -> {self.to_stage_id}"
