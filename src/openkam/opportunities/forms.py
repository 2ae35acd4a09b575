"""Opportunity forms. They only shape input; the services validate and write."""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account
from openkam.core import bounds
from openkam.core.forms import ServiceErrorsMixin, model_fields, searchable
from openkam.ledger.models import Product
from openkam.opportunities.models import Kind, LostReason, Opportunity, Stage
from openkam.stakeholders.models import Contact
from openkam.users.models import Team, User
from openkam.users.selectors import work_owners

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FIELDS = ("title", "kind", "value", "currency", "probability", "expected_close", "description")


def product_line_choices() -> list[tuple[str, str]]:
    lines = (
        Product.objects.exclude(product_line="")
        .order_by("product_line")
        .values_list("product_line", flat=True)
        .distinct()
    )
    return [(line, line) for line in lines]


def competitors_at(account: Account):
    """The competitors recorded at the account (the catalogue lives in `workspace`)."""
    competitor = apps.get_model("workspace", "Competitor")
    return competitor.objects.filter(accounts__account=account).order_by("name")


class OpportunityForm(ServiceErrorsMixin, forms.Form):
    def __init__(self, *args, account: Account, user, new: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(model_fields(Opportunity, FIELDS))
        self.fields["expected_close"].widget = DATE
        self.fields["description"].widget.attrs["rows"] = 3
        self.fields["probability"].required = False
        self.fields["probability"].help_text = _("Empty: the stage's default.")
        if new:
            self.fields["stage"] = forms.ModelChoiceField(
                queryset=Stage.objects.filter(is_active=True), label=_("stage"), required=False,
                help_text=_("Empty: the first stage."),
            )  # fmt: skip
        self.fields["owner"] = searchable(
            forms.ModelChoiceField(queryset=work_owners(), label=_("owner"), required=False)
        )
        self.fields["product_lines"] = forms.MultipleChoiceField(
            choices=product_line_choices(), required=False, label=_("product lines"),
            widget=forms.SelectMultiple(attrs={"size": 5}),
        )  # fmt: skip
        self.fields["stakeholders"] = bounds.ModelMultipleChoiceField(
            queryset=Contact.objects.visible_to(user).filter(
                account=account, is_archived=False, left_on__isnull=True
            ),
            required=False, label=_("people involved"),
            widget=forms.SelectMultiple(attrs={"size": 5}),
        )  # fmt: skip
        self.fields["competitors"] = bounds.ModelMultipleChoiceField(
            queryset=competitors_at(account), required=False, label=_("competitors"),
            widget=forms.SelectMultiple(attrs={"size": 4}),
        )  # fmt: skip

    def clean_currency(self) -> str:
        return self.cleaned_data["currency"].upper()

    @staticmethod
    def initial_for(opportunity: Opportunity) -> dict:
        initial = {name: getattr(opportunity, name) for name in FIELDS}
        initial["owner"] = opportunity.owner_id
        initial["product_lines"] = [line.product_line for line in opportunity.product_lines.all()]
        initial["stakeholders"] = [contact.pk for contact in opportunity.stakeholders.all()]
        initial["competitors"] = [rival.pk for rival in opportunity.competitors.all()]
        return initial


class MoveForm(ServiceErrorsMixin, forms.Form):
    stage = forms.ModelChoiceField(queryset=Stage.objects.filter(is_active=True), label=_("stage"))
    lost_reason = forms.ChoiceField(
        choices=[("", "—"), *LostReason.choices], required=False, label=_("lost reason")
    )
    lost_note = forms.CharField(
        required=False, max_length=2000, label=_("about the loss"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class PipelineFilterForm(forms.Form):
    owner = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label=_("owner"), empty_label=_("everyone")
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.order_by("name"), required=False, label=_("team"),
        empty_label=_("all teams"),
    )  # fmt: skip
    kind = forms.ChoiceField(choices=[("", _("all types")), *Kind.choices], required=False,
                             label=_("type"))  # fmt: skip
    currency = forms.CharField(max_length=3, required=False, label=_("currency"))
    stage = forms.ModelChoiceField(
        queryset=Stage.objects.filter(is_active=True).order_by("position"), required=False,
        label=_("stage"), empty_label=_("all stages"),
    )  # fmt: skip

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        owner_field = self.fields["owner"]
        assert isinstance(owner_field, forms.ModelChoiceField)
        owner_field.queryset = owners
