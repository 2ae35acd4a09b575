from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from openkam.insights.scoring import (
    clamp_points,
    normalise_weights,
    points_by_bands,
    points_by_percentile,
    weighted_scores,
)


def test_bands_map_onto_one_to_ten():
    points = points_by_bands([0, 10_000, 50_000, 200_000], thresholds=[10_000, 100_000, 150_000])
    assert list(points) == [1.0, 4.0, 4.0, 10.0]


def test_bands_where_lower_is_better():
    days_late = points_by_bands([0, 20, 90], thresholds=[7, 30, 60], higher_is_better=False)
    assert list(days_late) == [10.0, 7.0, 1.0]


def test_percentile_points_by_hand():
    assert list(points_by_percentile([10, 20, 30])) == [1.0, 5.5, 10.0]
    assert list(points_by_percentile([5, 5])) == [5.5, 5.5]


def test_weighted_score_explains_itself():
    cards = weighted_scores(
        points={"revenue_potential": [8, 2], "payment_discipline": [4, 10]},
        weights={"revenue_potential": 3, "payment_discipline": 1},
        values={"revenue_potential": [1e6, 1e4], "payment_discipline": [35.0, 0.0]},
    )
    first = cards[0]
    assert first.total == pytest.approx(8 * 0.75 + 4 * 0.25)
    revenue = first.parts[0]
    assert (revenue.criterion, revenue.value, revenue.points, revenue.weight) == (
        "revenue_potential",
        1e6,
        8.0,
        0.75,
    )
    assert sum(p.contribution for p in first.parts) == pytest.approx(first.total)


def test_unknown_points_count_as_the_minimum():
    cards = weighted_scores(points={"cultural_fit": [np.nan]}, weights={"cultural_fit": 1})
    assert cards[0].total == 1.0


def test_weights_must_be_positive():
    with pytest.raises(ValueError):
        normalise_weights([0, 0])
    with pytest.raises(ValueError):
        normalise_weights([1, -1])


weights = st.lists(st.floats(min_value=0.01, max_value=100), min_size=1, max_size=10)


@given(weights)
def test_weights_normalise_to_one(raw):
    assert normalise_weights(raw).sum() == pytest.approx(1.0)


@given(
    st.lists(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), min_size=1, max_size=100),
    weights,
)
def test_scores_stay_within_one_and_ten(values, raw_weights):
    points = {f"c{i}": points_by_percentile(values) for i in range(len(raw_weights))}
    cards = weighted_scores(points, {f"c{i}": w for i, w in enumerate(raw_weights)})
    assert all(1.0 - 1e-9 <= card.total <= 10.0 + 1e-9 for card in cards)


# --- bands ---------------------------------------------------------------------------


def test_a_value_on_a_threshold_belongs_to_the_band_above():
    assert list(points_by_bands([9_999.99, 10_000], thresholds=[10_000])) == [1.0, 10.0]


def test_unknown_values_score_the_minimum_in_bands_whichever_way_is_better():
    # A customer with nothing due has no payment record: it earns no points for discipline
    # nobody has seen, as with percentiles (and as weighted_scores treats unknown points).
    nan = float("nan")
    assert list(points_by_bands([nan, None], thresholds=[7, 30, 60])) == [1.0, 1.0]
    assert list(
        points_by_bands([nan, None, 0], thresholds=[7, 30, 60], higher_is_better=False)
    ) == [1.0, 1.0, 10.0]


def test_bands_at_and_below_zero():
    # Growth bands: shrinking below -10% is the lowest band, flat or better the middle...
    points = points_by_bands([-0.5, -0.1, 0.0, 0.3], thresholds=[-0.1, 0.0, 0.25])
    assert list(points) == [1.0, 4.0, 7.0, 10.0]


@pytest.mark.parametrize("thresholds", [[], [30, 7], [7, 60, 30]])
def test_band_thresholds_must_go_up(thresholds):
    with pytest.raises(ValueError, match=r"^band thresholds must be a non-empty ascending list\Z"):
        points_by_bands([1.0], thresholds=thresholds)


# --- percentiles -----------------------------------------------------------------------


def test_percentiles_where_lower_is_better():
    assert list(points_by_percentile([10, 20, 30], higher_is_better=False)) == [10.0, 5.5, 1.0]


