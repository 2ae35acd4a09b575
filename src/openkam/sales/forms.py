from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from openkam.core import bounds
from openkam.core.forms import ServiceErrorsMixin
from openkam.sales.models import OrderStatus


class OrderForm(ServiceErrorsMixin, forms.Form):
    number = forms.CharField(
        label=_("Number"), max_length=60, required=False,
        help_text=_("Leave empty to number it automatically."),
    )  # fmt: skip
    ordered_on = bounds.DateField(label=_("Ordered on"))
    amount = forms.DecimalField(
        label=_("Net amount"), min_value=Decimal("0.01"), max_digits=18, decimal_places=2
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_currency(self) -> str:
        return self.cleaned_data["currency"].upper()


class ChangeForm(ServiceErrorsMixin, forms.Form):
    amount = forms.DecimalField(
        label=_("Net amount"), min_value=Decimal("0.01"), max_digits=18, decimal_places=2
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Close as"),
        choices=[(OrderStatus.INVOICED, OrderStatus.INVOICED.label),
                 (OrderStatus.CANCELLED, OrderStatus.CANCELLED.label)],
    )  # fmt: skip


class ExceptionRequestForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why should it go ahead?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OrderFilter(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("all")), *OrderStatus.choices]
    )
