"""Writes for the portfolio: scoring models and criteria, manual scores, analysis settings,
starting a recompute. Keyword-only, validated, audited; heads only where the rules say so."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from openkam.accounts.models import Account
from openkam.core import audit
from openkam.core.models import Job
from openkam.portfolio.jobs import schedule_recompute
from openkam.portfolio.models import (
    DEFAULT_METRIC,
    AnalysisSettings,
    Criterion,
    ManualScore,
    Metric,
    ScoringCriterion,
    ScoringModel,
    better_when_higher,
)
from openkam.users import permissions
from openkam.users.models import User
from openkam.users.permissions import Actor


@dataclass
class CriterionSpec:
    """One criterion row of a scoring model as entered in the editor or the API."""

    criterion: str
    weight: Decimal
    source: str = ScoringCriterion.Source.DATA
    metric: str = ""
    mapping: str = ScoringCriterion.Mapping.PERCENTILE
    bands: list[float] = field(default_factory=list)
    # None: the way the metric reads (fewer days late is better, more revenue is better).
    higher_is_better: bool | None = None

    def with_default_metric(self) -> CriterionSpec:
        """A data criterion without a metric takes its criterion's usual one."""
        if self.source != ScoringCriterion.Source.DATA or self.metric:
            return self
        default = DEFAULT_METRIC.get(self.criterion)  # type: ignore[call-overload]
        return replace(self, metric=str(default)) if default else self

    @property
    def resolved_higher_is_better(self) -> bool:
        if self.higher_is_better is None:
            return better_when_higher(self.metric)
        return self.higher_is_better

    @property
    def is_reversed(self) -> bool:
        return (
            self.source == ScoringCriterion.Source.DATA
            and self.metric in Metric.values
            and self.resolved_higher_is_better != better_when_higher(self.metric)
        )


def reversed_direction_message(metric: str) -> str:
    if metric == Metric.DAYS_LATE:
        return _(
            "Higher is better ranks the customers who pay latest first: the model would "
            "reward late payment."
        )
    return _("Lower is better ranks the customers with the least “%(metric)s” first.") % {
        "metric": Metric(metric).label
    }


def validate_criteria(specs: list[CriterionSpec], *, accept_reversed: bool = False) -> None:
    """Every problem at once, keyed "criteria.<row>.<field>" (row numbers from 1). A
    criterion scored against the way its metric reads is refused unless accepted."""
    errors: dict[str, list[str]] = {}

    def add(row: int, name: str, message: str) -> None:
        errors.setdefault(f"criteria.{row}.{name}", []).append(message)

    if not specs:
        errors["criteria"] = [_("A scoring model needs at least one criterion.")]
    seen: set[str] = set()
    for row, spec in enumerate(specs, start=1):
        if spec.criterion not in Criterion.values:
            add(row, "criterion", _("Unknown criterion %(name)r.") % {"name": spec.criterion})
        elif spec.criterion in seen:
            add(row, "criterion", _("This criterion is already in the model."))
        seen.add(spec.criterion)
        if spec.weight is None or spec.weight <= 0:
            add(row, "weight", _("The weight must be greater than zero."))
        if spec.source not in ScoringCriterion.Source.values:
            add(row, "source", _("Choose where the points come from."))
        if spec.source == ScoringCriterion.Source.DATA:
            if spec.metric not in Metric.values:
                add(row, "metric", _("A criterion derived from data needs a metric."))
            if spec.mapping not in ScoringCriterion.Mapping.values:
                add(row, "mapping", _("Choose percentile or bands."))
            if spec.mapping == ScoringCriterion.Mapping.BANDS:
                if not spec.bands:
                    add(row, "bands", _("Fixed bands need at least one threshold."))
                elif list(spec.bands) != sorted(spec.bands) or len(set(spec.bands)) != len(
                    spec.bands
                ):
                    add(row, "bands", _("Band thresholds must go up, each above the one before."))
        if spec.is_reversed and not accept_reversed:
            add(row, "direction", reversed_direction_message(spec.metric))
            errors["accept_reversed"] = [
                _("Tick this to save a criterion scored against the way its metric reads.")
            ]
    if errors:
        raise ValidationError(errors)


def _criteria_snapshot(model: ScoringModel) -> list[dict]:
    return [
        {
            "criterion": c.criterion,
            "weight": str(c.weight),
            "source": c.source,
            "metric": c.metric,
            "mapping": c.mapping,
            "bands": c.bands,
            "higher_is_better": c.higher_is_better,
        }
        for c in model.criteria.order_by("criterion")
    ]


MODEL_FIELDS = ("name", "description", "segment", "is_active", "is_default")


