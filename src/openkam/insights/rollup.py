"""Roll values up a group hierarchy: a group is judged as one customer.

Members are given as (member index -> group index) where the group index points at the
group's root member. Sums are additive, so a group's value is exactly the sum of its
members' values, at any depth of the hierarchy (the caller passes the root, not the parent).
"""

from __future__ import annotations

import numpy as np

from openkam.insights.arrays import Values


def group_sums(values: Values, group_of: Values) -> tuple[np.ndarray, np.ndarray]:
    """(group ids, summed values), group ids ascending.

    `values` may be 1-D (one value per member) or 2-D (members x months).
    """
    array = np.asarray(values, dtype=float)
    groups = np.asarray(group_of)
    if len(groups) != len(array):
        raise ValueError("values and group_of must have the same length")
    ids, inverse = np.unique(groups, return_inverse=True)
    shape = (len(ids),) + array.shape[1:]
    sums = np.zeros(shape)
    np.add.at(sums, inverse, array)
    return ids, sums
