"""Revenue concentration: Pareto curve, share of the top N%, Herfindahl index.

Pure functions over arrays (no Django): values are per-customer revenue or margin for one
period. Negative totals (a customer who returned more than they bought) count as zero
when measuring concentration, since a share of revenue below zero has no meaning there.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from openkam.insights.arrays import Values


def _clean(values: Values) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.ndim != 1:
        raise ValueError("values must be one-dimensional")
    return np.clip(np.nan_to_num(array, nan=0.0), 0.0, None)


@dataclass(frozen=True)
class ParetoCurve:
    """Customers sorted by value, largest first, with cumulative shares.

    `order[i]` is the index (into the input) of the i-th largest customer;
    `customer_share[i]` = (i + 1) / n and `value_share[i]` = cumulative share of value.
    """

    order: np.ndarray
    customer_share: np.ndarray
    value_share: np.ndarray
    total: float

    def customers_for_share(self, share: float) -> int:
        """How many of the largest customers it takes to reach `share` of the value."""
        if self.total <= 0 or len(self.order) == 0:
            return 0
        return int(np.searchsorted(self.value_share, share - 1e-12) + 1)


def pareto_curve(values: Values) -> ParetoCurve:
    clean = _clean(values)
    # Stable sort on the negated values keeps ties in input order (deterministic pages).
    order = np.argsort(-clean, kind="stable")
    total = float(clean.sum())
    n = len(clean)
    customer_share = np.arange(1, n + 1) / n if n else np.empty(0)
    value_share = np.cumsum(clean[order]) / total if total > 0 else np.zeros(n)
    return ParetoCurve(
        order=order, customer_share=customer_share, value_share=value_share, total=total
    )


def top_share(values: Values, top_fraction: float) -> float:
    """Share of the total held by the largest `top_fraction` of customers (0..1).

    The count of customers is rounded up, so "top 20%" of 7 customers is the top 2.
    """
    if not 0 <= top_fraction <= 1:
        raise ValueError("top_fraction must be between 0 and 1")
    curve = pareto_curve(values)
    n = len(curve.order)
    if n == 0 or curve.total <= 0:
        return 0.0
    count = int(np.ceil(round(top_fraction * n, 9)))
    return float(curve.value_share[count - 1]) if count else 0.0


def herfindahl(values: Values, normalized: bool = False) -> float:
    """Herfindahl-Hirschman index: the sum of squared shares (1/n .. 1).

    With `normalized`, rescaled to 0..1 as (H - 1/n) / (1 - 1/n).
    """
    clean = _clean(values)
    total = clean.sum()
    n = len(clean)
    if total <= 0 or n == 0:
        return 0.0
    index = float(np.square(clean / total).sum())
    if not normalized:
        return index
    if n == 1:
        return 1.0
    return (index - 1 / n) / (1 - 1 / n)
