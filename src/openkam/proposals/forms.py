"""Proposal forms. They only shape input; the services price and decide."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from openkam.core import bounds
from openkam.core.forms import ServiceErrorsMixin, searchable
from openkam.ledger.models import Product
from openkam.pricing.models import MAX_QUANTITY, QUANTITY_DIGITS, QUANTITY_PLACES
from openkam.proposals.models import Language, RejectReason, Status

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _quantity() -> forms.DecimalField:
    return forms.DecimalField(
        label=_("Quantity"), min_value=Decimal("0.001"), max_value=MAX_QUANTITY,
        max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES,
    )  # fmt: skip


def _discount() -> forms.DecimalField:
    return forms.DecimalField(
        label=_("Discount (%)"), min_value=0, max_value=100, max_digits=5, decimal_places=2,
        initial=0,
    )  # fmt: skip


class LineForm(ServiceErrorsMixin, forms.Form):
    product = searchable(
        forms.ModelChoiceField(
            queryset=Product.objects.filter(is_archived=False).order_by("sku"),
            label=_("Product"),
        )
    )
    quantity = _quantity()
    discount_pct = _discount()


class LineChangeForm(ServiceErrorsMixin, forms.Form):
    quantity = _quantity()
    discount_pct = _discount()


class HeaderForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    valid_until = bounds.DateField(label=_("Valid until"), widget=DATE)
    language = forms.ChoiceField(label=_("Customer's language"), choices=Language.choices)
    customer_note = forms.CharField(
        label=_("Note to the customer"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Printed on the proposal."),
    )  # fmt: skip
    internal_note = forms.CharField(
        label=_("Internal note"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Never printed or sent."),
    )  # fmt: skip


class DecisionForm(ServiceErrorsMixin, forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("reject", _("Reject"))], widget=forms.HiddenInput
    )
    note = forms.CharField(
        label=_("Reason"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when you reject."),
    )  # fmt: skip


class CustomerRejectForm(ServiceErrorsMixin, forms.Form):
    reason = forms.ChoiceField(label=_("Why the customer said no"), choices=RejectReason.choices)
    note = forms.CharField(
        label=_("About the answer"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ListFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any"))] + list(Status.choices)
    )
