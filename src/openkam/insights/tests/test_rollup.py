from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from openkam.insights.rollup import group_sums


def test_group_of_three_levels_sums_its_members():
    # members 0 (root), 1 (child), 2 (grandchild) in group 0; member 3 alone.
    ids, sums = group_sums([100.0, 20.0, 5.0, 7.0], [0, 0, 0, 3])
    assert list(ids) == [0, 3]
    assert list(sums) == [125.0, 7.0]


def test_monthly_matrix_rolls_up_per_month():
    ids, sums = group_sums([[1, 2], [3, 4], [5, 6]], [9, 9, 4])
    assert list(ids) == [4, 9]
    assert sums.tolist() == [[5, 6], [4, 6]]


@given(
    st.lists(
        st.tuples(
            st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
            st.integers(min_value=0, max_value=5),
        ),
        min_size=1,
        max_size=100,
    )
)
def test_rollup_preserves_the_total_and_each_group_equals_its_members(pairs):
    values = np.array([v for v, _ in pairs])
    groups = np.array([g for _, g in pairs])
    ids, sums = group_sums(values, groups)
    assert sums.sum() == pytest.approx(values.sum(), abs=1e-6)
    for group_id, total in zip(ids, sums):
        assert total == pytest.approx(values[groups == group_id].sum(), abs=1e-6)


def test_money_as_decimal_rolls_up():
    from decimal import Decimal

    ids, sums = group_sums([Decimal("10.50"), Decimal("2.25"), Decimal("1.00")], [7, 7, 8])
    assert list(ids) == [7, 8]
    assert sums.tolist() == [12.75, 1.0]


def test_every_member_needs_a_group():
    with pytest.raises(ValueError, match=r"^values and group_of must have the same length\Z"):
        group_sums([1.0, 2.0], [0])
