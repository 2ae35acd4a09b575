"""Portfolio writes: validation, audit, permissions, one default model, settings."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openkam.core.models import AuditEntry, Job
from openkam.portfolio import services
from openkam.portfolio.models import AnalysisSettings, ManualScore, ScoringModel
from openkam.portfolio.services import CriterionSpec

SPEC = CriterionSpec(criterion="transaction_size", weight=Decimal("2"), metric="avg_invoice")


def save(actor, **fields):
    return services.scoring_model_save(
        actor=actor, name=fields.pop("name", "M"), criteria=fields.pop("criteria", [SPEC]), **fields
    )


def test_new_model_is_audited_with_its_criteria(company):
    model = save(company["head"])
    entry = AuditEntry.objects.get(model="portfolio.ScoringModel", object_id=str(model.pk))
    assert entry.action == "create"
    assert entry.changes["criteria"][1][0]["criterion"] == "transaction_size"


def test_only_one_model_is_the_default(company):
    first = save(company["head"], name="First", is_default=True)
    save(company["head"], name="Second", is_default=True)
    first.refresh_from_db()
    assert not first.is_default
    assert ScoringModel.objects.filter(is_default=True).count() == 1


def test_kam_may_not_save_a_model(company):
    with pytest.raises(PermissionDenied):
        save(company["owner"])


def test_duplicate_name_is_refused(company):
    save(company["head"], name="Same")
    with pytest.raises(ValidationError) as error:
        save(company["head"], name="same")
    assert "name" in error.value.message_dict


def test_every_criterion_problem_is_reported_with_its_row(company):
    bad = [
        CriterionSpec(criterion="references", weight=Decimal("0"), source="people"),
        CriterionSpec(criterion="references", weight=Decimal("1"), source="people"),
        CriterionSpec(criterion="buying_process", weight=Decimal("1"), mapping="bands", bands=[]),
    ]
    with pytest.raises(ValidationError) as error:
        save(company["head"], criteria=bad)
    assert set(error.value.message_dict) == {
        "criteria.1.weight",
        "criteria.2.criterion",
        "criteria.3.metric",
        "criteria.3.bands",
    }


def test_refused_edit_leaves_the_model_as_it_was(company):
    model = save(company["head"])
    with pytest.raises(ValidationError):
        save(company["head"], model=model, name="M", criteria=[])
    assert [c.criterion for c in model.criteria.all()] == ["transaction_size"]


def test_manual_score_is_audited_on_the_group_root(company):
    score = services.manual_score_enter(
        actor=company["owner"], account=company["a1"], criterion="cultural_fit", points=7
    )
    assert score.account == company["a"]
    assert AuditEntry.objects.get(model="portfolio.ManualScore").account_id == company["a"].pk


def test_manual_score_on_an_invisible_account_is_refused(company):
    with pytest.raises(PermissionDenied):
        services.manual_score_enter(
            actor=company["owner"], account=company["b"], criterion="cultural_fit", points=7
        )
    assert not ManualScore.objects.exists()


def test_settings_update_is_audited(company):
    services.analysis_settings_update(actor=company["head"], abc_a=Decimal("0.700"))
    assert AnalysisSettings.current().abc_a == Decimal("0.700")
    entry = AuditEntry.objects.get(model="portfolio.AnalysisSettings")
    assert entry.changes["abc_a"] == ["0.800", "0.700"]


def test_settings_with_a_above_b_are_refused(company):
    with pytest.raises(ValidationError) as error:
        services.analysis_settings_update(actor=company["head"], abc_a=Decimal("0.990"))
    assert "abc_b" in error.value.message_dict
    assert AnalysisSettings.current().abc_a == Decimal("0.800")


def test_recompute_start_is_for_heads(company):
    with pytest.raises(PermissionDenied):
        services.recompute_start(actor=company["owner"])
    assert services.recompute_start(actor=company["head"]).kind == "portfolio-recompute"
    assert Job.objects.count() == 1


def test_payment_discipline_by_default_ranks_the_punctual_payer_first(company):
    import numpy as np

    from openkam.portfolio.scoring import criterion_points

    model = save(
        company["head"],
        criteria=[CriterionSpec(criterion="payment_discipline", weight=Decimal("1"))],
    )
    criterion = model.criteria.get()
    late_59_days, on_time, late_10_days = criterion_points(criterion, np.array([59.0, 0.0, 10.0]))
    assert on_time > late_10_days > late_59_days


@pytest.mark.parametrize(
    "spec",
    [
        CriterionSpec(criterion="payment_discipline", weight=Decimal("1"), higher_is_better=True),
        CriterionSpec(
            criterion="partnership", weight=Decimal("1"), metric="margin", higher_is_better=False
        ),
    ],
)
def test_a_criterion_against_its_metric_needs_accepting(company, spec):
    with pytest.raises(ValidationError) as refused:
        save(company["head"], criteria=[spec])
    assert set(refused.value.message_dict) == {"criteria.1.direction", "accept_reversed"}
    assert not ScoringModel.objects.exists()
    model = services.scoring_model_save(
        actor=company["head"], name="Reversed", criteria=[spec], accept_reversed=True
    )
    assert model.criteria.get().is_reversed


def test_an_explicit_direction_that_matches_the_metric_needs_no_accepting(company):
    spec = CriterionSpec(
        criterion="payment_discipline", weight=Decimal("1"), higher_is_better=False
    )
    assert not save(company["head"], criteria=[spec]).criteria.get().is_reversed
