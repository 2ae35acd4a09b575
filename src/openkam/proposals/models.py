"""Proposals (commercial offers) made from an opportunity, and the rules that say who must
approve one before it goes to the customer.

A proposal is priced line by line by `openkam.pricing` (list price from the customer's
tier, volume bands, the discount rule's allowance); a line's discount and margin are kept
as they were when it was priced, so a sent offer never changes under the customer.
Versions are rows: revising a proposal makes the next version and supersedes the last.

Approval rules are modelled on Salesforce CPQ's advanced approvals: a rule looks at one
figure of the proposal (a line's discount above its rule, the largest discount, the
total, the margin, the customer's overdue debt or lateness, the price after rebates);
its steps are approvers in sequence (step 1, then 2) or in parallel (two steps with the
same number), each step only above an amount if so set; a pending request escalates after
N days. A decision is remembered with the figure it was made on: after a change the
proposal asks again only for the rules whose figure changed (docs/proposals.md).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from openkam.accounts.access import AccountChildQuerySet
from openkam.core.models import TimeStampedModel, currency_field, money_field

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]
QUANTITY_DIGITS, QUANTITY_PLACES = 15, 3


class Status(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("proposal", "draft")
    AWAITING = "awaiting", _("awaiting approval")
    APPROVED = "approved", pgettext_lazy("proposal", "approved")
    SENT = "sent", pgettext_lazy("proposal", "sent")
    ACCEPTED = "accepted", pgettext_lazy("proposal", "accepted")
    REJECTED = "rejected", pgettext_lazy("proposal", "rejected by the customer")
    SUPERSEDED = "superseded", _("superseded by a new version")
    WITHDRAWN = "withdrawn", _("withdrawn: another proposal won the deal")


EDITABLE = frozenset({Status.DRAFT, Status.AWAITING, Status.APPROVED})
# Still in play: being written, approved, or with the customer.
OPEN = EDITABLE | {Status.SENT}


class RejectReason(models.TextChoices):
    PRICE = "price", _("price")
    COMPETITOR = "competitor", _("chose a competitor")
    TERMS = "terms", _("payment or delivery terms")
    NO_BUDGET = "no_budget", _("no budget")
    NO_NEED = "no_need", _("no longer needed")
    OTHER = "other", _("other")


class Language(models.TextChoices):
    EN = "en", "English"
    PL = "pl", "Polski"
    RU = "ru", "Русский"


class ProposalQuerySet(AccountChildQuerySet["Proposal"]):
    pass


class Proposal(TimeStampedModel):
    account = models.ForeignKey(
        "accounts.Account", verbose_name=_("account"), on_delete=models.PROTECT,
        related_name="proposals",
    )  # fmt: skip
    opportunity = models.ForeignKey(
        "opportunities.Opportunity", verbose_name=_("opportunity"), on_delete=models.PROTECT,
        related_name="proposals",
    )  # fmt: skip
    number = models.CharField(_("number"), max_length=30)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=200)
    currency = currency_field()
    language = models.CharField(
        _("customer's language"), max_length=5, choices=Language.choices, default=Language.PL,
        help_text=_("The PDF is printed in this language."),
    )  # fmt: skip
    priced_on = models.DateField(_("priced on"))
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    customer_note = models.TextField(
        _("note to the customer"), blank=True, help_text=_("Printed on the proposal.")
    )
    internal_note = models.TextField(
        _("internal note"), blank=True, help_text=_("Never printed or sent.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("prepared by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    submitted_at = models.DateTimeField(_("submitted for approval"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    decided_on = models.DateField(_("customer decided on"), null=True, blank=True)
    reject_reason = models.CharField(
        _("why the customer said no"), max_length=20, choices=RejectReason.choices, blank=True
    )
    reject_note = models.TextField(_("about the customer's answer"), blank=True)
    total_before_discount = money_field(_("total before discount"))
    total = money_field(_("net total"))
    cost = money_field(_("cost"), null=True, blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.UniqueConstraint(fields=["number", "version"], name="proposal_version_uniq")
        ]
        indexes = [models.Index(fields=["account", "status"], name="proposal_account_idx")]

    def __str__(self) -> str:
        return f"{self.number}/{self.version}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def margin(self) -> Decimal | None:
        return None if self.cost is None else self.total - self.cost

    @property
    def margin_pct(self) -> Decimal | None:
        if self.cost is None or not self.total:
            return None
        return ((self.total - self.cost) * 100 / self.total).quantize(Decimal("0.01"))


class LineQuerySet(AccountChildQuerySet["ProposalLine"]):
    account_path = "proposal__account"


class ProposalLine(models.Model):
    """A product, its quantity and discount; the rest is the quote at pricing time."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    product = models.ForeignKey(
        "ledger.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(
        _("quantity"), max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES
    )
    discount_pct = models.DecimalField(
        _("discount (%)"), max_digits=5, decimal_places=2, default=0, validators=PERCENT
    )
    tier = models.CharField(_("price tier"), max_length=100, blank=True)
    list_unit_price = models.DecimalField(_("list price"), max_digits=18, decimal_places=4)
    total_before_discount = money_field(_("before discount"))
    net_total = money_field(_("net total"))
    net_unit_price = money_field(_("net unit price"))
    allowed_discount_pct = models.DecimalField(
        _("discount allowed without approval (%)"), max_digits=5, decimal_places=2, default=0
    )
    discount_rule = models.CharField(_("discount rule"), max_length=100, blank=True)
    unit_cost = models.DecimalField(
        _("unit cost"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    rebate_pct = models.DecimalField(
        _("expected rebate (%)"), max_digits=5, decimal_places=2, default=0, validators=PERCENT
    )

    objects = LineQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("proposal line")
        verbose_name_plural = _("proposal lines")

    def __str__(self) -> str:
        return f"{self.product} x {self.quantity}"

    @property
    def cost(self) -> Decimal | None:
        if self.unit_cost is None:
            return None
        return (self.unit_cost * self.quantity).quantize(Decimal("0.01"))

    @property
    def margin_pct(self) -> Decimal | None:
        cost = self.cost
        if cost is None or not self.net_total:
            return None
        return ((self.net_total - cost) * 100 / self.net_total).quantize(Decimal("0.01"))

    @property
    def over_allowance(self) -> Decimal:
        """Percentage points of discount above what the rule allows (0 when within)."""
        return max(self.discount_pct - self.allowed_discount_pct, Decimal(0))


class Metric(models.TextChoices):
    """What an approval rule looks at; the comparison is the metric's own (a margin rule
    triggers below its threshold, every other one above), so a rule cannot be set up to
    reward a worse deal."""

    OVER_ALLOWANCE = "over_allowance", _("a line's discount above its discount rule (points)")
    MAX_DISCOUNT = "max_discount", _("the largest line discount (%)")
    TOTAL = "total", _("the proposal's net total")
    MARGIN = "margin", _("the proposal's margin (%), below")
    LINE_MARGIN = "line_margin", _("the smallest line margin (%), below")
    OVERDUE = "overdue", _("the customer's overdue debt")
    DAYS_LATE = "days_late", _("the customer's average days late")
    NET_AFTER_REBATES = "after_rebates", _("the largest discount counting expected rebates (%)")


BELOW_METRICS = frozenset({Metric.MARGIN, Metric.LINE_MARGIN})
MONEY_METRICS = frozenset({Metric.TOTAL, Metric.OVERDUE})


class ApproverRole(models.TextChoices):
    HEAD = "head", _("Head of key accounts")
    ADMIN = "admin", _("Administrator")
    FINANCE = "finance", _("Finance")


# The rule the product ships with (migration 0002_default_rule) reads in the reader's
# language while it keeps its name; a rule the company names itself reads as named.
SHIPPED_RULE_NAMES = {"Discount above the discount rule": _("Discount above the discount rule")}


class ApprovalRule(TimeStampedModel):
    name = models.CharField(_("name"), max_length=100, unique=True)
    metric = models.CharField(_("looks at"), max_length=20, choices=Metric.choices)
    threshold = models.DecimalField(
        _("threshold"), max_digits=18, decimal_places=2, default=0,
        help_text=_("Approval is needed above it (below it for margins)."),
    )  # fmt: skip
    currency = models.CharField(
        _("currency"), max_length=3, blank=True,
        help_text=_("For amounts: the rule applies to proposals in this currency only."),
    )  # fmt: skip
    escalate_after_days = models.PositiveSmallIntegerField(
        _("escalate after (days)"), null=True, blank=True,
        help_text=_("A request still pending after this many days goes also to the role below."),
    )  # fmt: skip
    escalate_to = models.CharField(
        _("escalate to"), max_length=10, choices=ApproverRole.choices, blank=True
    )
    is_active = models.BooleanField(_("in use"), default=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("approval rule")
        verbose_name_plural = _("approval rules")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return str(SHIPPED_RULE_NAMES.get(self.name, self.name))


class ApprovalStep(models.Model):
    """One approver of a rule. Steps run by `sequence`; steps with the same number are
    asked together (all must approve). A step with a minimum total joins only above it."""

    rule = models.ForeignKey(ApprovalRule, on_delete=models.CASCADE, related_name="steps")
    sequence = models.PositiveSmallIntegerField(_("step"), default=1)
    role = models.CharField(_("approver role"), max_length=10, choices=ApproverRole.choices,
                            blank=True)  # fmt: skip
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approver"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    min_total = models.DecimalField(
        _("only from a total of"), max_digits=18, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["rule", "sequence", "pk"]
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="") | models.Q(user__isnull=False),
                name="approval_step_has_approver",
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule} #{self.sequence}"


class RequestStatus(models.TextChoices):
    WAITING = "waiting", _("waiting for an earlier step")
    PENDING = "pending", _("pending")
    APPROVED = "approved", pgettext_lazy("approval", "approved")
    REJECTED = "rejected", pgettext_lazy("approval", "rejected")
    CANCELLED = "cancelled", _("no longer needed")


class RequestQuerySet(AccountChildQuerySet["ApprovalRequest"]):
    account_path = "proposal__account"


class ApprovalRequest(models.Model):
    """One approver's part in one rule's chain for one proposal, with the figure the rule
    saw: a later change re-asks only when that figure changes."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="approvals")
    rule = models.ForeignKey(ApprovalRule, on_delete=models.PROTECT, related_name="+")
    step = models.ForeignKey(ApprovalStep, on_delete=models.PROTECT, related_name="+")
    sequence = models.PositiveSmallIntegerField(_("step"))
    observed = models.DecimalField(
        _("figure seen"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.WAITING
    )
    requested_at = models.DateTimeField(_("asked"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    note = models.TextField(_("reason"), blank=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        ordering = ["sequence", "pk"]
        verbose_name = _("approval request")
        verbose_name_plural = _("approval requests")
        indexes = [models.Index(fields=["status", "requested_at"], name="approval_status_idx")]

    def __str__(self) -> str:
        return f"{self.proposal} · {self.rule}"
