"""Tenders: public and corporate calls for offers that a KAM answers for an account.

A tender belongs to the account that issues it; it is priced line by line (product line,
quantity, our price, the winning price) in the tender's one currency, carries a checklist
of the documents the offer needs, and ends won, lost (to a competitor recorded at the
account, or to a name typed in) or cancelled. Decided tenders are the price memory the
next tender of the same issuer is priced against.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from openkam.accounts.access import AccountChildQuerySet
from openkam.core.models import TimeStampedModel, currency_field, money_field

HUNDRED = Decimal(100)


class Status(models.TextChoices):
    PREPARING = "preparing", _("preparing")
    SUBMITTED = "submitted", pgettext_lazy("tender", "submitted")
    WON = "won", pgettext_lazy("tender", "won")
    LOST = "lost", pgettext_lazy("tender", "lost")
    CANCELLED = "cancelled", pgettext_lazy("tender", "cancelled")


OPEN_STATUSES = (Status.PREPARING, Status.SUBMITTED)
DECIDED_STATUSES = (Status.WON, Status.LOST, Status.CANCELLED)
# An outcome without its reason says nothing to the next tender's pricing.
REASON_REQUIRED = (Status.LOST, Status.CANCELLED)


class OutcomeReason(models.TextChoices):
    PRICE = "price", _("price")
    QUALITY = "quality", _("quality")
    LEAD_TIME = "lead_time", _("lead time")
    SPECIFICATION = "specification", _("specification")
    RELATIONSHIP = "relationship", _("relationship")
    OTHER = "other", _("other")


class TenderQuerySet(AccountChildQuerySet["Tender"]):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def decided(self):
        return self.filter(status__in=DECIDED_STATUSES)


class Tender(TimeStampedModel):
    account = models.ForeignKey(
        "accounts.Account", verbose_name=_("issuer"), on_delete=models.PROTECT,
        related_name="tenders",
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=200)
    reference = models.CharField(_("reference number"), max_length=100, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    deadline = models.DateTimeField(_("submission deadline"))
    estimated_value = money_field(_("estimated value"), null=True, blank=True, default=None)
    currency = currency_field()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PREPARING
    )
    our_total = money_field(_("our total price"), null=True, blank=True, default=None)
    winning_total = money_field(_("winning price"), null=True, blank=True, default=None)
    # By name, not import: the competitor catalogue lives in a layer above (workspace).
    winner = models.ForeignKey(
        "workspace.Competitor", verbose_name=_("winner"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    winner_name = models.CharField(
        _("winner (not recorded at the account)"), max_length=200, blank=True
    )
    competitors = models.ManyToManyField(
        "workspace.Competitor", verbose_name=_("competitors taking part"), blank=True,
        related_name="+",
    )  # fmt: skip
    outcome_reason = models.CharField(
        _("outcome reason"), max_length=20, choices=OutcomeReason.choices, blank=True
    )
    outcome_note = models.TextField(_("about the outcome"), blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = TenderQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("tender")
        verbose_name_plural = _("tenders")
        indexes = [
            models.Index(fields=["account", "status"], name="tender_account_idx"),
            models.Index(fields=["status", "deadline"], name="tender_deadline_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def winner_label(self) -> str:
        """Who won: a competitor, the name typed in, or us."""
        if self.status == Status.WON:
            return str(_("we did"))
        return self.winner.name if self.winner else self.winner_name

    @property
    def price_gap(self) -> Decimal | None:
        return price_gap(self.our_total, self.winning_total)


def price_gap(ours: Decimal | None, winning: Decimal | None) -> Decimal | None:
    """Our price against the winning price, in percent (+5.0: we were 5% dearer)."""
    if ours is None or not winning:
        return None
    return ((ours - winning) * HUNDRED / winning).quantize(Decimal("0.1"))


class TenderLineQuerySet(AccountChildQuerySet["TenderLine"]):
    account_path = "tender__account"


class TenderLine(models.Model):
    """One product line asked for; prices in the tender's currency."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="lines")
    product_line = models.CharField(_("product line"), max_length=100)
    quantity = models.DecimalField(
        _("quantity"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    our_price = money_field(_("our price"), null=True, blank=True, default=None)
    winning_price = money_field(_("winning price"), null=True, blank=True, default=None)

    objects = TenderLineQuerySet.as_manager()

    class Meta:
        ordering = ["product_line", "pk"]
        verbose_name = _("product line of a tender")
        verbose_name_plural = _("product lines of tenders")
        constraints = [
            models.UniqueConstraint(fields=["tender", "product_line"], name="tender_line_uniq")
        ]

    def __str__(self) -> str:
        return self.product_line

    @property
    def price_gap(self) -> Decimal | None:
        return price_gap(self.our_price, self.winning_price)


class TenderDocumentQuerySet(AccountChildQuerySet["TenderDocument"]):
    account_path = "tender__account"

    def not_done(self):
        return self.filter(is_done=False)


class TenderDocument(models.Model):
    """A document the offer must carry: the tender is submitted only with all done."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="documents")
    name = models.CharField(_("document"), max_length=200)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("responsible"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    due_on = models.DateField(_("due on"), null=True, blank=True)
    is_done = models.BooleanField(_("done"), default=False)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("done by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    objects = TenderDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")

    def __str__(self) -> str:
        return self.name

    @property
    def account_id(self) -> int:
        """The issuer, for the audit log's account column."""
        return self.tender.account_id
