"""RFM: recency, frequency and monetary value, each scored 1-5 by quintile (5 is best).

Recency is days since the last purchase (fewer is better); frequency is the number of
invoices; monetary is revenue. Scores come from ranks, so ties share a score and a
customer set of any size gets all five scores used as evenly as its ties allow.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from openkam.insights.arrays import Values, known_values


def quintile_scores(values: Values, higher_is_better: bool = True) -> np.ndarray:
    """1..5 per value by quintile of its average rank (ties get the same score)."""
    array = known_values(values)
    n = len(array)
    if n == 0:
        return np.empty(0, dtype=int)
    keyed = array if higher_is_better else -array
    ranks = _average_ranks(keyed)  # 1..n, ascending
    scores = np.ceil(ranks * 5 / n).astype(int)
    return np.clip(scores, 1, 5)


def _average_ranks(values: np.ndarray) -> np.ndarray:
    """1-based ranks, ascending; tied values share the average of their ranks."""
    unique, counts = np.unique(values, return_counts=True)
    first = np.concatenate(([0], np.cumsum(counts)[:-1]))  # position of each value when sorted
    average = first + (counts - 1) / 2 + 1
    return average[np.searchsorted(unique, values)]


@dataclass(frozen=True)
class RFMScores:
    recency: np.ndarray
    frequency: np.ndarray
    monetary: np.ndarray

    @property
    def codes(self) -> list[str]:
        """ "555" for the best customers, "111" for the lapsed small ones."""
        return [f"{r}{f}{m}" for r, f, m in zip(self.recency, self.frequency, self.monetary)]


def rfm_scores(days_since_last: Values, invoice_counts: Values, revenue: Values) -> RFMScores:
    return RFMScores(
        recency=quintile_scores(days_since_last, higher_is_better=False),
        frequency=quintile_scores(invoice_counts),
        monetary=quintile_scores(revenue),
    )
