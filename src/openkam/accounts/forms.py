"""Account page forms. They only shape input; the services validate and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account
from openkam.accounts.services import EDITABLE_FIELDS as ACCOUNT_FIELDS
from openkam.core.forms import ServiceErrorsMixin, model_fields


class AccountDossierForm(ServiceErrorsMixin, forms.Form):
    code_fields = {"invalid_tax_id": "tax_id", "invalid_kpp": "kpp"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(model_fields(Account, ACCOUNT_FIELDS))
        self.fields["country"].help_text = _("Two-letter code, e.g. PL")
        self.fields["tax_id"].help_text = _("Polish NIP and Russian INN are checked")

    @staticmethod
    def initial_for(account: Account) -> dict:
        return {name: getattr(account, name) for name in ACCOUNT_FIELDS}

    def clean_country(self):
        return (self.cleaned_data.get("country") or "").upper()

    def clean_currency(self):
        return (self.cleaned_data.get("currency") or "").upper()
