"""Competitors at our accounts: who, in which product lines, with what share of wallet."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from openkam.accounts.access import AccountChildQuerySet
from openkam.core.models import TimeStampedModel
from openkam.users import permissions


class CompetitorQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The catalogue entries `user` may read: those present at an account they see or
        named in a threat of a plan they see, and those they named themselves. A name
        recorded only at accounts hidden from them is as absent as those accounts.
        Whoever sees every account sees the whole catalogue."""
        if permissions.sees_all_accounts(user):
            return self.all()
        if not permissions.is_active_user(user):
            return self.none()
        at_accounts = AccountCompetitor.objects.visible_to(user).values("competitor_id")
        risks = apps.get_model("plans", "PlanRisk").objects.visible_to(user)
        in_plans = risks.filter(competitor__isnull=False).values("competitor_id")
        return self.filter(
            models.Q(pk__in=at_accounts) | models.Q(pk__in=in_plans) | models.Q(created_by=user)
        )


class Competitor(TimeStampedModel):
    """A competing supplier, named once and shared across accounts.

    The catalogue is shared, but a reader sees only the names in use where they may look
    (`visible_to`): a KAM does not learn whom a colleague competes with at accounts hidden
    from them. There are no global entries: a name belongs to the accounts it is used at.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Who named it first: they keep seeing the name even where it is used nowhere (yet).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = CompetitorQuerySet.as_manager()

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
