"""From ledger figures to per-customer metrics and classes, on figures written by hand.

No database: `LedgerFigures` is what the ledger queries hand over, so the figures below are
a small company's year as those queries would return it. Today is 2026-11-23 and the
period has four months (only its length matters here).

    entity  group  revenue by month    prev  invoices  first / last invoice  late (sum, n, worst)
    10      10     100 100 100 100     100   4 (400)   1000 / 10 days ago    30, 3, 20
    11      10       0   0   0 100       0   1 (100)    100 / 20 days ago     0, 1, 0
    12      12     300   0 300   0    1200   2 (600)    400 / 40 days ago     -
    13      13       0   0   0   0      50   0          500 / 300 days ago    -
    14      12       0   0   0   0       0   0          never                 -

Product lines bought in the period: 10 paper and ink, 11 ink and toner, 12 paper.
"""

from __future__ import annotations

import warnings
from datetime import date

import numpy as np
import pytest

from openkam.portfolio.compute import Thresholds, entity_metrics, group_metrics
from openkam.portfolio.ledger_figures import LedgerFigures

TODAY = date(2026, 11, 23)
T = TODAY.toordinal()
PAPER, INK, TONER = 0, 1, 2
nan = float("nan")


def figures() -> LedgerFigures:
    return LedgerFigures(
        account_ids=np.array([10, 11, 12, 13, 14]),
        group_root_ids=np.array([10, 10, 12, 13, 12]),
        segments=["", "", "", "", ""],
        monthly_revenue=np.array(
            [
                [100.0, 100, 100, 100],
                [0, 0, 0, 100],
                [300, 0, 300, 0],
                [0, 0, 0, 0],
                [0, 0, 0, 0],
            ]
        ),
        monthly_margin=np.array(
            [[10.0, 10, 10, 10], [0, 0, 0, 50], [30, 0, 30, 0], [0, 0, 0, 0], [0, 0, 0, 0]]
        ),
        revenue_prev=np.array([100.0, 0, 1200, 50, 0]),
        invoice_count=np.array([4.0, 1, 2, 0, 0]),
        invoice_total=np.array([400.0, 100, 600, 0, 0]),
        first_invoice=np.array([T - 1000, T - 100, T - 400, T - 500, 0]),
        last_invoice=np.array([T - 10, T - 20, T - 40, T - 300, 0]),
        late_days_sum=np.array([30.0, 0, 0, 0, 0]),
        late_invoices=np.array([3.0, 1, 0, 0, 0]),
        worst_late=np.array([20.0, 0, -1, -1, -1]),
        product_line_rows=np.array([0, 0, 1, 1, 2]),
        product_line_codes=np.array([PAPER, INK, INK, TONER, PAPER]),
    )


def entities(thresholds: Thresholds | None = None):
    return entity_metrics(figures(), TODAY, thresholds or Thresholds())


def groups(thresholds: Thresholds | None = None):
    return group_metrics(figures(), TODAY, thresholds or Thresholds())


def same(actual, expected) -> bool:
    return np.allclose(np.asarray(actual, dtype=float), expected, equal_nan=True)


# --- entities --------------------------------------------------------------------------


def test_entity_money_figures():
    m = entities()
    assert m.account_ids.tolist() == [10, 11, 12, 13, 14]
    assert m.revenue.tolist() == [400, 100, 600, 0, 0]
    assert m.margin.tolist() == [40, 50, 60, 0, 0]
    assert m.revenue_prev.tolist() == [100, 0, 1200, 50, 0]
    # Growth only where there was revenue the year before.
    assert same(m.growth, [3.0, nan, -0.5, -1.0, nan])
    assert m.invoice_count.tolist() == [4, 1, 2, 0, 0]
    assert m.avg_invoice.tolist() == [100, 100, 300, 0, 0]


def test_entity_lateness_relationship_and_product_lines():
    m = entities()
    # Lateness is known only where an invoice fell due.
    assert same(m.avg_days_late, [10, 0, nan, nan, nan])
    assert same(m.worst_days_late, [20, 0, nan, nan, nan])
    assert m.first_invoice.tolist() == [T - 1000, T - 100, T - 400, T - 500, 0]
    assert m.last_invoice.tolist() == [T - 10, T - 20, T - 40, T - 300, 0]
    assert m.relationship_days.tolist() == [1000, 100, 400, 500, 0]
    assert m.product_lines.tolist() == [2, 2, 1, 0, 0]


