from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from openkam.core import bounds
from openkam.core.forms import ServiceErrorsMixin
from openkam.credit.models import LimitScope, RiskClass


class LimitForm(ServiceErrorsMixin, forms.Form):
    amount = forms.DecimalField(
        label=_("Credit limit"), min_value=Decimal(0), max_digits=18, decimal_places=2
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3)
    scope = forms.ChoiceField(label=_("Applies to"), choices=LimitScope.choices)
    valid_from = bounds.DateField(label=_("Valid from"))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def clean_currency(self) -> str:
        return self.cleaned_data["currency"].upper()


class CheckForm(ServiceErrorsMixin, forms.Form):
    checked_on = bounds.DateField(label=_("Checked on"))
    source = forms.CharField(label=_("Source"), max_length=120)
    rating = forms.CharField(label=_("Rating"), max_length=40, required=False)
    risk_class = forms.ChoiceField(label=_("Risk class"), choices=RiskClass.choices)
    next_check_on = bounds.DateField(
        label=_("Next check due"), required=False,
        help_text=_("Leave empty to follow the review schedule of the risk class."),
    )  # fmt: skip
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea)


class DecisionForm(ServiceErrorsMixin, forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
