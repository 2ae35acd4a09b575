from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from openkam.insights.scoring import (
    normalise_weights,
    points_by_bands,
    points_by_percentile,
    weighted_scores,
)


def test_bands_map_onto_one_to_ten():
    points = points_by_bands([0, 10_000, 50_000, 200_000], thresholds=[10_000, 100_000, 150_000])
    assert list(points) == [1.0, 4.0, 4.0, 10.0]


def test_bands_where_lower_is_better():
    days_late = points_by_bands([0, 20, 90], thresholds=[7, 30, 60], higher_is_better=False)
    assert list(days_late) == [10.0, 7.0, 1.0]


def test_percentile_points_by_hand():
    assert list(points_by_percentile([10, 20, 30])) == [1.0, 5.5, 10.0]
    assert list(points_by_percentile([5, 5])) == [5.5, 5.5]


def test_weighted_score_explains_itself():
    cards = weighted_scores(
        points={"revenue_potential": [8, 2], "payment_discipline": [4, 10]},
        weights={"revenue_potential": 3, "payment_discipline": 1},
        values={"revenue_potential": [1e6, 1e4], "payment_discipline": [35.0, 0.0]},
    )
    first = cards[0]
    assert first.total == pytest.approx(8 * 0.75 + 4 * 0.25)
    revenue = first.parts[0]
    assert (revenue.criterion, revenue.value, revenue.points, revenue.weight) == (
        "revenue_potential",
        1e6,
        8.0,
        0.75,
    )
    assert sum(p.contribution for p in first.parts) == pytest.approx(first.total)


def test_unknown_points_count_as_the_minimum():
    cards = weighted_scores(points={"cultural_fit": [np.nan]}, weights={"cultural_fit": 1})
    assert cards[0].total == 1.0


def test_weights_must_be_positive():
    with pytest.raises(ValueError):
        normalise_weights([0, 0])
    with pytest.raises(ValueError):
        normalise_weights([1, -1])


weights = st.lists(st.floats(min_value=0.01, max_value=100), min_size=1, max_size=10)


@given(weights)
def test_weights_normalise_to_one(raw):
    assert normalise_weights(raw).sum() == pytest.approx(1.0)


@given(
    st.lists(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), min_size=1, max_size=100),
    weights,
)
def test_scores_stay_within_one_and_ten(values, raw_weights):
    points = {f"c{i}": points_by_percentile(values) for i in range(len(raw_weights))}
    cards = weighted_scores(points, {f"c{i}": w for i, w in enumerate(raw_weights)})
    assert all(1.0 - 1e-9 <= card.total <= 10.0 + 1e-9 for card in cards)
