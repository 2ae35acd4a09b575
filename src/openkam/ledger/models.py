"""The money side: products, invoices with lines (returns as negative lines), payments."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from openkam.accounts.access import AccountChildQuerySet
from openkam.core.models import SourcedModel, currency_field, money_field


class Product(SourcedModel):
    sku = models.CharField(_("SKU"), max_length=64)
    name = models.CharField(_("name"), max_length=250)
    product_line = models.CharField(_("product line"), max_length=100, blank=True, db_index=True)
    unit = models.CharField(_("unit"), max_length=20, default="pcs")
    is_archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        ordering = ["sku"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            SourcedModel.source_identity_constraint("product_source_external_id_uniq"),
            models.UniqueConstraint(fields=["source", "sku"], name="product_source_sku_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"


class Invoice(SourcedModel):
    """An invoice header; `external_id` is the ERP's invoice number."""

    number = models.CharField(_("number"), max_length=64)
    # No single-column index: (account, issued_on) serves lookups by account too.
    account = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="invoices",
        db_index=False,
    )
    issued_on = models.DateField(_("date"))
    due_on = models.DateField(pgettext_lazy("invoice", "due date"), null=True, blank=True)
    currency = currency_field()
    # Sum of the lines, kept by the importer and services so lists need no aggregation.
    net_total = money_field(_("net total"))
    cost_total = money_field(_("cost total"))
    # What the customer owes (with VAT), when the ERP export gives it; receivables fall
    # back to the net total without it (`amount_due`).
    gross_total = models.DecimalField(
        _("gross total"), max_digits=18, decimal_places=2, null=True, blank=True
    )

    objects = AccountChildQuerySet.as_manager()

    # Not columns: the lines the user may see, for the API (ledger/api.py); how many days
    # an overdue invoice is late, for the account brief (workspace/brief.py).
    visible_lines: list[InvoiceLine]
    days_overdue: int

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            SourcedModel.source_identity_constraint("invoice_source_external_id_uniq"),
        ]
        indexes = [models.Index(fields=["account", "issued_on"], name="invoice_account_date_idx")]

    def __str__(self) -> str:
        return self.number

    @property
    def amount_due(self):
        return self.net_total if self.gross_total is None else self.gross_total


class InvoiceLine(models.Model):
    """One line. Account, date and currency are copied from the header so that
    revenue per account and month is one scan of this table, without a join."""

    # No single-column indexes on invoice and account: the unique (invoice, line_no) and
    # the (account, issued_on) index serve those lookups, and every index slows imports.
    invoice = models.ForeignKey(
        Invoice, on_delete=models.CASCADE, related_name="lines", db_index=False
    )
    line_no = models.PositiveIntegerField(_("line"))
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    issued_on = models.DateField(_("date"))
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="invoice_lines")
    quantity = models.DecimalField(_("quantity"), max_digits=18, decimal_places=3)
    net_amount = money_field(_("net amount"))
    cost_amount = money_field(_("cost"))
    currency = currency_field()
    return_reason = models.CharField(_("return reason"), max_length=200, blank=True)

    objects = AccountChildQuerySet.as_manager()

    class Meta:
        ordering = ["invoice", "line_no"]
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        constraints = [
            models.UniqueConstraint(fields=["invoice", "line_no"], name="invoice_line_no_uniq"),
        ]
        indexes = [models.Index(fields=["account", "issued_on"], name="line_account_date_idx")]

    def __str__(self) -> str:
        return f"{self.invoice_id}/{self.line_no}"

    @property
    def margin(self):
        return self.net_amount - self.cost_amount


class Payment(SourcedModel):
    # No single-column index: (account, paid_on) serves lookups by account too.
    account = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="payments",
        db_index=False,
    )
    paid_on = models.DateField(_("date"))
    amount = money_field(_("amount"))
    currency = currency_field()
    invoice = models.ForeignKey(
        Invoice,
        verbose_name=_("invoice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="payments",
    )
    # The ERP's reference as given, kept even when no such invoice is stored yet.
    invoice_number = models.CharField(_("invoice reference"), max_length=64, blank=True)

    objects = AccountChildQuerySet.as_manager()

    class Meta:
        ordering = ["-paid_on", "-id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [SourcedModel.source_identity_constraint("payment_source_external_id_uniq")]
        indexes = [models.Index(fields=["account", "paid_on"], name="payment_account_date_idx")]

    def __str__(self) -> str:
        return f"{self.paid_on} {self.amount} {self.currency}"
