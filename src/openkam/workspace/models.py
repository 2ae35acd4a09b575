"""Competitors at our accounts: who, in which product lines, with what share of wallet."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from openkam.accounts.access import AccountChildQuerySet
from openkam.core.models import TimeStampedModel


class Competitor(TimeStampedModel):
    """A competing supplier, named once and shared across accounts."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("competitor")
        verbose_name_plural = _("competitors")

    def __str__(self) -> str:
        return self.name


class AccountCompetitor(TimeStampedModel):
    """A competitor present at one account."""

    account = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="competitors",
    )
    competitor = models.ForeignKey(
        Competitor, verbose_name=_("competitor"), on_delete=models.PROTECT, related_name="accounts"
    )
    product_lines = models.CharField(_("product lines"), max_length=300, blank=True)
    # Our estimate of the competitor's share of the client's spend, in percent.
    share_of_wallet = models.DecimalField(
        _("share of wallet %"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = AccountChildQuerySet.as_manager()

    class Meta:
        ordering = ["-share_of_wallet", "competitor__name"]
        verbose_name = _("competitor at an account")
        verbose_name_plural = _("competitors at accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "competitor"], name="account_competitor_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.competitor} @ {self.account}"
