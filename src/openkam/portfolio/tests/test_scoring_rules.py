"""Scoring models applied to customers: which points each criterion gives, and the totals.

The customers are the `company` accounts A, B and C with figures written by hand (as the
ledger queries would hand them over); manual scores are real rows.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import numpy as np
import pytest
from django.utils import timezone

from openkam.portfolio.compute import Thresholds, entity_metrics
from openkam.portfolio.ledger_figures import LedgerFigures
from openkam.portfolio.models import ManualScore, ScoringCriterion, ScoringModel
from openkam.portfolio.scoring import (
    criterion_points,
    latest_manual_points,
    ranks_of,
    score_customers,
    score_table,
)
from openkam.portfolio.tests.conftest import TODAY
from openkam.portfolio.tests.factories import invoice, pay

nan = float("nan")


def metrics_for(accounts, revenue, days_late=None, lines=None):
    """Metrics of `accounts` with one month of `revenue` each and average days late."""
    n = len(accounts)
    days_late = days_late if days_late is not None else [nan] * n
    late_count = np.array([0.0 if np.isnan(d) else 1.0 for d in days_late])
    lines = lines if lines is not None else [0] * n
    rows = np.repeat(np.arange(n), lines)
    figures = LedgerFigures(
        account_ids=np.array([a.pk for a in accounts]),
        group_root_ids=np.array([a.pk for a in accounts]),
        segments=[""] * n,
        monthly_revenue=np.array(revenue, dtype=float)[:, None],
        monthly_margin=np.zeros((n, 1)),
        revenue_prev=np.zeros(n),
        invoice_count=np.ones(n),
        invoice_total=np.array(revenue, dtype=float),
        first_invoice=np.full(n, TODAY.toordinal() - 30),
        last_invoice=np.full(n, TODAY.toordinal() - 30),
        late_days_sum=np.nan_to_num(np.array(days_late, dtype=float)),
        late_invoices=late_count,
        worst_late=np.where(late_count > 0, np.nan_to_num(days_late), -1.0),
        product_line_rows=rows,
        product_line_codes=np.arange(len(rows)),
    )
    return entity_metrics(figures, TODAY, Thresholds())


def criterion(**fields) -> ScoringCriterion:
    return ScoringCriterion(criterion="payment_discipline", weight=Decimal("1"), **fields)


def score(account, name, points, entered_by, at=None) -> ManualScore:
    row = ManualScore.objects.create(
        account=account, criterion=name, points=points, entered_by=entered_by
    )
    if at is not None:
        ManualScore.objects.filter(pk=row.pk).update(entered_at=at)
    return row


# --- manual points -----------------------------------------------------------------------


def test_each_account_keeps_its_own_latest_manual_score(company):
    a, b, c, head = company["a"], company["b"], company["c"], company["head"]
    score(a, "cultural_fit", 3, head)
    score(b, "cultural_fit", 5, head)
    score(a, "cultural_fit", 9, head)  # A's latest, and the latest of the company
    ids = np.array([a.pk, b.pk, c.pk])
    points = latest_manual_points(ids, ["cultural_fit"])
    assert points["cultural_fit"][:2].tolist() == [9, 5]
    assert np.isnan(points["cultural_fit"][2])  # nobody scored C


def test_each_criterion_keeps_its_own_latest_manual_score(company):
    a, head = company["a"], company["head"]
    score(a, "references", 4, head)
    score(a, "cultural_fit", 8, head)
    points = latest_manual_points(np.array([a.pk]), ["references", "cultural_fit"])
    assert points["references"].tolist() == [4]
    assert points["cultural_fit"].tolist() == [8]


def test_the_latest_entry_is_the_one_entered_last_not_the_one_saved_last(company):
    a, head = company["a"], company["head"]
    noon = timezone.make_aware(datetime(2026, 11, 20, 12, 0))
    score(a, "cultural_fit", 6, head, at=noon)
    score(a, "cultural_fit", 2, head, at=noon - timedelta(days=1))  # a late-typed old entry
    assert latest_manual_points(np.array([a.pk]), ["cultural_fit"])["cultural_fit"] == [6]


def test_scores_of_accounts_outside_the_population_are_left_out(company):
    a, b, head = company["a"], company["b"], company["head"]
    score(a, "cultural_fit", 7, head)
    score(b, "cultural_fit", 3, head)
    points = latest_manual_points(np.array([b.pk]), ["cultural_fit"])
    assert points["cultural_fit"].tolist() == [3]


def test_no_people_criteria_no_manual_points(company):
    score(company["a"], "cultural_fit", 7, company["head"])
    assert latest_manual_points(np.array([company["a"].pk]), []) == {}


# --- points per criterion ------------------------------------------------------------


def test_fixed_bands_score_by_their_thresholds():
    days_late = np.array([0.0, 20.0, 45.0, 90.0])
    points = criterion_points(
        criterion(mapping="bands", bands=[7, 30, 60], higher_is_better=False), days_late
    )
    assert points.tolist() == [10.0, 7.0, 4.0, 1.0]


def test_fixed_bands_where_higher_is_better():
    revenue = np.array([5_000.0, 50_000.0, 500_000.0])
    points = criterion_points(criterion(mapping="bands", bands=[10_000, 100_000]), revenue)
    assert points.tolist() == [1.0, 5.5, 10.0]


def test_band_thresholds_saved_as_text_are_read_as_numbers():
    # The JSON field may hold what a form posted.
    points = criterion_points(criterion(mapping="bands", bands=["7", "30.5"]), np.array([30.0]))
    assert points.tolist() == [5.5]


def test_bands_without_thresholds_fall_back_to_percentiles():
    points = criterion_points(criterion(mapping="bands", bands=[]), np.array([10.0, 30.0, 20.0]))
    assert points.tolist() == [1.0, 10.0, 5.5]


def test_percentiles_follow_higher_is_better():
    values = np.array([10.0, 30.0, 20.0])
    assert criterion_points(criterion(), values).tolist() == [1.0, 10.0, 5.5]
    assert criterion_points(criterion(higher_is_better=False), values).tolist() == [10.0, 1.0, 5.5]


def test_unknown_values_take_no_rank_among_the_known():
    # Nothing fell due for the first customer: the two known values spread over 1..10.
    points = criterion_points(criterion(higher_is_better=False), np.array([nan, 3.0, 40.0]))
    assert np.isnan(points[0])
    assert points[1:].tolist() == [10.0, 1.0]
    assert np.isnan(criterion_points(criterion(), np.array([nan, nan]))).all()


def test_unknown_values_score_the_minimum_in_bands_too():
    points = criterion_points(
        criterion(mapping="bands", bands=[7, 30, 60], higher_is_better=False),
        np.array([nan, 3.0]),
    )
    assert points.tolist() == [1.0, 10.0]


# --- weighted totals -------------------------------------------------------------------


@pytest.fixture
def mixed_model(company):
    """Payment discipline from data (lower days late is better), cultural fit from people."""
    model = ScoringModel.objects.create(name="Mixed")
    ScoringCriterion.objects.create(
        scoring_model=model,
        criterion="payment_discipline",
        weight=Decimal("3"),
        metric="days_late",
        higher_is_better=False,
    )
    ScoringCriterion.objects.create(
        scoring_model=model, criterion="cultural_fit", weight=Decimal("1"), source="people"
    )
    score(company["b"], "cultural_fit", 8, company["head"])
    return model


def test_score_table_joins_data_and_people(company, mixed_model):
    accounts = [company["a"], company["b"], company["c"]]
    table = score_table(mixed_model, metrics_for(accounts, [100, 200, 300], [30.0, 5.0, nan]))
    assert table.names == ["payment_discipline", "cultural_fit"]
    assert table.weights == {"payment_discipline": 3.0, "cultural_fit": 1.0}
    assert table.normalised.tolist() == [0.75, 0.25]
    # B paid faster than A; C has no payment record and nobody scored A or C by hand.
    assert table.points.tolist() == [[1.0, 10.0, 1.0], [1.0, 8.0, 1.0]]
    assert np.isnan(table.raw_points["payment_discipline"][2])
    assert np.isnan(table.raw_points["cultural_fit"][0])
    assert table.values["payment_discipline"][:2].tolist() == [30.0, 5.0]
    assert table.values["cultural_fit"][1] == 8.0
    assert table.totals.tolist() == [1.0, 0.75 * 10 + 0.25 * 8, 1.0]


def test_score_cards_explain_the_table(company, mixed_model):
    accounts = [company["a"], company["b"], company["c"]]
    cards = score_customers(mixed_model, metrics_for(accounts, [100, 200, 300], [30.0, 5.0, nan]))
    assert [card.total for card in cards] == [1.0, 9.5, 1.0]
    b = cards[1]
    assert [(p.criterion, p.value, p.points, p.weight) for p in b.parts] == [
        ("payment_discipline", 5.0, 10.0, 0.75),
        ("cultural_fit", 8.0, 8.0, 0.25),
    ]


def test_given_criteria_replace_the_models_own(company, mixed_model):
    accounts = [company["a"], company["b"]]
    only_people = [c for c in mixed_model.criteria.all() if c.source == "people"]
    table = score_table(mixed_model, metrics_for(accounts, [100, 200]), only_people)
    assert table.names == ["cultural_fit"]
    assert table.totals.tolist() == [1.0, 8.0]


def test_a_model_without_criteria_scores_nobody(company):
    model = ScoringModel.objects.create(name="Empty")
    metrics = metrics_for([company["a"]], [100])
    assert score_table(model, metrics) is None
    assert score_customers(model, metrics) == []
    assert score_table(model, metrics, []) is None


def test_ranks_put_the_best_first_and_keep_ties_in_order():
    assert ranks_of(np.array([3.0, 9.0, 3.0, 5.0])).tolist() == [3, 1, 4, 2]
    assert ranks_of(np.array([2.0] * 20)).tolist() == list(range(1, 21))
    assert ranks_of(np.array([])).tolist() == []


# --- the recompute scores with the model as configured -------------------------------------


def test_a_bands_criterion_scores_payment_discipline_in_the_recompute(company):
    from openkam.portfolio.models import ScoreSnapshot
    from openkam.portfolio.recompute import recompute_portfolio

    a, b, c = company["a"], company["b"], company["c"]
    pay(invoice(a, date(2026, 8, 1), ("Paper", "100", "50")), date(2026, 9, 10))  # 10 days late
    pay(invoice(b, date(2026, 8, 1), ("Paper", "100", "50")), date(2026, 11, 10))  # 71 days
    invoice(c, date(2026, 10, 20), ("Paper", "100", "50"))  # due after the period: no record
    model = ScoringModel.objects.create(name="Bands")
    ScoringCriterion.objects.create(
        scoring_model=model,
        criterion="payment_discipline",
        weight=Decimal("1"),
        metric="days_late",
        mapping="bands",
        bands=[7, 30, 60],
        higher_is_better=False,
    )
    run = recompute_portfolio(today=TODAY)
    snapshots = ScoreSnapshot.objects.filter(run=run, scoring_model=model)
    totals = {s.account_id: float(s.total) for s in snapshots}
    assert totals == {a.pk: 7.0, b.pk: 1.0, c.pk: 1.0}


def test_score_cards_for_given_criteria(company, mixed_model):
    accounts = [company["a"], company["b"]]
    only_people = [c for c in mixed_model.criteria.all() if c.source == "people"]
    cards = score_customers(mixed_model, metrics_for(accounts, [100, 200]), only_people)
    assert [[p.criterion for p in card.parts] for card in cards] == [["cultural_fit"]] * 2
    assert [card.total for card in cards] == [1.0, 8.0]


def test_ranks_of_many_ties_keep_their_order_and_are_whole_numbers():
    # Twenty customers at 7 take ranks 1-20 in their order, the twenty at 5 ranks 21-40.
    ranks = ranks_of(np.array([5.0, 7.0] * 20))
    assert ranks.tolist() == [r for pair in zip(range(21, 41), range(1, 21)) for r in pair]
    # Written as integers: PostgreSQL's COPY refuses "1.0" for the rank column.
    assert ranks.dtype.kind == "i"


def test_entries_made_in_the_same_instant_are_told_apart_by_their_order(company):
    # An import or a quick double click can store two entries with one timestamp.
    a, head = company["a"], company["head"]
    noon = timezone.make_aware(datetime(2026, 11, 20, 12, 0))
    for points in (4, 6, 8):
        score(a, "cultural_fit", points, head, at=noon)
    score(company["b"], "cultural_fit", 2, head, at=noon)
    latest = latest_manual_points(np.array([a.pk, company["b"].pk]), ["cultural_fit"])
    assert latest["cultural_fit"].tolist() == [8, 2]
