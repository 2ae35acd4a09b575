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


def test_tied_customers_share_the_score_of_their_middle_rank():
    # Four customers tie at the bottom: ranks 1-4 average to 2.5 of 5, the middle quintile.
    assert list(quintile_scores([1, 1, 1, 1, 2])) == [3, 3, 3, 3, 5]
    assert list(quintile_scores([7, 7, 7, 7, 7])) == [3, 3, 3, 3, 3]
    # Two tie at the top of ten: ranks 9 and 10 average to 9.5, still the top quintile.
    assert list(quintile_scores([1, 1, 3, 4, 5, 6, 7, 8, 9, 10])) == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


def test_lower_is_better_reverses_the_scores():
    assert list(quintile_scores(range(10), higher_is_better=False)) == [
        5, 5, 4, 4, 3, 3, 2, 2, 1, 1,
    ]  # fmt: skip


def test_no_customers_no_scores():
    scores = quintile_scores([])
    assert len(scores) == 0
    assert scores.dtype.kind == "i"
    assert rfm_scores([], [], []).codes == []


def test_rfm_codes_read_recency_frequency_monetary():
    # Of two customers the better one scores 5 and the other 3 (rank 1 of 2 is 2.5 of 5):
    # the first bought recently but rarely and little, the second long ago, often and much.
    scores = rfm_scores([5, 300], [1, 40], [100.0, 90_000.0])
    assert scores.codes == ["533", "355"]


def test_database_decimals_score_as_their_numbers():
    from decimal import Decimal

    decimals = [Decimal("10.50"), Decimal("3"), Decimal("7.25"), Decimal("1"), Decimal("12")]
    assert list(quintile_scores(decimals)) == list(quintile_scores([10.5, 3, 7.25, 1, 12]))


def test_an_unknown_value_is_refused_not_ranked_best():
    import pytest

    with pytest.raises(
        ValueError,
        match=r"^ranks need known values: leave out the unknown ones \(None, NaN\) first$",
    ):
        quintile_scores([3.0, None, 1.0])
    with pytest.raises(
        ValueError,
        match=r"^ranks need known values: leave out the unknown ones \(None, NaN\) first$",
    ):
        quintile_scores([3.0, float("nan"), 1.0], higher_is_better=False)
