"""Page forms of receivables. They only shape input; the services validate and write."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from openkam.core import bounds
from openkam.core.forms import ServiceErrorsMixin
from openkam.receivables.models import DisputeReason, DunningAction, DunningLevel
from openkam.stakeholders.models import Contact

MONEY: dict[str, Any] = {"max_digits": 18, "decimal_places": 2}


def _currency_field(currencies: list[str]) -> forms.ChoiceField:
    return forms.ChoiceField(label=_("Currency"), choices=[(c, c) for c in currencies])


class AsOfForm(forms.Form):
    """The day the account's receivables are shown as of, and whether for the group."""

    as_of = bounds.DateField(label=_("As of"), required=False)
    group = forms.BooleanField(label=_("Whole group"), required=False)


class PromiseForm(ServiceErrorsMixin, forms.Form):
    amount = forms.DecimalField(label=_("Amount"), min_value=Decimal("0.01"), **MONEY)
    promised_on = bounds.DateField(label=_("Will pay by"))
    contact = forms.ModelChoiceField(
        label=_("Who promised"), queryset=Contact.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args, currencies: list[str], contacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"] = _currency_field(currencies)
        cast(forms.ModelChoiceField, self.fields["contact"]).queryset = contacts
        self.order_fields(["amount", "currency", "promised_on", "contact", "note"])


class StepForm(ServiceErrorsMixin, forms.Form):
    action = forms.ChoiceField(label=_("What was done"), choices=DunningAction.choices)
    done_on = bounds.DateField(label=_("Date"))
    level = forms.ModelChoiceField(
        label=_("Dunning level"), queryset=DunningLevel.objects.all(), required=False
    )
    contact = forms.ModelChoiceField(
        label=_("Contact"), queryset=Contact.objects.none(), required=False
    )
    next_on = bounds.DateField(label=_("Next step on"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args, currencies: list[str], contacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"] = _currency_field(currencies)
        cast(forms.ModelChoiceField, self.fields["contact"]).queryset = contacts
        self.order_fields(["action", "currency", "done_on", "level", "contact", "next_on"])


class DisputeForm(ServiceErrorsMixin, forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=DisputeReason.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class ResolveForm(ServiceErrorsMixin, forms.Form):
    resolution = forms.CharField(label=_("How it was resolved"), max_length=2000)


class SplitForm(ServiceErrorsMixin, forms.Form):
    """One amount field per open invoice of the payment's account and currency."""

    def __init__(self, *args, invoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.invoices = list(invoices)
        for invoice in self.invoices:
            self.fields[f"invoice_{invoice.pk}"] = forms.DecimalField(
                label=invoice.number, required=False, min_value=Decimal("0.01"), **MONEY
            )

    def rows(self) -> list:
        """(invoice, its share field) for the page's table."""
        return [(invoice, self[f"invoice_{invoice.pk}"]) for invoice in self.invoices]

    def shares(self) -> dict:
        return {
            invoice: self.cleaned_data[f"invoice_{invoice.pk}"]
            for invoice in self.invoices
            if self.cleaned_data.get(f"invoice_{invoice.pk}")
        }
