"""Page forms. They only shape input; the services validate and write."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account
from openkam.accounts.services import EDITABLE_FIELDS as ACCOUNT_FIELDS
from openkam.stakeholders.forms import relationship_owners
from openkam.stakeholders.models import Contact
from openkam.stakeholders.services import EDITABLE_FIELDS as CONTACT_FIELDS


def _model_fields(model, names) -> dict[str, forms.Field]:
    return {name: model._meta.get_field(name).formfield() for name in names}


class ServiceErrorsMixin:
    """Puts a service's ValidationError on the right fields of the form."""

    #: messages with these codes belong to a field whatever the service said
    code_fields: dict[str, str] = {}

    def add_service_error(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
            return
        for item in error.error_list:
            self.add_error(self.code_fields.get(item.code), item)


class AccountDossierForm(ServiceErrorsMixin, forms.Form):
    code_fields = {"invalid_tax_id": "tax_id"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_model_fields(Account, ACCOUNT_FIELDS))
        self.fields["country"].help_text = _("Two-letter code, e.g. PL")
        self.fields["tax_id"].help_text = _("Polish NIP and Russian INN are checked")

    @staticmethod
    def initial_for(account: Account) -> dict:
        return {name: getattr(account, name) for name in ACCOUNT_FIELDS}

    def clean_country(self):
        return (self.cleaned_data.get("country") or "").upper()

    def clean_currency(self):
        return (self.cleaned_data.get("currency") or "").upper()


class ContactForm(ServiceErrorsMixin, forms.Form):
    def __init__(self, *args, with_archive: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        names = (
            CONTACT_FIELDS if with_archive else [n for n in CONTACT_FIELDS if n != "is_archived"]
        )
        self.fields.update(_model_fields(Contact, names))
        # The stakeholder-map fields: owners are people who work accounts; a date picker.
        self.fields["relationship_owner"].queryset = relationship_owners()
        self.fields["left_on"].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    @staticmethod
    def initial_for(contact: Contact) -> dict:
        return {name: getattr(contact, name) for name in CONTACT_FIELDS}
