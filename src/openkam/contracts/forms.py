"""Contract forms. They only shape input; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from openkam.contracts.models import Contract, ContractKind, ContractStatus
from openkam.contracts.services import CONTRACT_FIELDS
from openkam.core import bounds
from openkam.core.forms import ServiceErrorsMixin, model_fields

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ContractForm(ServiceErrorsMixin, forms.Form):
    """Every field of a contract; the rules between fields are the service's."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(model_fields(Contract, CONTRACT_FIELDS))
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DATE
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 4
        self.fields["commitment_currency"].widget.attrs.update(
            {"maxlength": 3, "size": 4, "autocapitalize": "characters"}
        )

    @staticmethod
    def initial_for(contract: Contract) -> dict:
        return {name: getattr(contract, name) for name in CONTRACT_FIELDS}

    def clean_commitment_currency(self) -> str:
        return (self.cleaned_data.get("commitment_currency") or "").strip().upper()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # The currency comes filled in with the account's: without an amount there is no
        # commitment, and nothing to say about its currency.
        if cleaned.get("commitment_amount") is None and "commitment_amount" not in self.errors:
            cleaned["commitment_currency"] = ""
        return cleaned


class ContractFileForm(forms.Form):
    file = forms.FileField(label=_("File"))

    def clean_file(self) -> Any:
        return bounds.check_upload(self.cleaned_data["file"])


def filter_choices() -> dict[str, list]:
    return {"kinds": ContractKind.choices, "statuses": ContractStatus.choices}
