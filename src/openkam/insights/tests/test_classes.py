"""ABC / XYZ classes: hand-computed cases and monotonicity."""

from __future__ import annotations

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
