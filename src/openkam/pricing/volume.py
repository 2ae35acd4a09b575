"""Volume pricing: what a quantity costs under a list price and a band set. Pure arithmetic.

A band says "from this quantity on, this unit price". The list price applies from zero
up to the first band. A band set prices a quantity in one of two ways:

- **range**: the whole quantity at the price of the highest band it reaches (150 units
  with a band from 100 at 9.00: all 150 at 9.00);
- **slab**: each slab of the quantity at its own price, like tax brackets: the list price
  up to the first band's quantity, then each band's price up to the next band's quantity
  (150 units, list price 10.00, a band from 100 at 9.00: 100 x 10.00 + 50 x 9.00).

Amounts here are exact (quantity x price, never rounded); the quote rounds the line total
once (`pricing.quotes`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

RANGE, SLAB = "range", "slab"


@dataclass(frozen=True)
class Band:
    min_quantity: Decimal
    unit_price: Decimal


@dataclass(frozen=True)
class Slab:
    """One part of the quantity and its price: `start` (exclusive) to `end` (inclusive)."""

    start: Decimal
    end: Decimal
    unit_price: Decimal
    band: Band | None  # None: the list price

    @property
    def quantity(self) -> Decimal:
        return self.end - self.start

    @property
    def amount(self) -> Decimal:
        return self.quantity * self.unit_price


@dataclass(frozen=True)
class Priced:
    """A quantity priced: its slabs (one for range pricing), the band reached, the exact
    amount."""

    mode: str
    slabs: tuple[Slab, ...]
    band: Band | None  # the band whose price the last unit pays; None: the list price

    @property
    def amount(self) -> Decimal:
        return sum((slab.amount for slab in self.slabs), Decimal(0))


def price_quantity(
    quantity: Decimal, list_price: Decimal, bands: Iterable[Band], mode: str
) -> Priced:
    """The quantity (more than zero) priced by the band set."""
    if quantity <= 0:
        raise ValueError("a quantity to price is more than zero")
    ordered = sorted(bands, key=lambda band: band.min_quantity)
    reached = [band for band in ordered if band.min_quantity <= quantity]
    top = reached[-1] if reached else None
    if mode != SLAB:
        price = top.unit_price if top else list_price
        return Priced(RANGE, (Slab(Decimal(0), quantity, price, top),), top)
    slabs = []
    start, price, band = Decimal(0), list_price, None
    for step in reached:
        if step.min_quantity > start:
            slabs.append(Slab(start, step.min_quantity, price, band))
        start, price, band = step.min_quantity, step.unit_price, step
    if quantity > start:
        slabs.append(Slab(start, quantity, price, band))
    # The band of the last unit: a quantity that stops exactly at a band's threshold has
    # no unit in that band yet.
    return Priced(SLAB, tuple(slabs), slabs[-1].band)
