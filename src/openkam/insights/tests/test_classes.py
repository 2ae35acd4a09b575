"""ABC / XYZ classes: hand-computed cases and monotonicity."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from openkam.insights.classes import (
    abc_classes,
    abc_xyz_matrix,
    coefficient_of_variation,
    xyz_classes,
)
from openkam.insights.concentration import pareto_curve


def test_abc_by_hand():
    # cumulative before each (sorted): 0, .50, .75, .85, .93, .97, .99
    values = [25, 50, 10, 8, 4, 2, 1]
    assert list(abc_classes(values)) == ["A", "A", "A", "B", "B", "C", "C"]


def test_custom_thresholds():
    assert list(abc_classes([60, 30, 10], thresholds=(0.5, 0.9))) == ["A", "B", "C"]


def test_customers_without_revenue_are_c():
    assert list(abc_classes([100, 0, 0])) == ["A", "C", "C"]


def test_bad_thresholds_are_refused():
    with pytest.raises(ValueError):
        abc_classes([1, 2], thresholds=(0.95, 0.8))


def test_xyz_by_hand():
    monthly = [
        [100, 100, 100, 100],  # cv 0 -> X
        [80, 120, 80, 120],  # cv 0.2 -> Y
        [0, 0, 0, 400],  # cv ~1.73 -> Z
        [0, 0, 0, 0],  # nothing bought -> Z
    ]
    assert coefficient_of_variation(monthly)[1] == pytest.approx(0.2)
    assert list(xyz_classes(monthly)) == ["X", "Y", "Z", "Z"]


def test_matrix_counts_and_values():
    cells = abc_xyz_matrix(["A", "A", "B"], ["X", "Z", "X"], [10.0, 5.0, 2.0])
    by_key = {(c.abc, c.xyz): (c.count, c.value) for c in cells}
    assert len(cells) == 9
    assert by_key[("A", "X")] == (1, 10.0)
    assert by_key[("A", "Z")] == (1, 5.0)
    assert by_key[("B", "X")] == (1, 2.0)
    assert by_key[("C", "Y")] == (0, 0.0)


@given(st.lists(st.floats(min_value=0, max_value=1e7, allow_nan=False), min_size=1, max_size=200))
def test_classes_are_monotone_in_cumulative_share(values):
    classes = abc_classes(values)
    ordered = classes[pareto_curve(values).order]
    rank = {"A": 0, "B": 1, "C": 2}
    assert all(rank[a] <= rank[b] for a, b in zip(ordered, ordered[1:]))
    if sum(values) > 0:
        assert classes[int(np.argmax(values))] == "A"


# --- thresholds as the analysis settings may give them --------------------------------


def test_a_customer_starting_exactly_at_the_a_threshold_is_b():
    # Before the second customer exactly 50% is covered: A stops there, B stops at 80%.
    assert list(abc_classes([50, 30, 20], thresholds=(0.5, 0.8))) == ["A", "B", "C"]


def test_rounding_noise_in_the_cumulative_share_does_not_move_a_customer_up():
    # 0.60 of 0.75 is exactly 80%, which floats compute as 0.7999999999999999: the second
    # customer starts at the A threshold, so it is B, not A.
    assert list(abc_classes([0.6, 0.1, 0.05])) == ["A", "B", "B"]


def test_equal_a_and_b_thresholds_leave_no_b_class():
    assert list(abc_classes([60, 30, 10], thresholds=(0.5, 0.5))) == ["A", "C", "C"]


def test_a_b_threshold_of_one_makes_every_customer_with_value_a_or_b():
    assert list(abc_classes([60, 30, 10, 0], thresholds=(0.5, 1.0))) == ["A", "B", "B", "C"]


@pytest.mark.parametrize("thresholds", [(0.0, 0.9), (0.8, 1.5), (-0.1, 0.5)])
def test_thresholds_outside_zero_to_one_are_refused(thresholds):
    with pytest.raises(ValueError, match="thresholds must be increasing and within range"):
        abc_classes([1, 2], thresholds=thresholds)


def test_xyz_thresholds_need_no_upper_bound_but_must_increase():
    # A coefficient of variation can exceed 1, so a Y limit of 1.5 is fine.
    assert list(xyz_classes([[0, 0, 0, 400]], thresholds=(1.0, 2.0))) == ["Y"]
    with pytest.raises(ValueError, match="thresholds must be increasing"):
        xyz_classes([[1, 1]], thresholds=(0.3, 0.2))


def test_nobody_with_value_makes_everyone_c():
    assert list(abc_classes([0, 0, 0])) == ["C", "C", "C"]
    assert list(abc_classes([-5, 0])) == ["C", "C"]
    assert list(abc_classes([])) == []


def test_unknown_revenue_counts_as_none():
    # A customer whose figure is missing (NULL from the database) is C, the others as usual.
    assert list(abc_classes([100, None, 50])) == ["A", "C", "A"]
    assert list(abc_classes([100, float("nan"), 50])) == ["A", "C", "A"]


def test_xyz_at_the_thresholds_takes_the_steadier_class():
    # cv exactly 0.1 is still X, exactly 0.25 still Y (limits are inclusive).
    steady = [90, 110, 90, 110]  # mean 100, std 10 -> cv 0.1
    wobbly = [75, 125, 75, 125]  # mean 100, std 25 -> cv 0.25
    assert coefficient_of_variation([steady, wobbly]) == pytest.approx([0.1, 0.25])
    assert list(xyz_classes([steady, wobbly])) == ["X", "Y"]
    assert list(xyz_classes([steady, wobbly], thresholds=(0.05, 0.2))) == ["Y", "Z"]


def test_cv_of_a_customer_with_small_revenue_is_still_measured():
    # A mean below one is a mean like any other: 0.2 and 0.6 vary by 50% around 0.4.
    assert coefficient_of_variation([[0.2, 0.6]])[0] == pytest.approx(0.5)
    assert coefficient_of_variation([[0.2, 0.2]])[0] == 0.0


def test_cv_without_positive_mean_is_infinite():
    # Nothing bought, or more returned than bought: no steadiness to speak of (Z).
    cv = coefficient_of_variation([[0, 0, 0], [-10, 0, 4]])
    assert np.isinf(cv).all()
    assert list(xyz_classes([[0, 0, 0], [-10, 0, 4]])) == ["Z", "Z"]


def test_cv_of_a_period_without_months():
    # No months (a period not begun): Z for everyone, without NumPy's empty-mean warning.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cv = coefficient_of_variation(np.zeros((3, 0)))
    assert cv.shape == (3,)
    assert np.isinf(cv).all()


def test_cv_of_money_as_decimal():
    from decimal import Decimal

    monthly = [[Decimal("80"), Decimal("120")], [Decimal("0"), Decimal("0")]]
    cv = coefficient_of_variation(monthly)
    assert cv[0] == pytest.approx(0.2)
    assert np.isinf(cv[1])


def test_monthly_figures_must_be_a_matrix():
    with pytest.raises(ValueError, match=r"^monthly must be a customers x months matrix\Z"):
        coefficient_of_variation([100, 200])


def test_matrix_sums_money_as_decimal():
    from decimal import Decimal

    cells = abc_xyz_matrix(["A", "A"], ["X", "X"], [Decimal("10.5"), Decimal("2.25")])
    assert cells[0].value == 12.75
    assert isinstance(cells[0].value, float)


def test_an_unknown_value_leaves_its_cell_unknown():
    # Rows as the database hands them over: None for a figure nobody has.
    cells = abc_xyz_matrix(["A", "C"], ["X", "Z"], [10.0, None])
    by_key = {(c.abc, c.xyz): (c.count, c.value) for c in cells}
    assert by_key[("A", "X")] == (1, 10.0)
    count, value = by_key[("C", "Z")]
    assert count == 1 and np.isnan(value)
