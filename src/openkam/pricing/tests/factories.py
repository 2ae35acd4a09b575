"""Test data for pricing: products, price lists with tiers, prices with bands, rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from openkam.ledger.models import Product
from openkam.pricing import services
from openkam.pricing.models import DiscountRule, Price, PriceList, PriceTier

START = date(2026, 1, 1)


def product(sku: str = "P-1", name: str = "Widget", line: str = "", unit: str = "pcs") -> Product:
    return Product.objects.create(
        source="test", external_id=sku, sku=sku, name=name, product_line=line, unit=unit
    )


def price_list(
    name: str = "Cennik 2026",
    currency: str = "PLN",
    valid_from: date = START,
    valid_to: date | None = None,
    tiers: tuple[str, ...] = ("Detal", "Hurt", "Key"),
) -> PriceList:
    """A list whose first tier is the default."""
    created = services.price_list_create(
        actor=None, name=name, currency=currency, valid_from=valid_from, valid_to=valid_to
    )
    for name_ in tiers:
        services.tier_create(actor=None, price_list=created, name=name_)
    return created


def tier(price_list: PriceList, name: str) -> PriceTier:
    return price_list.tiers.get(name=name)


def set_price(
    price_list: PriceList,
    tier_name: str,
    item: Product,
    unit_price: str,
    mode: str | None = None,
    bands: tuple[tuple[str, str], ...] = (),
) -> Price:
    price, _state = services.price_set(
        actor=None,
        tier=tier(price_list, tier_name),
        product=item,
        unit_price=Decimal(unit_price),
        band_mode=mode,
        bands=[(Decimal(q), Decimal(p)) for q, p in bands],
    )
    return price


def rule(name: str, max_pct: str, **criteria) -> DiscountRule:
    criteria.setdefault("valid_from", START)
    return services.discount_rule_create(
        actor=None, name=name, max_discount_pct=Decimal(max_pct), **criteria
    )
