"""Plan forms. They only shape input; the services validate and write."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from openkam.core.forms import ServiceErrorsMixin, model_fields, searchable
from openkam.opportunities.models import Opportunity
from openkam.plans import services
from openkam.plans.models import (
    AccountPlan,
    Objective,
    ObjectiveMetric,
    PlanAction,
    PlanReview,
    PlanRisk,
    PlanTemplate,
)
from openkam.users.selectors import work_owners

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _model_fields(model, names) -> dict[str, forms.Field]:
    fields = model_fields(model, names)
    for field in fields.values():
        if isinstance(field, forms.DateField):
            field.widget = DATE
        if isinstance(field.widget, forms.Textarea):
            field.widget.attrs["rows"] = 4
    return fields


def people() -> forms.ModelChoiceField:
    """Owners: the active people of the company (names are not account secrets). Left
    empty: the service's default (the plan's owner, or whoever creates the record)."""
    return searchable(
        forms.ModelChoiceField(queryset=work_owners(), label=_("owner"), required=False)
    )


def without_empty_owner(data: dict) -> dict:
    """Form data for a service: an owner left empty means "keep or default it"."""
    return {name: value for name, value in data.items() if name != "owner" or value is not None}


def _separator(line: str) -> str:
    """Rows pasted from a spreadsheet come tab- or semicolon-separated; typed ones with ":"."""
    for separator in ("\t", ";"):
        if separator in line:
            return separator
    return ":"


class KeyFiguresField(forms.CharField):
    """The client's key figures as lines of "label: value"."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(f"{row['label']}: {row['value']}" for row in value)
        return value

    def to_python(self, value):
        rows = []
        for line in (value or "").splitlines():
            if line.strip():
                label, _sep, figure = line.partition(_separator(line))
                rows.append({"label": label.strip(), "value": figure.strip()})
        try:
            return services.clean_key_figures(rows)
        except ValidationError as error:
            raise ValidationError(error.message_dict["client_key_figures"]) from error


