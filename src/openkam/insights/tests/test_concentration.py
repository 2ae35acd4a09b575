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


def test_pareto_curve_shares_of_customers_and_value():
    curve = pareto_curve([10, 70, 20])
    assert curve.customer_share.tolist() == pytest.approx([1 / 3, 2 / 3, 1.0])
    assert curve.value_share.tolist() == pytest.approx([0.7, 0.9, 1.0])
    assert curve.total == 100.0


def test_pareto_curve_of_nobody_or_of_no_sales():
    empty = pareto_curve([])
    assert len(empty.order) == len(empty.customer_share) == len(empty.value_share) == 0
    assert empty.customers_for_share(0.8) == 0
    nothing = pareto_curve([0, 0, 0])
    assert nothing.value_share.tolist() == [0.0, 0.0, 0.0]
    assert nothing.customer_share.tolist() == pytest.approx([1 / 3, 2 / 3, 1.0])
    assert nothing.customers_for_share(0.8) == 0


def test_customers_for_share_with_small_totals_and_a_single_customer():
    # Totals below one (shares, or revenue in thousands) are totals like any other.
    assert pareto_curve([0.5, 0.3, 0.2]).customers_for_share(0.8) == 2
    assert pareto_curve([250.0]).customers_for_share(0.8) == 1


def test_ties_keep_the_input_order():
    # Pages list customers in curve order: equal revenue must not shuffle between runs.
    values = [100.0, 200.0] * 50
    order = pareto_curve(values).order.tolist()
    assert order == list(range(1, 100, 2)) + list(range(0, 100, 2))


def test_unknown_revenue_counts_as_nothing():
    assert herfindahl([float("nan"), 50, 50]) == pytest.approx(0.5)
    assert top_share([None, 60, 40], 0.33) == pytest.approx(0.6)
    assert pareto_curve([None, 60, 40]).total == 100.0


def test_revenue_as_decimal_money():
    from decimal import Decimal

    values = [Decimal("50.00"), Decimal("30.00"), Decimal("20.00")]
    assert top_share(values, 0.33) == pytest.approx(0.5)
    assert pareto_curve(values).value_share.tolist() == pytest.approx([0.5, 0.8, 1.0])
    assert herfindahl(values) == pytest.approx(0.38)


def test_values_must_be_one_dimensional():
    with pytest.raises(ValueError, match=r"^values must be one-dimensional\Z"):
        pareto_curve([[1, 2], [3, 4]])


def test_top_share_at_the_edges_of_the_fraction():
    values = [50, 30, 20]
    assert top_share(values, 1.0) == pytest.approx(1.0)
    assert top_share(values, 0.0) == 0.0
    for fraction in (-0.1, 1.5):
        with pytest.raises(ValueError, match=r"^top_fraction must be between 0 and 1\Z"):
            top_share(values, fraction)


def test_top_share_forgives_float_noise_in_the_fraction():
    # 30% of ten customers is three customers, also when the fraction carries noise from
    # arithmetic on percentages; a real fourth customer is more than a billionth away.
    values = [40, 20, 10, 10, 5, 5, 4, 3, 2, 1]
    assert top_share(values, 0.3 + 2e-11) == pytest.approx(0.7)
    assert top_share(values, 0.31) == pytest.approx(0.8)


def test_herfindahl_of_one_customer_and_of_no_sales():
    assert herfindahl([5]) == 1.0
    assert herfindahl([5], normalized=True) == 1.0
    assert herfindahl([50, 50], normalized=True) == pytest.approx(0.0)
    assert herfindahl([0, 0]) == 0.0
    assert herfindahl([0, 0], normalized=True) == 0.0
