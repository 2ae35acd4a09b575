"""Page forms of the stakeholder map. They only shape input; the services validate and write."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from openkam.core import bounds
from openkam.core.forms import ServiceErrorsMixin, model_fields, searchable
from openkam.stakeholders.models import Attitude, BuyingRole, Contact, LinkKind
from openkam.stakeholders.services import EDITABLE_FIELDS as CONTACT_FIELDS
from openkam.users.models import User
from openkam.users.selectors import work_owners


def relationship_owners():
    """People on our side who may own a relationship: active users who work accounts."""
    return work_owners()


class AttitudeForm(forms.Form):
    attitude = forms.ChoiceField(label=_("Attitude to us"), choices=Attitude.choices)
    note = forms.CharField(
        label=_("Why (what you saw or heard)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RolesForm(forms.Form):
    """The map fields of a person (the attitude has its own form: it keeps history)."""

    buying_role = forms.ChoiceField(
        label=_("Buying role"), choices=[("", "—"), *BuyingRole.choices], required=False
    )
    influence = forms.TypedChoiceField(
        label=_("Influence (1-5)"),
        choices=[("", "—")] + [(n, str(n)) for n in range(1, 6)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    relationship_strength = forms.TypedChoiceField(
        label=_("Relationship strength (1-5)"),
        choices=[("", "—")] + [(n, str(n)) for n in range(1, 6)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    relationship_owner = searchable(
        forms.ModelChoiceField(
            label=_("Relationship owner on our side"), queryset=User.objects.none(), required=False
        )
    )
    left_on = bounds.DateField(
        label=_("Left the company on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    FIELDS = ("buying_role", "influence", "relationship_strength", "relationship_owner", "left_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["relationship_owner"]
        ).queryset = relationship_owners()

    @classmethod
    def initial_for(cls, contact: Contact) -> dict:
        return {name: getattr(contact, name) for name in cls.FIELDS}


class LinkForm(forms.Form):
    """`this person <kind> other`, or the other way round."""

    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=[("out", _("this person → the other")), ("in", _("the other → this person"))],
        initial="out",
    )
    kind = forms.ChoiceField(label=_("Link"), choices=LinkKind.choices)
    other = searchable(
        forms.ModelChoiceField(label=_("Other person"), queryset=Contact.objects.none())
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=250)

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        other = cast(forms.ModelChoiceField, self.fields["other"])
        if candidates is not None:
            other.queryset = candidates
        # Django's documented hook, set per instance (the stubs see only the method).
        other.label_from_instance = _candidate_label  # type: ignore[method-assign,assignment]

    def ends(self, contact: Contact) -> tuple[Contact, Contact]:
        other = self.cleaned_data["other"]
        return (contact, other) if self.cleaned_data["direction"] == "out" else (other, contact)


def _candidate_label(contact: Contact) -> str:
    label = str(contact)
    if contact.position:
        label += f", {contact.position}"
    return f"{label} ({contact.account.name})"


class VCardImportForm(forms.Form):
    file = forms.FileField(label=_("vCard file (.vcf)"))

    def clean_file(self):
        return bounds.check_upload(self.cleaned_data["file"])


class ContactForm(ServiceErrorsMixin, forms.Form):
    def __init__(self, *args, with_archive: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        names = (
            CONTACT_FIELDS if with_archive else [n for n in CONTACT_FIELDS if n != "is_archived"]
        )
        self.fields.update(model_fields(Contact, names))
        # The stakeholder-map fields: owners are people who work accounts; a date picker.
        cast(
            forms.ModelChoiceField, self.fields["relationship_owner"]
        ).queryset = relationship_owners()
        self.fields["left_on"].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    @staticmethod
    def initial_for(contact: Contact) -> dict:
        return {name: getattr(contact, name) for name in CONTACT_FIELDS}