def test_entity_shares_of_revenue():
    m = entities()
    assert m.revenue_share.tolist() == pytest.approx([4 / 11, 1 / 11, 6 / 11, 0, 0])
    # Cumulative share along the Pareto order: 12 (600), 10 (400), 11 (100), then nothing.
    assert m.cumulative_share.tolist() == pytest.approx([10 / 11, 1.0, 6 / 11, 1.0, 1.0])


def test_a_customer_who_returned_more_than_they_bought_has_no_share():
    data = figures()
    data.monthly_revenue[3] = [0, -50, 0, 0]
    m = entity_metrics(data, TODAY, Thresholds())
    assert m.revenue[3] == -50
    assert m.revenue_share[3] == 0.0
    assert m.revenue_share.sum() == pytest.approx(1.0)


def test_nobody_sold_anything_gives_zero_shares():
    data = figures()
    data.monthly_revenue[:] = 0
    m = entity_metrics(data, TODAY, Thresholds())
    assert m.revenue_share.tolist() == [0.0] * 5
    assert m.cumulative_share.tolist() == [0.0] * 5
    assert m.abc.tolist() == ["C"] * 5


def test_variation_and_default_classes():
    m = entities()
    assert same(m.variation, [0.0, np.sqrt(3), 1.0, np.inf, np.inf])
    # 12 starts at 0% and 10 at 55% of the value (both under 80%: A), 11 at 91% (B).
    assert m.abc.tolist() == ["A", "B", "A", "C", "C"]
    assert m.xyz.tolist() == ["X", "Z", "Z", "Z", "Z"]


def test_the_configured_abc_and_xyz_thresholds_are_used():
    m = entities(Thresholds(abc=(0.5, 0.9), xyz=(0.1, 1.5)))
    # 10 starts at 55% of the value (past A's 50%), 11 at 91% (past B's 90%).
    assert m.abc.tolist() == ["B", "C", "A", "C", "C"]
    # cv 1.0 is within Y's 1.5, cv 1.73 beyond it.
    assert m.xyz.tolist() == ["X", "Z", "Y", "Z", "Z"]


def test_rfm_recency_rewards_the_most_recent_buyer():
    m = entities()
    # Days since the last invoice: 10, 20, 40, 300 and never (less recent than any).
    assert m.rfm_recency.tolist() == [5, 4, 3, 2, 1]
    assert m.rfm_frequency.tolist() == [5, 3, 4, 2, 2]
    assert m.rfm_monetary.tolist() == [4, 3, 5, 2, 2]


@pytest.mark.parametrize("years", [9, 11, 40])
def test_a_customer_who_never_bought_is_less_recent_than_one_gone_for_years(years):
    data = figures()
    data.last_invoice[3] = T - years * 365  # 13 left years ago; 14 never bought
    assert entity_metrics(data, TODAY, Thresholds()).rfm_recency[3:].tolist() == [2, 1]


# --- groups ----------------------------------------------------------------------------


def test_group_money_figures_are_summed_over_members():
    g = groups()
    assert g.account_ids.tolist() == [10, 12, 13]
    assert g.revenue.tolist() == [500, 600, 0]
    assert g.margin.tolist() == [90, 60, 0]
    assert g.revenue_prev.tolist() == [100, 1200, 50]
    assert same(g.growth, [4.0, -0.5, -1.0])
    assert g.invoice_count.tolist() == [5, 2, 0]
    assert g.avg_invoice.tolist() == [100, 300, 0]


def test_group_dates_span_all_members_ignoring_those_who_never_bought():
    g = groups()
    # Group 10: first invoice 1000 days ago (10), last 10 days ago (10).
    # Group 12: 14 never bought, so 12's own dates stand.
    assert g.first_invoice.tolist() == [T - 1000, T - 400, T - 500]
    assert g.last_invoice.tolist() == [T - 10, T - 40, T - 300]
    assert g.relationship_days.tolist() == [1000, 400, 500]


def test_group_lateness_is_averaged_over_all_its_invoices():
    g = groups()
    assert same(g.avg_days_late, [30 / 4, nan, nan])
    assert same(g.worst_days_late, [20, nan, nan])


def test_group_product_lines_are_counted_once_over_all_members():
    # 10 bought paper and ink, 11 ink and toner: three lines for the group, not four.
    assert groups().product_lines.tolist() == [3, 1, 0]


def test_group_without_product_lines_in_the_period():
    data = figures()
    data.product_line_rows = np.zeros(0, dtype=np.int64)
    data.product_line_codes = np.zeros(0, dtype=np.int64)
    assert group_metrics(data, TODAY, Thresholds()).product_lines.tolist() == [0, 0, 0]


