"""Credit: how much a customer may owe, what is known of its creditworthiness, and the
exceptions a head grants when an order goes beyond the rule.

Limits and checks are kept as history (a new row per change, never an update), so the
limit on any past day and who set it can be read back. What a customer owes is not stored
here: the assessment (`assessment.py`) reads it from receivables and open orders.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from openkam.accounts.access import AccountChildQuerySet
from openkam.core.models import currency_field, money_field


class LimitScope(models.TextChoices):
    ACCOUNT = "account", _("this customer")
    GROUP = "group", _("the whole group")


class CreditLimitQuerySet(AccountChildQuerySet["CreditLimit"]):
    pass


class CreditLimit(models.Model):
    """A limit set on a day. The one in force is the latest valid from on or before a day;
    a group limit is set on the group's head company and caps what all members owe."""

    account = models.ForeignKey(
        "accounts.Account", verbose_name=_("account"), on_delete=models.CASCADE,
        related_name="credit_limits",
    )  # fmt: skip
    scope = models.CharField(
        _("applies to"), max_length=10, choices=LimitScope.choices, default=LimitScope.ACCOUNT
    )
    currency = currency_field()
    amount = money_field(_("credit limit"))
    valid_from = models.DateField(_("valid from"))
    note = models.TextField(_("note"), blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("set by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    set_at = models.DateTimeField(_("set at"), auto_now_add=True)

    objects = CreditLimitQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from", "-id"]
        verbose_name = _("credit limit")
        verbose_name_plural = _("credit limits")
        indexes = [models.Index(fields=["account", "scope", "currency", "valid_from"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="credit_limit_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


class RiskClass(models.TextChoices):
    A = "A", _("A: low risk")
    B = "B", _("B: moderate risk")
    C = "C", _("C: high risk")
    D = "D", _("D: very high risk")


class CreditCheckQuerySet(AccountChildQuerySet["CreditCheck"]):
    pass


class CreditCheck(models.Model):
    """A look at the customer's creditworthiness: a bureau report, financial statements,
    a trade reference. The next check falls due by the risk class (`CreditPolicy`)."""

    account = models.ForeignKey(
        "accounts.Account", verbose_name=_("account"), on_delete=models.CASCADE,
        related_name="credit_checks",
    )  # fmt: skip
    checked_on = models.DateField(_("checked on"))
    source = models.CharField(
        _("source"), max_length=120,
        help_text=_("Where the information comes from, e.g. a credit bureau or the annual report."),
    )  # fmt: skip
    rating = models.CharField(_("rating"), max_length=40, blank=True)
    risk_class = models.CharField(_("risk class"), max_length=1, choices=RiskClass.choices)
    note = models.TextField(_("note"), blank=True)
    next_check_on = models.DateField(_("next check due"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = CreditCheckQuerySet.as_manager()

    class Meta:
        ordering = ["-checked_on", "-id"]
        verbose_name = _("credit check")
        verbose_name_plural = _("credit checks")

    def __str__(self) -> str:
        return f"{self.checked_on} {self.risk_class}"


class CreditPolicy(models.Model):
    """The company's credit rules: one row, edited in the back office."""

    review_months_a = models.PositiveSmallIntegerField(
        _("review class A every (months)"), default=12
    )
    review_months_b = models.PositiveSmallIntegerField(
        _("review class B every (months)"), default=6
    )
    review_months_c = models.PositiveSmallIntegerField(
        _("review class C every (months)"), default=3
    )
    review_months_d = models.PositiveSmallIntegerField(
        _("review class D every (months)"), default=1
    )
    slow_payer_cut = models.PositiveSmallIntegerField(
        _("cut for a slow payer (%)"), default=20,
        help_text=_("Taken off the room left under the limit when invoices are paid late on average."),
    )  # fmt: skip
    late_payer_cut = models.PositiveSmallIntegerField(
        _("cut for a habitual late payer (%)"), default=50,
        help_text=_("Taken off instead when the average delay exceeds the collection policy's norm."),
    )  # fmt: skip
    exception_days = models.PositiveSmallIntegerField(
        _("an approved exception lasts (days)"), default=14
    )

    class Meta:
        verbose_name = _("credit policy")
        verbose_name_plural = _("credit policy")

    def __str__(self) -> str:
        return str(_("credit policy"))

    @classmethod
    def current(cls) -> CreditPolicy:
        return cls.objects.order_by("pk").first() or cls()

    def review_months(self, risk_class: str) -> int:
        return int(getattr(self, f"review_months_{risk_class.lower()}"))


class ExceptionStatus(models.TextChoices):
    PENDING = "pending", _("awaiting approval")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


class CreditExceptionQuerySet(AccountChildQuerySet["CreditException"]):
    pass


class CreditException(models.Model):
    """Leave to go beyond the credit rule once: for one order of at most `amount`, asked
    by the account's KAM with the evidence of the day, decided by a head, and void after
    `expires_on` if not used by then."""

    account = models.ForeignKey(
        "accounts.Account", verbose_name=_("account"), on_delete=models.CASCADE,
        related_name="credit_exceptions",
    )  # fmt: skip
    currency = currency_field()
    amount = money_field(_("amount"))
    subject = models.CharField(_("for"), max_length=200)
    reason = models.TextField(_("why it should go ahead"))
    evidence = models.JSONField(_("evidence"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=ExceptionStatus.choices,
        default=ExceptionStatus.PENDING,
    )  # fmt: skip
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    objects = CreditExceptionQuerySet.as_manager()
    # The evidence is frozen at the request and shown on the exception's page, in the
    # reader's language; the history records who asked and decided, not the JSON.
    audit_exclude = ("evidence",)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("credit exception")
        verbose_name_plural = _("credit exceptions")

    def __str__(self) -> str:
        return self.subject

    def covers(self, amount, currency: str, on) -> bool:
        """Approved, not expired on the day, and large enough for this amount."""
        return (
            self.status == ExceptionStatus.APPROVED
            and self.currency == currency
            and amount <= self.amount
            and (self.expires_on is None or on <= self.expires_on)
        )
