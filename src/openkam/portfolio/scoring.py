"""Score customers under a scoring model: data criteria from metrics, people's from entries."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.db.models import OuterRef, Subquery

from openkam.insights.scoring import (
    MIN_POINTS,
    ScoreCard,
    clamp_points,
    normalise_weights,
    points_by_bands,
    points_by_percentile,
    weighted_scores,
)
from openkam.portfolio.compute import CustomerMetrics
from openkam.portfolio.models import ManualScore, ScoringCriterion, ScoringModel


def latest_manual_points(account_ids: np.ndarray, criteria: list[str]) -> dict[str, np.ndarray]:
    """criterion -> points per account (NaN where nobody entered any)."""
    result = {name: np.full(len(account_ids), np.nan) for name in criteria}
    if not criteria:
        return result
    position = {pk: i for i, pk in enumerate(account_ids.tolist())}
    newest = (
        ManualScore.objects.filter(
            account_id=OuterRef("account_id"), criterion=OuterRef("criterion")
        )
        .order_by("-entered_at", "-id")
        .values("pk")[:1]
    )
    rows = (
        ManualScore.objects.filter(criterion__in=criteria)
        .filter(pk=Subquery(newest))
        .values_list("account_id", "criterion", "points")
    )
    for account_id, criterion, points in rows:
        if account_id in position:
            result[criterion][position[account_id]] = points
    return result


def criterion_points(criterion: ScoringCriterion, values: np.ndarray) -> np.ndarray:
    if criterion.mapping == ScoringCriterion.Mapping.BANDS and criterion.bands:
        return points_by_bands(
            values, [float(b) for b in criterion.bands], higher_is_better=criterion.higher_is_better
        )
    # Unknown values (e.g. no invoice fell due) score the minimum, not a middle rank.
    known = ~np.isnan(values)
    points = np.full(len(values), np.nan)
    if known.any():
        points[known] = points_by_percentile(
            values[known], higher_is_better=criterion.higher_is_better
        )
    return points


@dataclass
class ScoreTable:
    """Scores of many customers as arrays: criterion x customer points, and the totals.

    The same numbers as `insights.scoring.weighted_scores`, without building one object
    per customer and criterion (a recompute scores tens of thousands of customers)."""

    names: list[str]
    weights: dict[str, float]  # as given by the model
    normalised: np.ndarray  # one per criterion, summing to 1
    raw_points: dict[str, np.ndarray]  # NaN where unknown
    points: np.ndarray  # criteria x customers, 1-10 (unknown -> the minimum)
    values: dict[str, np.ndarray]
    totals: np.ndarray

    def cards(self) -> list[ScoreCard]:
        return weighted_scores(self.raw_points, self.weights, self.values)


def score_table(
    model: ScoringModel, metrics: CustomerMetrics, criteria: list[ScoringCriterion] | None = None
) -> ScoreTable | None:
    """Points per criterion and weighted totals for every row of `metrics`; None when the
    model has no criteria."""
    criteria = criteria if criteria is not None else list(model.criteria.all())
    manual = latest_manual_points(
        metrics.account_ids,
        [c.criterion for c in criteria if c.source == ScoringCriterion.Source.PEOPLE],
    )
    points, values, weights = {}, {}, {}
    for criterion in criteria:
        name = criterion.criterion
        weights[name] = float(criterion.weight)
        if criterion.source == ScoringCriterion.Source.PEOPLE:
            points[name] = manual[name]
            values[name] = manual[name]
        else:
            raw = np.asarray(metrics.metric(criterion.metric), dtype=float)
            points[name] = criterion_points(criterion, raw)
            values[name] = raw
    if not weights:
        return None
    names = list(weights)
    normalised = normalise_weights([weights[name] for name in names])
    matrix = np.vstack(
        [
            clamp_points(np.nan_to_num(np.asarray(points[n], dtype=float), nan=MIN_POINTS))
            for n in names
        ]
    )
    # The same expression as weighted_scores, so totals agree to the last bit.
    totals = (matrix * normalised[:, None]).sum(axis=0)
    return ScoreTable(names, weights, normalised, points, matrix, values, totals)


def score_customers(
    model: ScoringModel, metrics: CustomerMetrics, criteria: list[ScoringCriterion] | None = None
) -> list[ScoreCard]:
    """One ScoreCard per row of `metrics`, in the same order."""
    table = score_table(model, metrics, criteria)
    return [] if table is None else table.cards()


def ranks_of(totals: np.ndarray) -> np.ndarray:
    """1 = best; ties keep input order."""
    order = np.argsort(-totals, kind="stable")
    ranks = np.empty(len(totals), dtype=np.int64)
    ranks[order] = np.arange(1, len(totals) + 1)
    return ranks
