"""Promotions and bonus programmes: a price discount, or a volume bonus (a rebate paid
when an account's purchases of the promoted products in the period reach a threshold).

A promotion is a company-wide catalogue item like a price list: everyone signed in reads
it, heads of key accounts and administrators change it. What it means for one account
(progress, the bonus earned, the lift after the period) is read from the ledger through
the account's visibility (`selectors`). docs/promotions.md explains it to users.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from openkam.accounts.models import Tier
from openkam.contracts.models import currency_code
from openkam.core import bounds
from openkam.core.models import MONEY_DIGITS, MONEY_PLACES, TimeStampedModel

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]
QUANTITY_DIGITS = 15
QUANTITY_PLACES = 3


class PromotionKind(models.TextChoices):
    DISCOUNT = "discount", _("price discount")
    VOLUME_BONUS = "volume_bonus", _("volume bonus")


class PromotionAudience(models.TextChoices):
    ALL = "all", _("all accounts")
    SEGMENTS = "segments", _("accounts of the segments")
    ACCOUNTS = "accounts", _("chosen accounts")


class PromotionStatus(models.TextChoices):
    UPCOMING = "upcoming", pgettext_lazy("promotions", "upcoming")
    ACTIVE = "active", pgettext_lazy("promotions", "running")
    PAST = "past", pgettext_lazy("promotions", "past")


def _money(label, **kwargs) -> models.DecimalField:
    return models.DecimalField(
        label, max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, null=True, blank=True,
        validators=[MinValueValidator(0)], **kwargs,
    )  # fmt: skip


def _percent(label, **kwargs) -> models.DecimalField:
    return models.DecimalField(
        label, max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT,
        **kwargs,
    )  # fmt: skip


class Promotion(TimeStampedModel):
    name = models.CharField(_("name"), max_length=150, unique=True)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=PromotionKind.choices)
    starts_on = models.DateField(_("starts on"), validators=[bounds.validate_date])
    ends_on = models.DateField(_("ends on"), validators=[bounds.validate_date])
    currency = models.CharField(
        _("currency"), max_length=3, default="PLN", validators=[currency_code]
    )
    # Who may take part.
    audience = models.CharField(
        _("for"), max_length=10, choices=PromotionAudience.choices, default=PromotionAudience.ALL
    )
    segments = models.JSONField(_("segments"), default=list, blank=True)
    accounts = models.ManyToManyField(
        "accounts.Account", verbose_name=_("accounts"), blank=True, related_name="+"
    )
    tier = models.CharField(
        _("only accounts of the tier"), max_length=10, choices=Tier.choices, blank=True,
        help_text=_("Empty: any tier."),
    )  # fmt: skip
    # What it covers: the lines and products named; nothing named covers every product.
    product_lines = models.JSONField(_("product lines"), default=list, blank=True)
    products = models.ManyToManyField(
        "ledger.Product", verbose_name=_("products"), blank=True, related_name="+"
    )
    # The condition of a volume bonus, measured on the period's invoice lines.
    threshold_quantity = models.DecimalField(
        _("threshold quantity"), max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES,
        null=True, blank=True, validators=[MinValueValidator(0)],
    )  # fmt: skip
    threshold_amount = _money(_("threshold amount"), help_text=_("Net, in the currency above."))
    # The benefit.
    discount_pct = _percent(_("discount (%)"))
    # xgettext:no-python-format
    bonus_pct = _percent(_("bonus (% of the eligible turnover)"))
    bonus_amount = _money(_("fixed bonus"))
    # Stacking.
    combinable = models.BooleanField(
        _("combines with other promotions"), default=True,
        help_text=_("Unless they share an exclusion group."),
    )  # fmt: skip
    exclusion_group = models.CharField(
        _("exclusion group"), max_length=60, blank=True,
        help_text=_("Promotions of one exclusion group never combine: the best one wins."),
    )  # fmt: skip
    limit_per_account = _money(_("largest bonus per account"), help_text=_("Empty: no limit."))

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("promotion")
        verbose_name_plural = _("promotions")
        indexes = [models.Index(fields=["starts_on", "ends_on"], name="promotion_period_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_bonus(self) -> bool:
        return self.kind == PromotionKind.VOLUME_BONUS

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def status(self, today: date) -> str:
        if today < self.starts_on:
            return PromotionStatus.UPCOMING
        return PromotionStatus.ACTIVE if today <= self.ends_on else PromotionStatus.PAST

    @property
    def rank_pct(self) -> Decimal:
        """How much it is worth to the customer as a share of the price, to pick the best
        of promotions that do not combine: the discount or bonus percentage; a fixed
        bonus counts as its share of the threshold amount (0 without one)."""
        if self.kind == PromotionKind.DISCOUNT:
            return self.discount_pct or Decimal(0)
        if self.bonus_pct is not None:
            return self.bonus_pct
        if self.bonus_amount and self.threshold_amount:
            return min(Decimal(100), self.bonus_amount * 100 / self.threshold_amount)
        return Decimal(0)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The end is before the start.")
        if self.audience == PromotionAudience.SEGMENTS and not self.segments:
            errors["segments"] = _("Name at least one segment.")
        if self.kind == PromotionKind.DISCOUNT:
            if self.discount_pct is None:
                errors["discount_pct"] = _("Give the discount of a price discount.")
            if self.bonus_pct is not None or self.bonus_amount is not None:
                errors["bonus_pct"] = _("A price discount pays no bonus: leave it empty.")
        elif self.kind == PromotionKind.VOLUME_BONUS:
            self._clean_bonus(errors)
        if errors:
            raise ValidationError(errors)

    def _clean_bonus(self, errors: dict[str, Any]) -> None:
        if (self.bonus_pct is None) == (self.bonus_amount is None):
            errors["bonus_pct"] = _("Give either the bonus percentage or the fixed bonus.")
        if self.discount_pct is not None:
            errors["discount_pct"] = _("A volume bonus gives no price discount: leave it empty.")
        if self.threshold_quantity is not None and self.threshold_amount is not None:
            errors["threshold_amount"] = _("Give a threshold quantity or amount, not both.")
        if self.bonus_amount is not None and not (self.threshold_quantity or self.threshold_amount):
            errors["bonus_amount"] = _("A fixed bonus needs a threshold to reach.")
