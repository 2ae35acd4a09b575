"""ABC classes by cumulative share of value, XYZ classes by demand variability.

ABC: customers sorted by value, largest first; a customer is A while the cumulative share
*before* it is under the A threshold (so the customer that crosses 80% is still A, and the
top customer is always A), B under the B threshold, C after. Customers with no value are C.

XYZ: the coefficient of variation (population standard deviation / mean) of a customer's
monthly revenue over the period: X below the first threshold (steady), Y below the second,
Z above (erratic). A customer with no revenue in the period is Z.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from openkam.insights.arrays import Values
from openkam.insights.concentration import pareto_curve

ABC_LABELS = ("A", "B", "C")
XYZ_LABELS = ("X", "Y", "Z")


def _check_thresholds(thresholds: tuple[float, float], upper: float | None) -> None:
    low, high = thresholds
    if not 0 < low <= high or (upper is not None and high > upper):
        raise ValueError(f"thresholds must be increasing and within range: {thresholds}")


def abc_classes(values: Values, thresholds: tuple[float, float] = (0.80, 0.95)) -> np.ndarray:
    """An array of "A"/"B"/"C", one per input value, in input order."""
    _check_thresholds(thresholds, upper=1.0)
    curve = pareto_curve(values)
    n = len(curve.order)
    result = np.full(n, "C", dtype="<U1")
    if n == 0 or curve.total <= 0:
        return result
    before = np.concatenate(([0.0], curve.value_share[:-1]))
    sorted_values = np.asarray(values, dtype=float)[curve.order]
    labels = np.where(
        before < thresholds[0] - 1e-12, "A", np.where(before < thresholds[1] - 1e-12, "B", "C")
    )
    labels = np.where(sorted_values > 0, labels, "C")
    result[curve.order] = labels
    return result


def coefficient_of_variation(monthly: Values) -> np.ndarray:
    """Per row (customer) of a customers x months matrix; inf where the mean is not positive."""
    matrix = np.asarray(monthly, dtype=float)
    if matrix.ndim != 2:
        raise ValueError("monthly must be a customers x months matrix")
    mean = matrix.mean(axis=1) if matrix.shape[1] else np.zeros(matrix.shape[0])
    std = matrix.std(axis=1) if matrix.shape[1] else np.zeros(matrix.shape[0])
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(mean > 0, std / np.where(mean > 0, mean, 1.0), np.inf)


def xyz_classes(monthly: Values, thresholds: tuple[float, float] = (0.10, 0.25)) -> np.ndarray:
    _check_thresholds(thresholds, upper=None)
    cv = coefficient_of_variation(monthly)
    return np.where(cv <= thresholds[0], "X", np.where(cv <= thresholds[1], "Y", "Z")).astype("<U1")


@dataclass(frozen=True)
class MatrixCell:
    abc: str
    xyz: str
    count: int
    value: float


def abc_xyz_matrix(abc: Values, xyz: Values, values: Values) -> list[MatrixCell]:
    """The 3x3 matrix: count of customers and their value per (ABC, XYZ) cell, AX first."""
    abc_array, xyz_array = np.asarray(abc), np.asarray(xyz)
    value_array = np.asarray(values, dtype=float)
    cells = []
    for a in ABC_LABELS:
        for x in XYZ_LABELS:
            mask = (abc_array == a) & (xyz_array == x)
            cells.append(MatrixCell(a, x, int(mask.sum()), float(value_array[mask].sum())))
    return cells
