"""The default scoring model a fresh installation reviews with."""

from __future__ import annotations

from openkam.core.models import AuditEntry
from openkam.portfolio.defaults import DEFAULT_MODEL_NAME, ensure_default_scoring_model
from openkam.portfolio.models import ScoreSnapshot, ScoringModel
from openkam.portfolio.recompute import recompute_portfolio
from openkam.portfolio.tests.conftest import TODAY


def test_creates_four_data_criteria_weighted_to_one_hundred(db):
    model = ensure_default_scoring_model()
    criteria = {c.criterion: (c.metric, c.weight) for c in model.criteria.all()}
    assert (model.name, model.is_default) == (DEFAULT_MODEL_NAME, True)
    assert set(criteria) == {
        "revenue_potential",
        "payment_discipline",
        "product_fit",
        "relationship_length",
    }
    assert sum(weight for _, weight in criteria.values()) == 100


def test_paying_late_scores_lower(db):
    model = ensure_default_scoring_model()
    assert model.criteria.get(criterion="payment_discipline").higher_is_better is False


def test_second_call_returns_the_same_model(db):
    assert ensure_default_scoring_model() == ensure_default_scoring_model()
    assert ScoringModel.objects.count() == 1


def test_an_existing_model_becomes_the_default_instead(company):
    mine = ScoringModel.objects.create(name="Ours")
    assert ensure_default_scoring_model(actor=company["head"]) == mine
    mine.refresh_from_db()
    assert mine.is_default and ScoringModel.objects.count() == 1
    assert AuditEntry.objects.filter(model="portfolio.ScoringModel").exists()


def test_an_existing_default_is_left_alone(db):
    ScoringModel.objects.create(name="Ours", is_default=True, description="keep")
    model = ensure_default_scoring_model()
    assert (model.name, model.description) == ("Ours", "keep")


def test_the_default_model_scores_every_customer_on_recompute(ledger):
    model = ensure_default_scoring_model(actor=ledger["head"])
    run = recompute_portfolio(today=TODAY)
    scored = set(
        ScoreSnapshot.objects.filter(run=run, scoring_model=model).values_list(
            "account_id", flat=True
        )
    )
    assert scored == {ledger["a"].pk, ledger["b"].pk, ledger["c"].pk}
