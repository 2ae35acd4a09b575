"""Forms of the review pages and the board. They shape input; the services validate and write."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account, AssignmentRole, Tier
from openkam.core import bounds
from openkam.core.forms import searchable
from openkam.portfolio.models import ScoringModel
from openkam.users.models import KAM_ROLES, User

if TYPE_CHECKING:
    _FormBase = forms.BaseForm
else:
    _FormBase = object


class ServiceErrors(_FormBase):
    """Puts a service's ValidationError on the form's fields (renamed through `field_names`)."""

    field_names: dict[str, str] = {}

    def add_service_error(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            name = self.field_names.get(name, name)
            self.add_error(name if name in self.fields else None, errors)


class ReviewStartForm(ServiceErrors, forms.Form):
    scoring_model = forms.ModelChoiceField(
        label=_("Scoring model"), queryset=ScoringModel.objects.none(), empty_label=None
    )
    kam_count = forms.IntegerField(label=_("Number of KAMs"), min_value=1, max_value=1000)
    max_per_kam = forms.IntegerField(
        label=_("Maximum key accounts per KAM"), min_value=1, max_value=100
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["scoring_model"]
        ).queryset = ScoringModel.objects.filter(is_active=True)


class DecisionForm(ServiceErrors, forms.Form):
    """Accept the proposal, or override it with a tier and a reason."""

    field_names = {"decision_reason": "reason"}

    accept = forms.BooleanField(required=False)
    final_tier = forms.ChoiceField(label=_("Set tier"), choices=Tier.choices, required=False)
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=1000, widget=forms.TextInput
    )


def _kams():
    return User.objects.filter(is_active=True, role__in=KAM_ROLES).order_by(
        "first_name", "last_name", "username"
    )


class KamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.get_full_name() or obj.username} ({obj.get_role_display()})"


class ReassignForm(ServiceErrors, forms.Form):
    # An id checked against the visible accounts: the page offers key and strategic accounts
    # in a short list, but any visible account may be given (e.g. from an account's link).
    account = forms.IntegerField(
        label=_("Account"), min_value=1, max_value=bounds.MAX_ID, widget=forms.Select
    )
    to_user = searchable(KamChoiceField(label=_("Give to"), queryset=User.objects.none()))
    role = forms.ChoiceField(label=_("Role"), choices=AssignmentRole.choices)
    from_user = searchable(
        KamChoiceField(
            label=_("Replacing (support and junior roles)"),
            queryset=User.objects.none(),
            required=False,
            empty_label=_("nobody: add alongside"),
        )
    )
    starts_on = bounds.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, accounts, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("starts_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.accounts = accounts
        cast(forms.ModelChoiceField, self.fields["to_user"]).queryset = _kams()
        cast(forms.ModelChoiceField, self.fields["from_user"]).queryset = _kams()

    def clean_account(self) -> Account:
        try:
            return self.accounts.get(pk=self.cleaned_data["account"])
        except Account.DoesNotExist:
            raise ValidationError(_("Choose one of your accounts."), code="invalid") from None
