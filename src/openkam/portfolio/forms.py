"""Portfolio page forms. They only shape input; the services validate and write."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from openkam.portfolio.models import (
    DEFAULT_METRIC,
    AnalysisSettings,
    Criterion,
    Metric,
    ScoringCriterion,
    ScoringModel,
    better_when_higher,
)
from openkam.portfolio.services import MODEL_FIELDS, CriterionSpec

MAX_CRITERIA = len(Criterion.choices)
DIRECTIONS = [
    ("", _("As the metric reads")),
    ("higher", _("Higher is better")),
    ("lower", _("Lower is better")),
]
HUNDRED = Decimal(100)


class ScoringModelForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    segment = forms.CharField(
        label=_("Segment"),
        max_length=100,
        required=False,
        help_text=_("Leave empty to score every customer; otherwise only this segment."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    is_default = forms.BooleanField(label=_("Default model for reviews"), required=False)
    # Shown only once the service has flagged a reversed criterion (see model_form.html).
    accept_reversed = forms.BooleanField(
        label=_("Keep the reversed direction"),
        required=False,
        help_text=_("The marked criteria reward what their metric calls worse."),
    )

    @classmethod
    def initial_for(cls, model: ScoringModel | None) -> dict:
        if model is None:
            return {"is_active": True}
        initial = {name: getattr(model, name) for name in cls.base_fields if name in MODEL_FIELDS}
        # Saved before with a reversed criterion: keep it unless the head changes it.
        initial["accept_reversed"] = any(c.is_reversed for c in model.criteria.all())
        return initial


def parse_bands(text: str) -> list[float]:
    """ "1 000; 5000, 20 000" -> [1000.0, 5000.0, 20000.0]; spaces group thousands."""
    parts = [
        p.strip().replace(" ", "").replace("\u00a0", "") for p in text.replace(";", ",").split(",")
    ]
    values = []
    for part in parts:
        if not part:
            continue
        try:
            values.append(float(part))
        except ValueError:
            raise ValidationError(
                _("%(value)r is not a number; separate thresholds with commas."),
                params={"value": part},
            ) from None
    return values


class CriterionForm(forms.Form):
    criterion = forms.ChoiceField(
        label=_("Criterion"), choices=[("", "—"), *Criterion.choices], required=False
    )
    weight = forms.DecimalField(
        label=_("Weight"), max_digits=6, decimal_places=2, required=False, min_value=0
    )
    # Short labels: the editor shows ten rows side by side.
    source = forms.ChoiceField(
        label=_("Source"),
        choices=[("data", _("Data")), ("people", _("People"))],
        initial=ScoringCriterion.Source.DATA,
    )
    metric = forms.ChoiceField(
        label=_("Metric"), choices=[("", "—"), *Metric.choices], required=False
    )
    mapping = forms.ChoiceField(
        label=_("Mapping"),
        choices=[("percentile", _("Percentile")), ("bands", _("Bands"))],
        initial=ScoringCriterion.Mapping.PERCENTILE,
    )
    bands = forms.CharField(
        label=_("Band thresholds"),
        required=False,
        help_text=_("Ascending, separated by commas"),
    )
    direction = forms.ChoiceField(
        label=_("Better when"),
        choices=DIRECTIONS,
        required=False,
        help_text=_("As the metric reads: fewer days late, more of everything else."),
    )

    def clean_bands(self) -> list[float]:
        return parse_bands(self.cleaned_data.get("bands") or "")

    @property
    def is_blank(self) -> bool:
        return not (self.cleaned_data or {}).get("criterion")

    def clean(self):
        data = super().clean() or {}
        if data.get("criterion") and data.get("source") == "data" and not data.get("metric"):
            default = DEFAULT_METRIC.get(data["criterion"])
            if default:  # the documented default metric of the criterion
                data["metric"] = str(default)
        return data

    def spec(self) -> CriterionSpec:
        data = self.cleaned_data
        return CriterionSpec(
            criterion=data["criterion"],
            weight=data["weight"] if data.get("weight") is not None else Decimal(0),
            source=data["source"],
            metric=data.get("metric") or "",
            mapping=data["mapping"],
            bands=data.get("bands") or [],
            higher_is_better={"higher": True, "lower": False}.get(data.get("direction") or ""),
        )


CriterionFormSet = forms.formset_factory(CriterionForm, extra=0, max_num=MAX_CRITERIA)


def criterion_initial(model: ScoringModel | None) -> list[dict]:
    """The model's criteria, then blank rows up to all ten."""
    rows = []
    if model is not None:
        for c in model.criteria.all():
            rows.append(
                {
                    "criterion": c.criterion,
                    "weight": c.weight,
                    "source": c.source,
                    "metric": c.metric,
                    "mapping": c.mapping,
                    "bands": ", ".join(f"{b:g}" for b in c.bands),
                    "direction": _direction_of(c),
                }
            )
    blank = {"source": "data", "mapping": "percentile", "direction": ""}
    return rows + [dict(blank) for _ in range(MAX_CRITERIA - len(rows))]


def _direction_of(criterion: ScoringCriterion) -> str:
    """ "" when the criterion reads its metric's way, so the editor shows it as such."""
    if criterion.higher_is_better == better_when_higher(criterion.metric):
        return ""
    return "higher" if criterion.higher_is_better else "lower"


def put_service_errors(form, formset, error: ValidationError, used_forms: list) -> None:
    """Errors keyed "criteria.<row>.<field>" go onto the row's form, the rest onto the model."""
    for key, messages in error.message_dict.items():
        parts = key.split(".")
        if parts[0] == "criteria" and len(parts) == 3:
            row_form = used_forms[int(parts[1]) - 1]
            for message in messages:
                row_form.add_error(parts[2] if parts[2] in row_form.fields else None, message)
        elif key in form.fields:
            for message in messages:
                form.add_error(key, message)
        else:
            for message in messages:
                form.add_error(None, message)


class AnalysisSettingsForm(forms.Form):
    """Shares as percentages on the page; stored as fractions."""

    abc_a = forms.DecimalField(label=_("Class A up to (share of value, %)"), min_value=1, max_value=100)
    abc_b = forms.DecimalField(label=_("Class B up to (share of value, %)"), min_value=1, max_value=100)
    xyz_x = forms.DecimalField(label=_("Class X up to (variation, %)"), min_value=0, max_value=500)
    xyz_y = forms.DecimalField(label=_("Class Y up to (variation, %)"), min_value=0, max_value=500)
    period_months = forms.IntegerField(
        label=_("Analysis period (months)"), min_value=3, max_value=36
    )
    max_key_per_kam = forms.IntegerField(
        label=_("Maximum key accounts per KAM"), min_value=1, max_value=100
    )

    PERCENT_FIELDS = ("abc_a", "abc_b", "xyz_x", "xyz_y")

    @classmethod
    def initial_for(cls, settings: AnalysisSettings) -> dict:
        initial = {name: getattr(settings, name) for name in cls.base_fields}
        for name in cls.PERCENT_FIELDS:
            initial[name] = (initial[name] * HUNDRED).normalize()
        return initial

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        for name in self.PERCENT_FIELDS:
            data[name] = (data[name] / HUNDRED).quantize(Decimal("0.001"))
        return data


class ManualScoreForm(forms.Form):
    criterion = forms.ChoiceField(label=_("Criterion"), choices=Criterion.choices)
    points = forms.IntegerField(label=_("Points (1-10)"), min_value=1, max_value=10)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)
