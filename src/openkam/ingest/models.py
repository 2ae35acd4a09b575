"""One row per import run: who ran what, on which file, and how it ended."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    class Kind(models.TextChoices):
        ACCOUNTS = "accounts", _("Accounts")
        CONTACTS = "contacts", _("Contacts")
        PRODUCTS = "products", _("Products")
        INVOICES = "invoices", _("Invoices (one row per line)")
        PAYMENTS = "payments", _("Payments")
        OPEN_ITEMS = "open_items", _("Open items (the ERP's receivables)")
        CONTRACTS = "contracts", _("Contracts")
        PRICE_LISTS = "price_lists", _("Price lists (one row per product and tier)")
        DISCOUNT_RULES = "discount_rules", _("Discount rules")
        ORDERS = "orders", _("Orders")
        OPPORTUNITIES = "opportunities", _("Opportunities")

    class Status(models.TextChoices):
        SUCCEEDED = "succeeded", _("imported")
        DRY_RUN = "dry_run", _("checked (dry run)")
        FAILED = "failed", _("rejected")

    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file_name = models.CharField(_("file"), max_length=255)
    source = models.CharField(_("source"), max_length=40)
    dry_run = models.BooleanField(_("dry run"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    rows = models.PositiveBigIntegerField(_("rows"), default=0)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("error list"), default=list, blank=True)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name} ({self.status})"


class ColumnMapping(models.Model):
    """An ERP's own headers for one kind of file from one source, mapped once and used
    by every later import of that source: the page, the command, the nightly job."""

    source = models.CharField(_("source"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=ImportBatch.Kind.choices)
    # {ERP header: our column, or "-" to ignore the column}
    mapping = models.JSONField(_("column mapping"), default=dict)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["source", "kind"]
        verbose_name = _("saved column mapping")
        verbose_name_plural = _("saved column mappings")
        constraints = [
            models.UniqueConstraint(fields=["source", "kind"], name="column_mapping_source_kind")
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.kind}"

    def clean(self) -> None:
        """A back-office edit may only name columns the kind has."""
        from openkam.ingest import columns as cols

        if not isinstance(self.mapping, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in self.mapping.items()
        ):
            raise ValidationError({"mapping": _("A JSON object of ERP header: our column.")})
        try:
            cols.check_mapping(self.kind, self.mapping)
        except ValueError as exc:
            raise ValidationError({"mapping": str(exc)}) from None


class SourceDefaults(models.Model):
    """What a source's files leave unsaid, set once per source system: the country and
    currency of a row without them, and how to read a date like 03/04/2026. Every import
    of that source applies them: the page, the command, the nightly job. An empty field
    keeps the built-in rule (docs/import.md)."""

    class DateOrder(models.TextChoices):
        UNSET = "", _("not set: 03/04/2026 is refused as ambiguous")
        DAY_FIRST = "dmy", _("day first: 03/04/2026 is 3 April")
        MONTH_FIRST = "mdy", _("month first: 03/04/2026 is 4 March")

    source = models.CharField(_("source"), max_length=40, unique=True)
    country = models.CharField(
        _("default country"),
        max_length=2,
        blank=True,
        help_text=_("Two letters, e.g. PL or RU; empty: PL (RU for a file with an INN or KPP)."),
    )
    currency = models.CharField(
        _("default currency"),
        max_length=3,
        blank=True,
        help_text=_("Three letters, e.g. PLN or RUB; empty: PLN."),
    )
    date_order = models.CharField(
        _("date order"), max_length=3, blank=True, choices=DateOrder.choices
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["source"]
        verbose_name = _("source defaults")
        verbose_name_plural = _("source defaults")

    def __str__(self) -> str:
        return self.source

    def clean(self) -> None:
        """Codes as the importers check them: upper case, two or three letters."""
        from openkam.ingest.defaults import BadDefault, check_codes

        try:
            self.country, self.currency = check_codes(self.country, self.currency)
        except BadDefault as exc:
            raise ValidationError({exc.field: str(exc)}) from None
