"""Page forms for the workspace. They only shape input; the services validate and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from openkam.core.forms import ServiceErrorsMixin, model_form_field
from openkam.workspace.models import AccountCompetitor


def _field(name: str) -> forms.Field:
    return model_form_field(AccountCompetitor, name)


class CompetitorAtAccountForm(ServiceErrorsMixin, forms.Form):
    """Product lines, share of wallet and notes of a competitor at an account."""

    def __init__(self, *args, with_name: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_name:
            self.fields["name"] = forms.CharField(
                label=_("Competitor"),
                max_length=200,
                help_text=_("An existing name is reused; a new one is added to the list."),
                widget=forms.TextInput(attrs={"list": "competitor-names", "autocomplete": "off"}),
            )
        self.fields["product_lines"] = _field("product_lines")
        self.fields["share_of_wallet"] = _field("share_of_wallet")
        self.fields["notes"] = _field("notes")
        self.fields["notes"].widget.attrs["rows"] = 3

    @staticmethod
    def initial_for(row: AccountCompetitor) -> dict:
        return {
            "product_lines": row.product_lines,
            "share_of_wallet": row.share_of_wallet,
            "notes": row.notes,
        }
