"""Accounts (customer legal entities), their group hierarchy, assignments and key status."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from openkam.accounts.access import AccountChildQuerySet, AccountVisibleQuerySet
from openkam.accounts.validators import validate_kpp
from openkam.core.models import SourcedModel, TimeStampedModel, currency_field

if TYPE_CHECKING:
    from openkam.users.models import User


class Tier(models.TextChoices):
    KEY = "key", _("Key")
    STRATEGIC = "strategic", _("Strategic")
    STANDARD = "standard", _("Standard")


class Account(SourcedModel):
    name = models.CharField(_("name"), max_length=250)
    legal_form = models.CharField(_("legal form"), max_length=40, blank=True)
    tax_id = models.CharField(_("tax id"), max_length=32, blank=True, db_index=True)
    # A Russian organisation's registration reason code (КПП), next to its INN.
    kpp = models.CharField(_("KPP"), max_length=9, blank=True, validators=[validate_kpp])
    country = models.CharField(_("country"), max_length=2, default="PL")
    region = models.CharField(_("region"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    segment = models.CharField(_("segment"), max_length=100, blank=True)
    currency = currency_field()
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # The top of the group (itself for a stand-alone account), kept in step with
    # `parent` by the services so revenue, debt and KPIs roll up in one join.
    group_root = models.ForeignKey(
        "self",
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_members",
    )
    # Current tier, denormalised from KeyStatusChange rows (the history) for filters.
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices, default=Tier.STANDARD)
    is_archived = models.BooleanField(_("archived"), default=False)

    objects = AccountVisibleQuerySet.as_manager()

    # Not columns: set on listed rows by accounts.selectors' attach_* helpers for the pages
    # and the API.
    owner: User | None
    group_revenue_12m: Decimal | None
    group_other_currencies: list[str] | None

    class Meta:
        ordering = ["name"]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [SourcedModel.source_identity_constraint("account_source_external_id_uniq")]
        indexes = [models.Index(fields=["tier", "name"], name="account_tier_name_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_group_root(self) -> bool:
        return self.group_root_id in (None, self.pk) and self.children.exists()


class AssignmentRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    SUPPORT = "support", _("Support")
    JUNIOR = "junior", _("Junior")


class AssignmentQuerySet(AccountChildQuerySet["Assignment"]):
    def active(self, on: date) -> AssignmentQuerySet:
        return self.filter(starts_on__lte=on).filter(
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=on)
        )


class Assignment(TimeStampedModel):
    """Who works an account, in what role, from when to when (history as rows)."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(
        _("role"), max_length=10, choices=AssignmentRole.choices, default=AssignmentRole.OWNER
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = AssignmentQuerySet.as_manager()

    # Not a column: set by accounts.selectors.assignments_of for the account page.
    is_active: bool

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        indexes = [models.Index(fields=["user", "ends_on"], name="assignment_user_end_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="assignment_range_ordered",
            )
        ]

    def __str__(self) -> str:
        # The account is left out: the account page names it, and reading it would cost a
        # query where assignments are listed without it.
        return f"{self.user} ({self.get_role_display()})"


class KeyStatusChange(models.Model):
    """A decision about an account's tier: history as rows, never overwritten."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="status_changes")
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices)
    previous_tier = models.CharField(_("previous tier"), max_length=10, choices=Tier.choices)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"))

    objects = AccountChildQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("key-account status change")
        verbose_name_plural = _("key-account status changes")

    def __str__(self) -> str:
        return f"{self.account}: {self.previous_tier} -> {self.tier}"
