"""Receivables: what customers owe, how payments settle it, and how it is chased.

Open items are derived from the ledger (`engine.py`); the tables here hold what people
decide on top of it (a payment split by hand, a promise, a dispute, a chasing step) and
the stored result of the last computation (`OpenItem`, `ReceivablesSummary`), which the
lists read so that they do not run the allocation on every page.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from openkam.accounts.access import AccountChildQuerySet
from openkam.core.models import currency_field, money_field


class AllocationQuerySet(AccountChildQuerySet["Allocation"]):
    account_path = "payment__account"
    extra_account_paths = ("invoice__account",)


class Allocation(models.Model):
    """A person's share of a payment settling one invoice. A payment with allocations is
    settled by them alone: its own invoice reference no longer applies, and what the
    shares leave over goes to the oldest invoices like any payment naming none."""

    payment = models.ForeignKey(
        "ledger.Payment", verbose_name=_("payment"), on_delete=models.CASCADE,
        related_name="allocations",
    )  # fmt: skip
    invoice = models.ForeignKey(
        "ledger.Invoice", verbose_name=_("invoice"), on_delete=models.CASCADE,
        related_name="allocations",
    )  # fmt: skip
    amount = money_field(_("amount"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = AllocationQuerySet.as_manager()

    class Meta:
        ordering = ["payment", "invoice"]
        verbose_name = _("payment allocation")
        verbose_name_plural = _("payment allocations")
        constraints = [
            models.UniqueConstraint(fields=["payment", "invoice"], name="allocation_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.payment_id} -> {self.invoice_id}: {self.amount}"


class OpenItem(models.Model):
    """An invoice with something left to pay (or a credit left to use: `invoice` empty)
    as of `as_of`, stored by the last refresh."""

    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    invoice = models.ForeignKey(
        "ledger.Invoice", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    currency = currency_field()
    due_on = models.DateField(pgettext_lazy("invoice", "due date"), null=True, blank=True)
    amount = money_field(_("open amount"))
    as_of = models.DateField(_("as of"))
    # The ERP's document number of an item from a ledger snapshot no invoice matches.
    document = models.CharField(_("document"), max_length=64, blank=True, default="")

    objects = AccountChildQuerySet.as_manager()

    class Meta:
        ordering = ["account", "currency", "due_on", "invoice"]
        verbose_name = _("open item")
        verbose_name_plural = _("open items")
        indexes = [models.Index(fields=["account", "currency"], name="openitem_account_idx")]

    def __str__(self) -> str:
        return f"{self.invoice_id or '-'} {self.amount} {self.currency}"


class LedgerSnapshot(models.Model):
    """The open items an ERP that keeps the ledger reported as of a day, for one source.

    From its day on, the receivables of the source's customers, and of every customer it
    names, are the latest snapshot's items rather than computed from the invoices and
    payments imported (`snapshots.py`)."""

    source = models.CharField(_("source"), max_length=40)
    as_of = models.DateField(_("as of"))
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    item_count = models.PositiveIntegerField(_("open items"), default=0)

    class Meta:
        ordering = ["source", "-as_of"]
        verbose_name = _("ERP ledger snapshot")
        verbose_name_plural = _("ERP ledger snapshots")
        constraints = [
            models.UniqueConstraint(fields=["source", "as_of"], name="ledger_snapshot_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.as_of}"


class SnapshotItem(models.Model):
    """One open document of a ledger snapshot: positive is owed (an invoice, a debit
    note), negative is the customer's credit (a credit note, an overpayment)."""

    snapshot = models.ForeignKey(
        LedgerSnapshot, verbose_name=_("snapshot"), on_delete=models.CASCADE,
        related_name="items",
    )  # fmt: skip
    account = models.ForeignKey(
        "accounts.Account", verbose_name=_("account"), on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    document = models.CharField(_("document"), max_length=64)
    # The imported invoice of the same number and customer, when there is one.
    invoice = models.ForeignKey(
        "ledger.Invoice", verbose_name=_("invoice"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    issued_on = models.DateField(_("date"), null=True, blank=True)
    due_on = models.DateField(pgettext_lazy("invoice", "due date"), null=True, blank=True)
    currency = currency_field()
    amount = money_field(_("open amount"))

    objects = AccountChildQuerySet.as_manager()

    class Meta:
        ordering = ["snapshot", "account", "due_on", "pk"]
        verbose_name = _("snapshot item")
        verbose_name_plural = _("snapshot items")
        indexes = [
            models.Index(fields=["snapshot", "account"], name="snapshot_item_account_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.document} {self.amount} {self.currency}"


class ReceivablesSummary(models.Model):
    """One account's receivables in one currency as of `as_of`: the aging buckets,
    the unapplied credit and the figures of collection (stored by the last refresh)."""

    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="receivables"
    )
    currency = currency_field()
    as_of = models.DateField(_("as of"))
    balance = money_field(_("balance"))
    not_due = money_field(_("not due"))
    days_1_30 = money_field(_("1-30 days"))
    days_31_60 = money_field(_("31-60 days"))
    days_61_90 = money_field(_("61-90 days"))
    days_over_90 = money_field(_("over 90 days"))
    unapplied = money_field(_("unapplied credit"))
    overdue = money_field(_("overdue"))
    oldest_due_on = models.DateField(_("oldest due date"), null=True, blank=True)
    dso_days = models.DecimalField(
        _("days sales outstanding"), max_digits=8, decimal_places=1, null=True, blank=True
    )

    objects = AccountChildQuerySet.as_manager()

    class Meta:
        ordering = ["account", "currency"]
        verbose_name = _("receivables summary")
        verbose_name_plural = _("receivables summaries")
        constraints = [
            models.UniqueConstraint(fields=["account", "currency"], name="receivables_uniq"),
        ]
        indexes = [models.Index(fields=["-overdue"], name="receivables_overdue_idx")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.currency} {self.balance}"


class CollectionPolicy(models.Model):
    """The company's rules of collection: one row, edited in the back office."""

    dso_norm_days = models.PositiveIntegerField(
        _("DSO norm (days)"), default=60,
        help_text=_("An account whose days sales outstanding exceed this is flagged."),
    )  # fmt: skip
    overdue_share_norm = models.DecimalField(
        _("overdue share norm (%)"), max_digits=5, decimal_places=1, default=Decimal("20.0"),
        help_text=_("An account with a larger share of its balance overdue is flagged."),
    )  # fmt: skip
    late_payer_days = models.PositiveIntegerField(
        _("habitual late payer (average days late)"), default=15,
        help_text=_("Invoices paid in the last 12 months were late this many days on average."),
    )  # fmt: skip
    hold_days_overdue = models.PositiveIntegerField(
        _("hold orders when debt is overdue more than (days)"), default=30
    )

    class Meta:
        verbose_name = _("collection policy")
        verbose_name_plural = _("collection policy")

    def __str__(self) -> str:
        return str(_("collection policy"))

    @classmethod
    def current(cls) -> CollectionPolicy:
        return cls.objects.order_by("pk").first() or cls()


class DunningAction(models.TextChoices):
    REMINDER = "reminder", _("friendly reminder")
    CALL = "call", _("phone call")
    LETTER = "letter", _("payment demand letter")
    FINAL = "final", _("final notice")
    STOP = "stop", _("stop deliveries")
    LEGAL = "legal", _("hand over to debt collection")


class StepOwner(models.TextChoices):
    KAM = "kam", _("the account's KAM")
    FINANCE = "finance", _("finance")
    HEAD = "head", _("head of key accounts")


class DunningLevel(models.Model):
    """A step of chasing that applies from `days` after the due date (negative: before it,
    a courtesy reminder)."""

    # Blank: the action's name in the reader's language.
    name = models.CharField(_("name"), max_length=100, blank=True)
    days = models.IntegerField(
        _("days after the due date"),
        help_text=_("Negative: the number of days before the due date (a reminder)."),
    )
    action = models.CharField(_("action"), max_length=20, choices=DunningAction.choices)
    owner = models.CharField(_("who acts"), max_length=20, choices=StepOwner.choices)
    repeat_days = models.PositiveIntegerField(
        _("next step after (days)"), default=7,
        help_text=_("When the next step is due if the customer has not paid."),
    )  # fmt: skip

    class Meta:
        ordering = ["days"]
        verbose_name = _("dunning level")
        verbose_name_plural = _("dunning levels")
        constraints = [models.UniqueConstraint(fields=["days"], name="dunning_level_days_uniq")]

    def __str__(self) -> str:
        return self.name or str(self.get_action_display())


class PromiseQuerySet(AccountChildQuerySet["PromiseToPay"]):
    pass


class PromiseToPay(models.Model):
    """A customer's word to pay an amount by a day. It pauses chasing until that day; it is
    kept when payments of that currency made from the day it was given reach the amount
    by the promised day, and broken the day after if they do not."""

    account = models.ForeignKey(
        "accounts.Account", verbose_name=_("account"), on_delete=models.CASCADE,
        related_name="payment_promises",
    )  # fmt: skip
    currency = currency_field()
    amount = money_field(_("amount"))
    promised_on = models.DateField(_("promised payment date"))
    given_on = models.DateField(_("given on"))
    contact = models.ForeignKey(
        "stakeholders.Contact", verbose_name=_("who promised"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    cancelled_on = models.DateField(_("withdrawn on"), null=True, blank=True)

    objects = PromiseQuerySet.as_manager()

    class Meta:
        ordering = ["-promised_on", "-id"]
        verbose_name = _("promise to pay")
        verbose_name_plural = _("promises to pay")

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} {self.promised_on}"


class DisputeReason(models.TextChoices):
    PRICE = "price", _("price or discount")
    QUANTITY = "quantity", _("quantity")
    QUALITY = "quality", _("quality or damage")
    DELIVERY = "delivery", _("not delivered or late")
    DOCUMENT = "document", _("document error")
    OTHER = "other", _("other")


class DisputeQuerySet(AccountChildQuerySet["Dispute"]):
    account_path = "invoice__account"


class Dispute(models.Model):
    """An invoice the customer contests: it stays in the aging but is not chased while the
    dispute is open."""

    invoice = models.ForeignKey(
        "ledger.Invoice", verbose_name=_("invoice"), on_delete=models.CASCADE,
        related_name="disputes",
    )  # fmt: skip
    reason = models.CharField(_("reason"), max_length=20, choices=DisputeReason.choices)
    note = models.TextField(_("note"), blank=True)
    opened_on = models.DateField(_("opened on"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)

    objects = DisputeQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")

    def __str__(self) -> str:
        # No translated words: the history stores this text (see core/audit.py).
        return f"{self.invoice_id}: {self.opened_on}"


class CollectionStep(models.Model):
    """Something done to collect: a reminder sent, a call, a letter, an escalation."""

    account = models.ForeignKey(
        "accounts.Account", verbose_name=_("account"), on_delete=models.CASCADE,
        related_name="collection_steps",
    )  # fmt: skip
    currency = currency_field()
    level = models.ForeignKey(
        DunningLevel, verbose_name=_("dunning level"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    action = models.CharField(_("action"), max_length=20, choices=DunningAction.choices)
    done_on = models.DateField(_("date"))
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    contact = models.ForeignKey(
        "stakeholders.Contact", verbose_name=_("contact"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    note = models.TextField(_("note"), blank=True)
    next_on = models.DateField(_("next step on"), null=True, blank=True)

    objects = AccountChildQuerySet.as_manager()

    class Meta:
        ordering = ["-done_on", "-id"]
        verbose_name = _("collection step")
        verbose_name_plural = _("collection steps")
        indexes = [models.Index(fields=["account", "done_on"], name="collection_step_idx")]

    def __str__(self) -> str:
        # No translated words: the history stores this text (see core/audit.py).
        return f"{self.done_on} {self.currency}"
