"""Weighted criteria scoring (Sales Benchmark Index): points 1-10 per criterion, weighted.

A model picks criteria, gives each a weight (normalised to sum to 1) and a way to turn a
raw value into 1-10 points: fixed bands (ascending thresholds) or percentiles within the
scored population. Points entered by people arrive already as 1-10. Every score explains
itself: value, points, weight and contribution per criterion.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

import numpy as np

from openkam.insights.arrays import Values, known_values

MIN_POINTS = 1.0
MAX_POINTS = 10.0


class Criterion(StrEnum):
    """The ten Sales Benchmark Index criteria (DOMAIN.md)."""

    PRODUCT_FIT = "product_fit"
    TRANSACTION_SIZE = "transaction_size"
    REVENUE_POTENTIAL = "revenue_potential"
    BUYING_PROCESS = "buying_process"
    PARTNERSHIP = "partnership"
    RELATIONSHIP_LENGTH = "relationship_length"
    PAYMENT_DISCIPLINE = "payment_discipline"
    REFERENCES = "references"
    CULTURAL_FIT = "cultural_fit"
    GEOGRAPHIC_FIT = "geographic_fit"


def normalise_weights(weights: Values) -> np.ndarray:
    """Weights rescaled to sum to 1; negative weights are refused, all-zero is refused."""
    array = np.asarray(weights, dtype=float)
    if (array < 0).any():
        raise ValueError("weights cannot be negative")
    total = array.sum()
    if total <= 0:
        raise ValueError("at least one weight must be positive")
    return array / total


def points_by_bands(
    values: Values, thresholds: list[float], higher_is_better: bool = True
) -> np.ndarray:
    """Points from ascending thresholds: below the first -> 1 point, at or above the
    last -> len(thresholds) + 1 points, rescaled onto 1..10. An unknown value (NaN) scores
    the minimum whichever way is better, as with percentiles."""
    if list(thresholds) != sorted(thresholds) or not thresholds:
        raise ValueError("band thresholds must be a non-empty ascending list")
    array = np.asarray(values, dtype=float)
    unknown = np.isnan(array)
    steps = np.searchsorted(np.asarray(thresholds, dtype=float), array, side="right")
    if not higher_is_better:
        steps = len(thresholds) - steps
    points = MIN_POINTS + steps * (MAX_POINTS - MIN_POINTS) / len(thresholds)
    return np.where(unknown, MIN_POINTS, points)


def points_by_percentile(values: Values, higher_is_better: bool = True) -> np.ndarray:
    """Points from the value's percentile rank in the population (ties share a rank)."""
    array = known_values(values)
    n = len(array)
    if n == 0:
        return np.empty(0)
    if n == 1:
        return np.full(1, MAX_POINTS)
    keyed = array if higher_is_better else -array
    unique, counts = np.unique(keyed, return_counts=True)
    below = np.concatenate(([0], np.cumsum(counts)[:-1]))
    # Mid-rank percentile in 0..1 so identical values get identical points.
    percentile = (below + (counts - 1) / 2) / (n - 1)
    return MIN_POINTS + percentile[np.searchsorted(unique, keyed)] * (MAX_POINTS - MIN_POINTS)


def clamp_points(points: Values) -> np.ndarray:
    return np.clip(np.asarray(points, dtype=float), MIN_POINTS, MAX_POINTS)


@dataclass(frozen=True)
class CriterionResult:
    criterion: str
    value: float | None
    points: float
    weight: float
    contribution: float


@dataclass
class ScoreCard:
    total: float
    parts: list[CriterionResult] = field(default_factory=list)


def weighted_scores(
    points: Mapping[str, Values],
    weights: Mapping[str, Decimal | float],
    values: Mapping[str, Values] | None = None,
) -> list[ScoreCard]:
    """One ScoreCard per customer: sum of points x normalised weight, with the parts.

    `points[c]` are 1-10 per customer for criterion c; missing points (NaN) count as the
    minimum, so a customer is never rewarded for what nobody knows.
    """
    names = list(weights)
    if set(points) != set(names):
        raise ValueError("points and weights must name the same criteria")
    normalised = normalise_weights([weights[name] for name in names])
    matrix = (
        np.vstack(
            [
                clamp_points(np.nan_to_num(np.asarray(points[name], dtype=float), nan=MIN_POINTS))
                for name in names
            ]
        )
        if names
        else np.empty((0, 0))
    )
    totals = (matrix * normalised[:, None]).sum(axis=0) if names else np.empty(0)
    cards = []
    for customer, total in enumerate(totals):
        parts = [
            CriterionResult(
                criterion=name,
                value=_value_of(values, name, customer),
                points=float(matrix[row, customer]),
                weight=float(normalised[row]),
                contribution=float(matrix[row, customer] * normalised[row]),
            )
            for row, name in enumerate(names)
        ]
        cards.append(ScoreCard(total=float(total), parts=parts))
    return cards


def _value_of(values: Mapping[str, Values] | None, name: str, customer: int) -> float | None:
    if not values or name not in values:
        return None
    value = float(np.asarray(values[name], dtype=float)[customer])
    return None if np.isnan(value) else value
