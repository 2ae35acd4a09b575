from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from openkam.insights.rfm import quintile_scores, rfm_scores


def test_ten_customers_fall_two_per_quintile():
    assert list(quintile_scores(range(10))) == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


def test_recency_scores_fewer_days_higher():
    scores = rfm_scores([1, 400, 30, 90, 10], [5, 1, 3, 2, 4], [500, 10, 300, 20, 400])
    assert list(scores.recency) == [5, 1, 3, 2, 4]
    assert scores.codes[0] == "555"
    assert scores.codes[1] == "111"


def test_ties_share_a_score():
    scores = quintile_scores([7, 7, 7, 7, 7])
    assert len(set(scores)) == 1


@given(st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=300))
def test_scores_stay_within_one_to_five_and_respect_order(values):
    scores = quintile_scores(values)
    assert scores.min() >= 1 and scores.max() <= 5
    order = np.argsort(values, kind="stable")
    assert np.all(np.diff(scores[order]) >= 0)