@transaction.atomic
def scoring_model_save(
    *,
    actor: Actor,
    model: ScoringModel | None = None,
    name: str,
    description: str = "",
    segment: str = "",
    is_active: bool = True,
    is_default: bool = False,
    criteria: list[CriterionSpec],
    accept_reversed: bool = False,
    via: str = "web",
) -> ScoringModel:
    """Create a model (model=None) or replace an existing one's fields and criteria."""
    permissions.require_portfolio_manager(actor)
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("Give the model a name.")]})
    clash = ScoringModel.objects.filter(name__iexact=name)
    if model is not None:
        clash = clash.exclude(pk=model.pk)
    if clash.exists():
        raise ValidationError({"name": [_("Another scoring model already has this name.")]})
    criteria = [spec.with_default_metric() for spec in criteria]
    validate_criteria(criteria, accept_reversed=accept_reversed)
    creating = model is None
    model = model or ScoringModel(created_by=actor)
    before = {} if creating else audit.snapshot(model, MODEL_FIELDS)
    before_criteria = [] if creating else _criteria_snapshot(model)
    model.name, model.description, model.segment = name, description.strip(), segment.strip()
    model.is_active, model.is_default = is_active, is_default
    model.save()
    if is_default:
        ScoringModel.objects.exclude(pk=model.pk).filter(is_default=True).update(is_default=False)
    model.criteria.all().delete()
    ScoringCriterion.objects.bulk_create(
        ScoringCriterion(
            scoring_model=model,
            criterion=spec.criterion,
            weight=spec.weight,
            source=spec.source,
            metric=spec.metric if spec.source == ScoringCriterion.Source.DATA else "",
            mapping=spec.mapping,
            bands=[float(b) for b in spec.bands]
            if spec.mapping == ScoringCriterion.Mapping.BANDS
            else [],
            higher_is_better=spec.resolved_higher_is_better,
        )
        for spec in criteria
    )
    after_criteria = _criteria_snapshot(model)
    if creating:
        entry = audit.build_entry(
            actor=actor,
            instance=model,
            action="create",
            changes={
                **{k: [None, v] for k, v in audit.snapshot(model, MODEL_FIELDS).items()},
                "criteria": [None, after_criteria],
            },
            via=via,
        )
        entry.save()
    else:
        changes = audit.diff(before, audit.snapshot(model, MODEL_FIELDS))
        if before_criteria != after_criteria:
            changes["criteria"] = [before_criteria, after_criteria]
        if changes:
            audit.build_entry(
                actor=actor, instance=model, action="update", changes=changes, via=via
            ).save()
    return model


@transaction.atomic
def manual_score_enter(
    *,
    actor: User,
    account: Account,
    criterion: str,
    points: int,
    note: str = "",
    via: str = "web",
) -> ManualScore:
    """Points 1-10 for a criterion entered by people; kept on the group root, as scores are."""
    if not permissions.can_edit_account_work(actor):
        raise PermissionDenied(_("Your role may read accounts but not change them."))
    if not Account.objects.visible_to(actor).filter(pk=account.pk).exists():
        raise PermissionDenied(_("You do not work on this account."))
    errors = {}
    if criterion not in Criterion.values:
        errors["criterion"] = [_("Unknown criterion %(name)r.") % {"name": criterion}]
    if not isinstance(points, int) or not 1 <= points <= 10:
        errors["points"] = [_("Points must be a whole number from 1 to 10.")]
    if errors:
        raise ValidationError(errors)
    root_id = account.group_root_id or account.pk
    score = ManualScore.objects.create(
        account_id=root_id,
        criterion=criterion,
        points=points,
        note=note.strip(),
        entered_by=actor,
    )
    audit.record_create(actor=actor, instance=score, via=via)
    return score


SETTINGS_FIELDS = ("abc_a", "abc_b", "xyz_x", "xyz_y", "period_months", "max_key_per_kam")


@transaction.atomic
def analysis_settings_update(*, actor: Actor, via: str = "web", **values: Any) -> AnalysisSettings:
    permissions.require_portfolio_manager(actor)
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValidationError({name: [_("Not a setting.")] for name in sorted(unknown)})
    settings = AnalysisSettings.objects.select_for_update().get(pk=AnalysisSettings.current().pk)
    before = audit.snapshot(settings, SETTINGS_FIELDS)
    for name, value in values.items():
        setattr(settings, name, value)
    errors = {}
    if settings.abc_a is not None and settings.abc_b is not None:
        if not Decimal("0") < settings.abc_a <= settings.abc_b <= Decimal("1"):
            errors["abc_b"] = [_("Class A must end at or before class B, both within 100%.")]
    if settings.xyz_x is not None and settings.xyz_y is not None:
        if not Decimal("0") < settings.xyz_x <= settings.xyz_y:
            errors["xyz_y"] = [_("The X limit must not be above the Y limit.")]
    try:
        settings.full_clean(exclude=["updated_by"])
    except ValidationError as error:
        for key, messages in error.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    settings.updated_by = actor
    settings.save()
    audit.record_update(actor=actor, instance=settings, before=before, via=via)
    return settings


def recompute_start(*, actor: Actor) -> Job:
    """Queue a recompute (heads only); one at a time: a queued or running one is returned."""
    permissions.require_portfolio_manager(actor)
    return schedule_recompute(created_by=actor, reuse_running=True)


def spec_dicts(specs: list[CriterionSpec]) -> list[dict]:
    return [asdict(spec) for spec in specs]