def test_percentiles_of_one_customer_and_of_none():
    # Alone in the population, a customer is the best of it.
    assert list(points_by_percentile([42.0])) == [10.0]
    assert list(points_by_percentile([42.0], higher_is_better=False)) == [10.0]
    assert len(points_by_percentile([])) == 0


def test_percentiles_of_money_as_decimal():
    from decimal import Decimal

    points = points_by_percentile([Decimal("10"), Decimal("30"), Decimal("20")])
    assert list(points) == [1.0, 10.0, 5.5]


# --- weights and totals ----------------------------------------------------------------


def test_a_criterion_may_weigh_nothing_among_others():
    assert list(normalise_weights([3, 0, 1])) == [0.75, 0.0, 0.25]


def test_weights_as_stored_decimals():
    from decimal import Decimal

    cards = weighted_scores(
        points={"revenue_potential": [8], "payment_discipline": [4]},
        weights={"revenue_potential": Decimal("40.00"), "payment_discipline": Decimal("20.00")},
    )
    assert cards[0].total == pytest.approx(8 * 2 / 3 + 4 / 3)
    assert [p.weight for p in cards[0].parts] == pytest.approx([2 / 3, 1 / 3])


def test_weight_errors_say_what_is_wrong():
    with pytest.raises(ValueError, match=r"^weights cannot be negative\Z"):
        normalise_weights([1, -1])
    with pytest.raises(ValueError, match=r"^at least one weight must be positive\Z"):
        normalise_weights([0, 0])


def test_points_and_weights_must_name_the_same_criteria():
    with pytest.raises(ValueError, match=r"^points and weights must name the same criteria\Z"):
        weighted_scores(points={"references": [5]}, weights={"cultural_fit": 1})


def test_points_outside_one_to_ten_are_clamped():
    assert list(clamp_points([0, 5.5, 12])) == [1.0, 5.5, 10.0]
    cards = weighted_scores(
        points={"references": [0, 14]}, weights={"references": 1}, values={"references": [0, 14]}
    )
    assert [card.total for card in cards] == [1.0, 10.0]
    assert [card.parts[0].points for card in cards] == [1.0, 10.0]


def test_points_nobody_entered_count_as_the_minimum_also_as_none():
    cards = weighted_scores(
        points={"references": [None, 7], "cultural_fit": [9, 9]},
        weights={"references": 1, "cultural_fit": 1},
    )
    assert [card.total for card in cards] == [5.0, 8.0]


def test_a_value_nobody_knows_is_shown_as_none():
    cards = weighted_scores(
        points={"payment_discipline": [1, 10]},
        weights={"payment_discipline": 1},
        values={"payment_discipline": [float("nan"), None]},
    )
    assert [card.parts[0].value for card in cards] == [None, None]
    known = weighted_scores(
        points={"payment_discipline": [4]},
        weights={"payment_discipline": 1},
        values={"payment_discipline": [12]},
    )
    assert known[0].parts[0].value == 12.0
    without_values = weighted_scores(points={"references": [4]}, weights={"references": 1})
    assert without_values[0].parts[0].value is None


def test_every_part_explains_its_share_of_the_total():
    cards = weighted_scores(
        points={"revenue_potential": [8, 2], "payment_discipline": [4, 10]},
        weights={"revenue_potential": 3, "payment_discipline": 1},
    )
    second = cards[1]
    assert [(p.criterion, p.points, p.weight, p.contribution) for p in second.parts] == [
        ("revenue_potential", 2.0, 0.75, 1.5),
        ("payment_discipline", 10.0, 0.25, 2.5),
    ]
    assert second.total == 4.0


def test_clamping_leaves_an_unknown_unknown():
    clamped = clamp_points([None, float("nan"), 3])
    assert np.isnan(clamped[:2]).all()
    assert clamped[2] == 3.0


def test_percentile_points_refuse_an_unknown_value_rather_than_rank_it_best():
    with pytest.raises(
        ValueError,
        match=r"^ranks need known values: leave out the unknown ones \(None, NaN\) first$",
    ):
        points_by_percentile([10.0, None, 30.0])
    with pytest.raises(
        ValueError,
        match=r"^ranks need known values: leave out the unknown ones \(None, NaN\) first$",
    ):
        points_by_percentile([10.0, float("nan")], higher_is_better=False)
