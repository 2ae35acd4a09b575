"""Page forms for activities. They only shape input; the services validate and write."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account
from openkam.activities.models import ActivityKind, ActivityStatus
from openkam.core import bounds
from openkam.core.forms import ServiceErrorsMixin, searchable

if TYPE_CHECKING:
    from openkam.plans.models import PlanAction

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _when(required: bool = True, label=None) -> forms.DateTimeField:
    return bounds.DateTimeField(
        label=label,
        required=required,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )


def group_contacts(user, account: Account | None, keep=()):
    """Current contacts the user sees at the account or another company of its group.

    People who left or were archived are not offered, except those in `keep` (already
    taking part), so editing an old activity does not drop them silently.
    """
    from openkam.stakeholders.models import Contact

    if account is None:
        return Contact.objects.none()
    group = account.group_root_id or account.pk
    return (
        Contact.objects.visible_to(user)
        .filter(Q(account=account) | Q(account__group_root_id=group) | Q(account_id=group))
        .filter(Q(is_archived=False, left_on__isnull=True) | Q(pk__in=list(keep)))
        .select_related("account")
        .order_by("last_name", "first_name", "pk")
    )


def open_plan_actions(user, account: Account | None):
    from openkam.plans.models import ActionStatus, PlanAction

    if account is None:
        return PlanAction.objects.none()
    return (
        PlanAction.objects.visible_to(user)
        .filter(plan__account=account)
        .exclude(status__in=(ActionStatus.DONE, ActionStatus.CANCELLED))
        .order_by("due_on", "pk")
    )


class ContactChoices(bounds.ModelMultipleChoiceField):
    def label_from_instance(self, contact) -> str:
        role = f", {contact.position}" if contact.position else ""
        return f"{contact}{role}"


class ActivityForm(ServiceErrorsMixin, forms.Form):
    """Plan or edit an activity. On edit the account is fixed and not offered."""

    account = searchable(
        forms.ModelChoiceField(label=_("Account"), queryset=Account.objects.none())
    )
    kind = forms.ChoiceField(label=_("Type"), choices=ActivityKind.choices)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    starts_at = _when(label=_("Starts"))
    ends_at = _when(required=False, label=_("Ends"))
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    contacts = ContactChoices(
        label=_("Stakeholders"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    objective = forms.CharField(
        label=_("Objective"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    plan_action: forms.ModelChoiceField[PlanAction] = forms.ModelChoiceField(
        label=_("Plan action"), queryset=None, required=False
    )

    def __init__(self, *args, user, account: Account | None = None, fixed_account=False, **kw):
        super().__init__(*args, **kw)
        self.user = user
        if fixed_account:
            del self.fields["account"]
        else:
            cast(
                forms.ModelChoiceField, self.fields["account"]
            ).queryset = Account.objects.visible_to(user).filter(is_archived=False)
            # Changing the account reloads its stakeholders and plan actions (htmx).
            self.fields["account"].widget.attrs.update(
                {
                    "hx-get": reverse("activities:account_fields"),
                    "hx-trigger": "change",
                    "hx-target": "#account-fields",
                    "hx-swap": "outerHTML",
                }
            )
            account = self._chosen_account() or account
        # The declared `account` field moved to base_fields (Django's form metaclass); the
        # instance attribute is the chosen account.
        self.account = account  # type: ignore[assignment]
        keep = [c.pk for c in self.initial.get("contacts", ())]
        cast(forms.ModelChoiceField, self.fields["contacts"]).queryset = group_contacts(
            user, account, keep
        )
        cast(forms.ModelChoiceField, self.fields["plan_action"]).queryset = open_plan_actions(
            user, account
        )

    def _chosen_account(self) -> Account | None:
        """The account the (bound or pre-filled) form names, if the user sees it."""
        raw = self.data.get("account") if self.is_bound else self.initial.get("account")
        if isinstance(raw, Account):
            return raw
        pk = bounds.id_or_none(raw)
        if pk is None:
            return None
        return Account.objects.visible_to(self.user).filter(pk=pk).first()

    @staticmethod
    def initial_for(activity) -> dict:
        return {
            "kind": activity.kind,
            "subject": activity.subject,
            "starts_at": activity.starts_at,
            "ends_at": activity.ends_at,
            "location": activity.location,
            "contacts": list(activity.contacts.all()),
            "objective": activity.objective,
            "plan_action": activity.plan_action_id,
        }


class CompleteForm(ServiceErrorsMixin, forms.Form):
    """Log what came out of an activity, and optionally plan the next one."""

    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 3}))
    next_steps = forms.CharField(
        label=_("Next steps"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    follow_up_subject = forms.CharField(
        label=_("Follow-up subject"), max_length=200, required=False
    )
    follow_up_kind = forms.ChoiceField(
        label=_("Follow-up type"), choices=ActivityKind.choices, initial=ActivityKind.MEETING
    )
    follow_up_starts_at = _when(required=False, label=_("Follow-up starts"))

    def clean(self):
        data = super().clean() or {}
        if data.get("follow_up_subject") and not data.get("follow_up_starts_at"):
            self.add_error("follow_up_starts_at", _("Say when the follow-up happens."))
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class ListFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type"), choices=[("", _("all"))] + ActivityKind.choices, required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("all"))] + ActivityStatus.choices,
        required=False,
    )
