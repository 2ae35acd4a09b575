"""Volume bands by range and by slab, exactly (no rounding here)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from openkam.pricing.volume import RANGE, SLAB, Band, price_quantity

BANDS = [Band(D("500"), D("9.00")), Band(D("100"), D("9.50"))]  # any order


@pytest.mark.parametrize(
    ("quantity", "amount", "band"),
    [
        ("99", "990.00", None),
        ("100", "950.00", D("100")),  # the threshold itself reaches the band
        ("150", "1425.00", D("100")),
        ("600", "5400.00", D("500")),
    ],
)
def test_range_prices_every_unit_at_the_band_reached(quantity, amount, band):
    priced = price_quantity(D(quantity), D("10.00"), BANDS, RANGE)
    assert priced.amount == D(amount)
    assert (priced.band.min_quantity if priced.band else None) == band
    assert len(priced.slabs) == 1


@pytest.mark.parametrize(
    ("quantity", "amount", "slabs"),
    [
        ("99", "990.00", [("99", "10.00")]),
        ("100", "1000.00", [("100", "10.00")]),
        ("150", "1475.00", [("100", "10.00"), ("50", "9.50")]),
        ("600", "5700.00", [("100", "10.00"), ("400", "9.50"), ("100", "9.00")]),
    ],
)
def test_slab_prices_each_slab_at_its_own_price(quantity, amount, slabs):
    priced = price_quantity(D(quantity), D("10.00"), BANDS, SLAB)
    assert priced.amount == D(amount)
    assert [(s.quantity, s.unit_price) for s in priced.slabs] == [(D(q), D(p)) for q, p in slabs]


def test_a_slab_quantity_stopping_at_a_threshold_has_no_unit_in_that_band():
    assert price_quantity(D("100"), D("10.00"), BANDS, SLAB).band is None
    assert price_quantity(D("100.001"), D("10.00"), BANDS, SLAB).band == Band(D(100), D("9.50"))


def test_slabs_are_contiguous_from_zero_to_the_quantity():
    priced = price_quantity(D("600"), D("10.00"), BANDS, SLAB)
    edges = [(s.start, s.end) for s in priced.slabs]
    assert edges == [(D(0), D(100)), (D(100), D(500)), (D(500), D(600))]


def test_no_bands_is_the_list_price_in_either_mode():
    for mode in (RANGE, SLAB):
        priced = price_quantity(D("2.5"), D("4.10"), [], mode)
        assert (priced.amount, priced.band) == (D("10.250"), None)


def test_fractional_quantities_stay_exact():
    priced = price_quantity(D("0.333"), D("10.05"), [], RANGE)
    assert priced.amount == D("3.34665")


def test_a_quantity_of_zero_is_refused():
    with pytest.raises(ValueError):
        price_quantity(D(0), D("1.00"), [], RANGE)
