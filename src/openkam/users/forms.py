from typing import cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from openkam.core import bounds
from openkam.core.forms import searchable
from openkam.users.models import KAM_ROLES, User


class DeputyForm(forms.Form):
    principal = searchable(
        forms.ModelChoiceField(queryset=User.objects.none(), label=_("Absent KAM"))
    )
    deputy = searchable(forms.ModelChoiceField(queryset=User.objects.none(), label=_("Deputy")))
    starts_on = bounds.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = bounds.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args, principals: QuerySet[User], **kwargs):
        super().__init__(*args, **kwargs)
        kams = User.objects.filter(is_active=True, role__in=KAM_ROLES)
        cast(forms.ModelChoiceField, self.fields["principal"]).queryset = principals
        cast(forms.ModelChoiceField, self.fields["deputy"]).queryset = kams
        if principals.count() == 1:
            self.fields["principal"].initial = principals.first()
            self.fields["principal"].widget = forms.HiddenInput()


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100)