class PlanCreateForm(ServiceErrorsMixin, forms.Form):
    template = forms.ModelChoiceField(
        queryset=PlanTemplate.objects.filter(is_archived=False),
        required=False,
        label=_("template"),
        empty_label=_("blank plan"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_model_fields(AccountPlan, ["title", "period_start", "period_end"]))
        self.fields["title"].required = False
        self.fields["title"].help_text = _("Left empty: the account's name and the year.")
        self.fields["owner"] = people()


class PlanEditForm(ServiceErrorsMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = ["title", "period_start", "period_end", "status", "review_cadence"]
        self.fields.update(_model_fields(AccountPlan, names))
        self.fields["owner"] = people()
        self.fields.update(_model_fields(AccountPlan, services.SECTION_FIELDS))
        self.fields["client_key_figures"] = KeyFiguresField(
            label=_("client's key figures"),
            required=False,
            help_text=_('One a line: "label: value", e.g. "Revenue 2025: 412 m PLN".'),
        )

    @staticmethod
    def initial_for(plan: AccountPlan) -> dict:
        names = ["title", "period_start", "period_end", "status", "review_cadence", "owner"]
        names += [*services.SECTION_FIELDS, "client_key_figures"]
        return {name: getattr(plan, name) for name in names}


class SectionForm(ServiceErrorsMixin, forms.Form):
    """One text section of the plan, edited in place."""

    def __init__(self, *args, section: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_model_fields(AccountPlan, [section]))


def opportunity_choice(plan: AccountPlan) -> forms.ModelChoiceField:
    """The plan's account's opportunities (visible with the plan: the same account)."""
    return forms.ModelChoiceField(
        queryset=Opportunity.objects.filter(account_id=plan.account_id).select_related("stage"),
        required=False, label=_("opportunity"),
        help_text=_("The deal this is to be reached by, if any."),
    )  # fmt: skip


class ObjectiveForm(ServiceErrorsMixin, forms.Form):
    def __init__(self, *args, plan: AccountPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_model_fields(Objective, ["title", "metric", "product_line"]))
        self.fields.update(
            _model_fields(
                Objective, ["baseline", "target", "current_value", "wallet_estimate", "due_on"]
            )
        )
        self.fields["owner"] = people()
        self.fields["opportunity"] = opportunity_choice(plan)
        self.fields["current_value"].help_text = _("Only for objectives entered by hand.")
        self.fields["wallet_estimate"].help_text = _(
            "The client's total spend in the period, for share of wallet."
        )
        self.fields["metric"].help_text = _(
            "All but 'entered by hand' follow the invoices or the meetings held by themselves."
        )

    @staticmethod
    def initial_for(objective: Objective) -> dict:
        return {name: getattr(objective, name) for name in services.OBJECTIVE_FIELDS}


class ActionForm(ServiceErrorsMixin, forms.Form):
    def __init__(self, *args, plan: AccountPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_model_fields(PlanAction, ["title", "due_on", "status", "done_on"]))
        self.fields["owner"] = people()
        self.fields["objective"] = forms.ModelChoiceField(
            queryset=plan.objectives.all(), required=False, label=_("objective")
        )
        self.fields["opportunity"] = opportunity_choice(plan)
        self.fields["done_on"].help_text = _("Left empty when done: today.")

    @staticmethod
    def initial_for(action: PlanAction) -> dict:
        return {name: getattr(action, name) for name in services.ACTION_FIELDS}


class RiskForm(ServiceErrorsMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_model_fields(PlanRisk, services.RISK_FIELDS))
        self.fields["competitor"].required = False

    @staticmethod
    def initial_for(risk: PlanRisk) -> dict:
        return {name: getattr(risk, name) for name in services.RISK_FIELDS}


class ReviewForm(ServiceErrorsMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_model_fields(PlanReview, ["reviewed_on", "health", "comment"]))
        self.fields["reviewed_on"].required = False
        self.fields["reviewed_on"].help_text = _("Left empty: today.")
        self.fields["comment"].widget.attrs["rows"] = 3


class TemplateObjectivesField(forms.CharField):
    """Default objectives as lines of "metric | title | change % | product line"."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(
                " | ".join(
                    str(part)
                    for part in (
                        spec.get("metric", ""),
                        spec.get("title", ""),
                        spec.get("target_change_pct", ""),
                        spec.get("product_line", ""),
                    )
                ).rstrip(" |")
                for spec in value
            )
        return value

    def to_python(self, value):
        specs = []
        for number, line in enumerate((value or "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")] + ["", "", ""]
            metric, title, change, product_line = parts[:4]
            if metric not in ObjectiveMetric.values:
                raise ValidationError(
                    _("Line %(number)s: unknown metric %(metric)s. Known: %(known)s.")
                    % {
                        "number": number,
                        "metric": metric,
                        "known": ", ".join(ObjectiveMetric.values),
                    }
                )
            spec = {"metric": metric, "title": title}
            if change:
                try:
                    spec["target_change_pct"] = float(change.replace(",", "."))
                except ValueError as error:
                    raise ValidationError(
                        _("Line %(number)s: the change must be a number of percent.")
                        % {"number": number}
                    ) from error
            if product_line:
                spec["product_line"] = product_line
            specs.append(spec)
        return specs


class TemplateForm(ServiceErrorsMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(
            _model_fields(PlanTemplate, ["name", "segment", "review_cadence", "is_archived"])
        )
        for name in services.SECTION_FIELDS:
            field = AccountPlan._meta.get_field(name)
            self.fields[name] = forms.CharField(
                label=field.verbose_name if isinstance(field, models.Field) else name,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        self.fields["objectives"] = TemplateObjectivesField(
            label=_("default objectives"),
            required=False,
            help_text=_(
                'One a line: "metric | title | change from last period in per cent | product line", '
                'e.g. "revenue | Grow revenue | 10".'
            ),
        )

    @staticmethod
    def initial_for(template: PlanTemplate) -> dict:
        initial = {
            name: getattr(template, name)
            for name in ("name", "segment", "review_cadence", "is_archived", "objectives")
        }
        return initial | {name: template.sections.get(name, "") for name in services.SECTION_FIELDS}

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        sections = {name: data.pop(name) for name in services.SECTION_FIELDS if data.get(name)}
        for name in services.SECTION_FIELDS:
            data.pop(name, None)
        return data | {"sections": sections}
