"""Orders: what a customer has asked for and the company has not yet invoiced.

An order counts towards the customer's credit exposure while it is open. It goes on only
through `services.order_place`, which asks credit for a verdict; every way an order comes
into being or back to life (typed in, the API, a copy of an old one, an ERP import,
reopening a closed one) goes through it, so the credit hold holds on every path.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from openkam.accounts.access import AccountChildQuerySet
from openkam.core.models import SourcedModel, currency_field, money_field


class OrderStatus(models.TextChoices):
    HELD = "held", _("held for credit")
    OPEN = "open", _("open")
    INVOICED = "invoiced", _("invoiced")
    CANCELLED = "cancelled", _("cancelled")


CLOSED_STATUSES = (OrderStatus.INVOICED, OrderStatus.CANCELLED)


class OrderQuerySet(AccountChildQuerySet["Order"]):
    pass


class Order(SourcedModel):
    account = models.ForeignKey(
        "accounts.Account", verbose_name=_("account"), on_delete=models.CASCADE,
        related_name="orders",
    )  # fmt: skip
    number = models.CharField(_("number"), max_length=60)
    ordered_on = models.DateField(_("ordered on"))
    currency = currency_field()
    amount = money_field(_("net amount"))
    status = models.CharField(
        _("status"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.HELD
    )
    note = models.TextField(_("note"), blank=True)
    hold_reasons = models.TextField(_("why it is held"), blank=True)
    credit_exception = models.ForeignKey(
        "credit.CreditException", verbose_name=_("credit exception"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="orders",
    )  # fmt: skip
    copied_from = models.ForeignKey(
        "self", verbose_name=_("copied from"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="copies",
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["-ordered_on", "-id"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        constraints = [
            SourcedModel.source_identity_constraint("order_source_identity"),
            models.UniqueConstraint(fields=["account", "number"], name="order_number_per_account"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="order_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES
