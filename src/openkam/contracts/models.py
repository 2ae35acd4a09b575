"""Contracts with a customer: what was signed, for how long, on which terms, and the files.

A contract belongs to one account (a legal entity). Its dates say when it runs, when it
renews by itself and by when notice must be given (`contracts.dates`); its commercial
terms (payment terms, price tier, discount, a volume commitment) are what finance and the
KAM hold the customer to; the volume commitment is measured against the ledger
(`contracts.progress`). Files (the signed PDF, annexes) hang off the contract and live
under MEDIA_ROOT; they are downloaded only through the contract's visibility.

See docs/contracts.md for what each field means to its readers.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from openkam.accounts.access import AccountChildQuerySet
from openkam.core import bounds
from openkam.core.models import MONEY_DIGITS, MONEY_PLACES, SourcedModel, TimeStampedModel

if TYPE_CHECKING:
    from openkam.contracts.dates import Alert, Deadline
    from openkam.contracts.progress import CommitmentProgress


class ContractKind(models.TextChoices):
    FRAMEWORK = "framework", _("framework agreement")
    SUPPLY = "supply", _("supply contract")
    SERVICE = "service", _("service contract")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    ACTIVE = "active", _("active")
    ENDED = "ended", _("ended")
    TERMINATED = "terminated", _("terminated")


class NoticeUnit(models.TextChoices):
    DAYS = "days", _("days")
    MONTHS = "months", _("months")


class CommitmentPeriod(models.TextChoices):
    """What a volume commitment is measured over."""

    CONTRACT_YEAR = "year", _("each contract year")
    TERM = "term", _("the whole term")


MAX_RENEWAL_MONTHS = 120
MAX_NOTICE_DAYS = 730
MAX_NOTICE_MONTHS = 24
MAX_PAYMENT_DAYS = 365

currency_code = RegexValidator(
    r"^[A-Z]{3}$", _("Enter a three-letter currency code, e.g. PLN."), code="currency"
)


class Contract(SourcedModel):
    account = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    number = models.CharField(_("contract number"), max_length=64)
    kind = models.CharField(_("type"), max_length=10, choices=ContractKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ContractStatus.choices, default=ContractStatus.DRAFT
    )
    starts_on = models.DateField(_("start date"), validators=[bounds.validate_date])
    ends_on = models.DateField(
        _("end date"),
        null=True,
        blank=True,
        validators=[bounds.validate_date],
        help_text=_("Left empty: the contract runs until notice is given (open-ended)."),
    )
    auto_renews = models.BooleanField(_("renews automatically"), default=False)
    renewal_months = models.PositiveSmallIntegerField(
        _("renewal term (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_RENEWAL_MONTHS)],
        help_text=_("How long each renewal runs, for a contract that renews automatically."),
    )
    notice_period = models.PositiveSmallIntegerField(
        _("notice period"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_NOTICE_DAYS)],
        help_text=_("The notice date is the end date minus this period."),
    )
    notice_unit = models.CharField(
        _("notice period in"), max_length=6, choices=NoticeUnit.choices, default=NoticeUnit.MONTHS
    )
    payment_terms_days = models.PositiveSmallIntegerField(
        _("payment terms (days)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_PAYMENT_DAYS)],
    )
    price_tier = models.CharField(_("price tier"), max_length=100, blank=True)
    discount_pct = models.DecimalField(
        _("agreed discount (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    commitment_amount = models.DecimalField(
        _("volume commitment"),
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Net invoiced value the customer commits to buy."),
    )
    commitment_currency = models.CharField(
        _("commitment currency"), max_length=3, blank=True, validators=[currency_code]
    )
    commitment_period = models.CharField(
        _("commitment over"),
        max_length=4,
        choices=CommitmentPeriod.choices,
        default=CommitmentPeriod.CONTRACT_YEAR,
    )
    covers_group = models.BooleanField(
        _("covers the customer group"),
        default=False,
        help_text=_(
            "For a contract with the top of a group: invoices to its subsidiaries count "
            "towards the commitment too."
        ),
    )
    notes = models.TextField(_("internal notes"), blank=True)

    objects = AccountChildQuerySet.as_manager()

    # Not columns: set on listed contracts by `selectors.with_schedule` (and the progress
    # by `selectors.with_progress`) for the pages and the API.
    deadline: Deadline | None
    alert: Alert | None
    term_end: date | None
    notice_on: date | None
    progress: CommitmentProgress | None
    file_rows: list[ContractFile]  # for the API's detail

    class Meta:
        ordering = ["account__name", "-starts_on", "number"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            SourcedModel.source_identity_constraint("contract_source_external_id_uniq"),
            models.UniqueConstraint(fields=["account", "number"], name="contract_account_number"),
        ]
        indexes = [models.Index(fields=["status", "ends_on"], name="contract_status_end_idx")]

    def __str__(self) -> str:
        return self.number

    @property
    def has_commitment(self) -> bool:
        return self.commitment_amount is not None and bool(self.commitment_currency)


class ContractFileQuerySet(AccountChildQuerySet["ContractFile"]):
    account_path = "contract__account"


def _upload_to(instance: ContractFile, filename: str) -> str:
    """contracts/<account>/<contract>/<the file's own name, cut to what a name may hold>;
    the storage adds a suffix when the name is taken."""
    contract = instance.contract
    return f"contracts/{contract.account_id}/{contract.pk}/" + bounds.stored_file_name(filename)


class ContractFile(TimeStampedModel):
    """A document of a contract: the signed copy, an annex, a price list."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="files"
    )
    file = models.FileField(_("file"), upload_to=_upload_to, max_length=500)
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ContractFileQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("contract file")
        verbose_name_plural = _("contract files")

    def __str__(self) -> str:
        return self.name