def test_group_classes_use_the_configured_thresholds():
    assert groups().abc.tolist() == ["A", "A", "C"]
    assert groups(Thresholds(abc=(0.5, 0.9))).abc.tolist() == ["B", "A", "C"]
    # Group 10 by month: 100 100 100 200 -> cv 0.35 (Z by default, Y under 0.5).
    assert groups().variation[0] == pytest.approx(np.std([100, 100, 100, 200]) / 125)
    assert groups().xyz.tolist() == ["Z", "Z", "Z"]
    assert groups(Thresholds(xyz=(0.1, 0.5))).xyz.tolist() == ["Y", "Z", "Z"]


def test_group_recency_and_shares():
    g = groups()
    assert g.rfm_recency.tolist() == [5, 4, 2]
    assert g.revenue_share.tolist() == pytest.approx([5 / 11, 6 / 11, 0])


# --- metrics as scoring reads them -----------------------------------------------------


def test_scoring_metrics_by_name():
    m = entities()
    assert m.metric("relationship_years").tolist() == pytest.approx(
        [1000 / 365.25, 100 / 365.25, 400 / 365.25, 500 / 365.25, 0]
    )
    assert same(m.metric("days_late"), [10, 0, nan, nan, nan])
    assert m.metric("revenue").tolist() == [400, 100, 600, 0, 0]
    assert m.metric("product_lines").tolist() == [2, 2, 1, 0, 0]


def test_potential_is_revenue_times_a_trend_capped_at_doubling():
    # Growth 300% counts as 100% (x2), -50% halves, -100% leaves nothing; unknown growth
    # (nothing the year before) counts as flat.
    assert entities().metric("potential").tolist() == [800, 100, 300, 0, 0]


def test_taking_some_customers_keeps_their_rows_together():
    m = entities()
    part = m.take(np.array([False, False, True, False, True]))
    assert len(part) == 2
    assert part.account_ids.tolist() == [12, 14]
    assert part.revenue.tolist() == [600, 0]
    assert part.abc.tolist() == ["A", "C"]
    assert part.rfm_recency.tolist() == [3, 1]


def test_default_thresholds_are_the_usual_ones():
    assert Thresholds() == Thresholds(abc=(0.80, 0.95), xyz=(0.10, 0.25))


# --- edges ---------------------------------------------------------------------------------


def test_a_customer_who_returned_more_than_they_bought_has_no_potential():
    data = figures()
    data.monthly_revenue[3] = [0, -50, 0, 0]  # 13: returns only, after 50 the year before
    m = entity_metrics(data, TODAY, Thresholds())
    assert m.growth[3] == pytest.approx(-2.0)
    assert m.metric("potential")[3] == 0.0


def test_growth_after_a_year_of_small_change():
    data = figures()
    data.revenue_prev[3] = 0.5  # 13 bought for 50 groszy the year before, nothing since
    assert entity_metrics(data, TODAY, Thresholds()).growth[3] == -1.0


def test_shares_of_a_company_with_less_than_one_zloty_of_revenue():
    data = figures()
    data.monthly_revenue[:] = 0
    data.monthly_revenue[0, 0] = 0.25
    data.monthly_revenue[2, 1] = 0.5
    m = entity_metrics(data, TODAY, Thresholds())
    assert m.revenue_share.tolist() == pytest.approx([1 / 3, 0, 2 / 3, 0, 0])
    assert m.cumulative_share[[2, 0]].tolist() == pytest.approx([2 / 3, 1.0])


def test_a_group_that_never_bought_has_no_dates():
    data = figures()
    data.first_invoice[3] = data.last_invoice[3] = 0  # 13 never bought either
    g = group_metrics(data, TODAY, Thresholds())
    assert g.first_invoice.tolist() == [T - 1000, T - 400, 0]
    assert g.last_invoice.tolist() == [T - 10, T - 40, 0]
    assert g.relationship_days.tolist() == [1000, 400, 0]


def test_group_product_lines_with_many_line_codes():
    # Group 12 bought the line with the highest code: it must be counted for group 12.
    data = figures()
    data.product_line_codes = np.array([PAPER, INK, INK, TONER, TONER])
    assert group_metrics(data, TODAY, Thresholds()).product_lines.tolist() == [3, 1, 0]


def test_figures_compute_without_floating_point_warnings():
    # No revenue the year before, no invoices, nothing fell due: divisions by zero whose
    # results are masked must not warn on every recompute.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        entities()
        groups()
