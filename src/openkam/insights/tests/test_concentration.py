"""Concentration against hand-computed cases, and properties that must always hold."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from openkam.insights.concentration import herfindahl, pareto_curve, top_share

revenues = st.lists(
    st.floats(min_value=0, max_value=1e9, allow_nan=False), min_size=1, max_size=300
)


def test_top_20_percent_of_ten_customers_by_hand():
    values = [50, 30, 5, 5, 4, 2, 1, 1, 1, 1]  # total 100
    assert top_share(values, 0.2) == pytest.approx(0.80)
    assert top_share(values, 0.1) == pytest.approx(0.50)


def test_top_fraction_rounds_the_customer_count_up():
    assert top_share([4, 3, 2, 1, 0, 0, 0], 0.2) == pytest.approx(0.7)  # top 2 of 7


def test_customers_needed_for_eighty_percent():
    curve = pareto_curve([10, 70, 20])
    assert list(curve.order) == [1, 2, 0]
    assert curve.customers_for_share(0.8) == 2
    assert curve.customers_for_share(0.7) == 1


def test_herfindahl_by_hand():
    assert herfindahl([50, 50]) == pytest.approx(0.5)
    assert herfindahl([60, 30, 10]) == pytest.approx(0.36 + 0.09 + 0.01)
    assert herfindahl([1, 1, 1, 1], normalized=True) == pytest.approx(0.0)
    assert herfindahl([5, 0, 0], normalized=True) == pytest.approx(1.0)


def test_negative_totals_count_as_zero():
    assert top_share([100, -50], 0.5) == pytest.approx(1.0)


def test_nothing_sold_gives_zero_shares():
    assert top_share([0, 0, 0], 0.2) == 0.0
    assert herfindahl([]) == 0.0


@given(revenues)
def test_cumulative_share_ends_at_one_and_never_falls(values):
    curve = pareto_curve(values)
    if curve.total > 0:
        assert curve.value_share[-1] == pytest.approx(1.0)
        assert np.all(np.diff(curve.value_share) >= -1e-12)


@given(revenues)
def test_shares_sum_to_one(values):
    array = np.asarray(values)
    if array.sum() > 0:
        assert (array / array.sum()).sum() == pytest.approx(1.0)
        assert 1 / len(array) - 1e-9 <= herfindahl(values) <= 1 + 1e-9


@given(revenues, st.floats(min_value=0, max_value=1))
def test_top_share_is_at_least_the_customer_share(values, fraction):
    # The largest x% of customers always hold at least x% of the value.
    if sum(values) > 0:
        assert top_share(values, fraction) >= fraction - 1e-9
