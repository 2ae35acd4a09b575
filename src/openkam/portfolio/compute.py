"""Turn ledger figures into per-customer metrics and classes, for entities and for groups.

Pure NumPy on the arrays from `ledger_figures` plus the `insights` functions; the only
Django-aware thing here is the shape of the input. A group (its root account) is judged as
one customer: additive figures are summed over its members, distinct product lines are
counted over the whole group, lateness is averaged over all the group's invoices.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

import numpy as np

from openkam.insights.classes import abc_classes, coefficient_of_variation, xyz_classes
from openkam.insights.concentration import pareto_curve
from openkam.insights.rfm import rfm_scores
from openkam.insights.rollup import group_sums
from openkam.portfolio.ledger_figures import LedgerFigures


@dataclass
class CustomerMetrics:
    """One row per customer (an entity or a group root), aligned arrays."""

    account_ids: np.ndarray
    revenue: np.ndarray
    margin: np.ndarray
    revenue_prev: np.ndarray
    growth: np.ndarray  # NaN where there was nothing the year before
    invoice_count: np.ndarray
    avg_invoice: np.ndarray
    product_lines: np.ndarray
    first_invoice: np.ndarray  # ordinal day, 0 = never
    last_invoice: np.ndarray
    relationship_days: np.ndarray
    avg_days_late: np.ndarray  # NaN where nothing fell due
    worst_days_late: np.ndarray  # NaN where nothing fell due
    variation: np.ndarray
    abc: np.ndarray
    xyz: np.ndarray
    rfm_recency: np.ndarray
    rfm_frequency: np.ndarray
    rfm_monetary: np.ndarray
    revenue_share: np.ndarray
    cumulative_share: np.ndarray

    def __len__(self) -> int:
        return len(self.account_ids)

    def take(self, rows: np.ndarray) -> CustomerMetrics:
        """The metrics of some customers only (a boolean mask or index array)."""
        return CustomerMetrics(**{f.name: getattr(self, f.name)[rows] for f in fields(self)})

    def metric(self, name: str) -> np.ndarray:
        """A scoring metric by name (portfolio.models.Metric values)."""
        if name == "relationship_years":
            return self.relationship_days / 365.25
        if name == "days_late":
            return self.avg_days_late
        if name == "potential":
            trend = np.clip(np.nan_to_num(self.growth, nan=0.0), -1.0, 1.0)
            return self.revenue * (1 + trend)
        return getattr(self, name)


@dataclass(frozen=True)
class Thresholds:
    abc: tuple[float, float] = (0.80, 0.95)
    xyz: tuple[float, float] = (0.10, 0.25)


def entity_metrics(figures: LedgerFigures, today: date, thresholds: Thresholds) -> CustomerMetrics:
    # The pairs are distinct already (SELECT DISTINCT), so counting rows counts lines.
    lines = np.bincount(figures.product_line_rows, minlength=len(figures.account_ids))
    lines = lines.astype(float)
    return _finish(
        account_ids=figures.account_ids,
        monthly_revenue=figures.monthly_revenue,
        monthly_margin=figures.monthly_margin,
        revenue_prev=figures.revenue_prev,
        invoice_count=figures.invoice_count,
        invoice_total=figures.invoice_total,
        product_lines=lines,
        first_invoice=figures.first_invoice,
        last_invoice=figures.last_invoice,
        late=(figures.late_days_sum, figures.late_invoices, figures.worst_late),
        today=today,
        thresholds=thresholds,
    )


def group_metrics(figures: LedgerFigures, today: date, thresholds: Thresholds) -> CustomerMetrics:
    roots = figures.group_root_ids
    ids, monthly_revenue = group_sums(figures.monthly_revenue, roots)
    member_group = np.searchsorted(ids, roots)  # ids are the sorted distinct roots

    def total(values):
        return group_sums(values, roots)[1]

    def extreme(values, reducer, empty):
        out = np.full(len(ids), empty, dtype=float)
        reducer.at(out, member_group, values)
        return out

    first = np.where(figures.first_invoice > 0, figures.first_invoice.astype(float), np.inf)
    first_group = extreme(first, np.minimum, np.inf)
    lines = _distinct_lines_per_group(
        member_group[figures.product_line_rows], figures.product_line_codes, len(ids)
    )
    return _finish(
        account_ids=ids,
        monthly_revenue=monthly_revenue,
        monthly_margin=total(figures.monthly_margin),
        revenue_prev=total(figures.revenue_prev),
        invoice_count=total(figures.invoice_count),
        invoice_total=total(figures.invoice_total),
        product_lines=lines,
        first_invoice=np.where(np.isfinite(first_group), first_group, 0).astype(np.int64),
        last_invoice=extreme(figures.last_invoice.astype(float), np.maximum, 0).astype(np.int64),
        late=(
            total(figures.late_days_sum),
            total(figures.late_invoices),
            extreme(figures.worst_late, np.maximum, -1.0),
        ),
        today=today,
        thresholds=thresholds,
    )


def _distinct_lines_per_group(groups: np.ndarray, codes: np.ndarray, count: int) -> np.ndarray:
    """How many different product lines each group bought, over all its members."""
    if len(codes) == 0:
        return np.zeros(count)
    pairs = np.unique(groups * (int(codes.max()) + 1) + codes)
    return np.bincount(pairs // (int(codes.max()) + 1), minlength=count).astype(float)


def _finish(
    *,
    account_ids,
    monthly_revenue,
    monthly_margin,
    revenue_prev,
    invoice_count,
    invoice_total,
    product_lines,
    first_invoice,
    last_invoice,
    late,
    today,
    thresholds,
) -> CustomerMetrics:
    revenue = monthly_revenue.sum(axis=1)
    late_sum, late_count, worst = late
    today_ordinal = today.toordinal()
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = np.where(revenue_prev > 0, revenue / revenue_prev - 1, np.nan)
        avg_invoice = np.where(invoice_count > 0, invoice_total / invoice_count, 0.0)
        avg_late = np.where(late_count > 0, late_sum / late_count, np.nan)
    # Never bought: less recent than anyone who ever did, however long ago.
    recency = np.where(last_invoice > 0, today_ordinal - last_invoice, np.inf)
    rfm = rfm_scores(recency, invoice_count, revenue)
    curve = pareto_curve(revenue)
    share = np.zeros(len(revenue))
    cumulative = np.zeros(len(revenue))
    if curve.total > 0:
        share = np.clip(revenue, 0, None) / curve.total
        cumulative[curve.order] = curve.value_share
    return CustomerMetrics(
        account_ids=account_ids,
        revenue=revenue,
        margin=monthly_margin.sum(axis=1),
        revenue_prev=revenue_prev,
        growth=growth,
        invoice_count=invoice_count,
        avg_invoice=avg_invoice,
        product_lines=product_lines,
        first_invoice=first_invoice,
        last_invoice=last_invoice,
        relationship_days=np.where(first_invoice > 0, today_ordinal - first_invoice, 0),
        avg_days_late=avg_late,
        worst_days_late=np.where(worst >= 0, worst, np.nan),
        variation=coefficient_of_variation(monthly_revenue),
        abc=abc_classes(revenue, thresholds.abc),
        xyz=xyz_classes(monthly_revenue, thresholds.xyz),
        rfm_recency=rfm.recency,
        rfm_frequency=rfm.frequency,
        rfm_monetary=rfm.monetary,
        revenue_share=share,
        cumulative_share=cumulative,
    )
