"""The demo company's price lists and discount rules, written after its contracts.

Three lists: this year's in PLN (1 January to 31 December), next year's in PLN (4 %
dearer, from 1 January on) and an export list in EUR (from this year on). Each has the
tiers Detal (the default), Hurt, A, B and Key, the columns a Polish distributor's price
list has; the demo's contracts name Hurt, A, B or Key (`demo.contracts.PRICE_TIERS`).
A product's prices follow what it sold for over the last twelve months; dry goods have
volume bands priced by range and drinks by slab. The rules: 5 % for every line, more
for the Key tier, for a coffee and tea line, for HoReCa customers' professional line
and for big orders, and this summer's drinks promotion (priority 10, June to August).

Lists, tiers and rules go through the pricing services (validated, audited as demo
data); the prices, some 4,000 rows, are written in bulk. Deterministic: no random draw.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum

from openkam.core.models import AuditEntry
from openkam.demo.spec import SOURCE
from openkam.ledger.models import InvoiceLine, Product
from openkam.pricing import services
from openkam.pricing.models import DiscountRule, Price, PriceList, PriceTier, VolumeBand

CENT = Decimal("0.01")
# Each tier's price as a share of what the product sold for on average.
TIERS = (
    ("Detal", Decimal("1.25")),
    ("Hurt", Decimal("1.10")),
    ("A", Decimal("1.00")),
    ("B", Decimal("0.97")),
    ("Key", Decimal("0.93")),
)
NEXT_YEAR = Decimal("1.04")
EUR_RATE = Decimal("4.30")  # PLN per euro
# Volume bands: (from quantity, share of the tier's price), by product line.
BANDS = ((Decimal(50), Decimal("0.97")), (Decimal(200), Decimal("0.94")))
RANGE_LINES = ("Produkty sypkie", "Konserwy i przetwory")
SLAB_LINES = ("Napoje",)
RULE_NAMES = (
    "Standard",
    "Key",
    "Key: kawa i herbata",
    "HoReCa: środki profesjonalne",
    "Duże zamówienie (od 500 szt.)",
    "Zamówienie od 20 000 zł",
    "Promocja letnia: napoje",
)


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def list_names(today: date) -> tuple[str, str, str]:
    return f"Cennik {today.year}", f"Cennik {today.year + 1}", "Cennik eksportowy EUR"


def pricing_exists() -> bool:
    """The demo's products have prices (a demo built before it had price lists has none)."""
    return Price.objects.filter(product__source=SOURCE).exists()


def _average_prices(products: list[Product], today: date) -> dict[int, Decimal]:
    """What each product sold for per unit over the last twelve months (sales only)."""
    # No join to the products: one pass over the lines, the demo's picked out after.
    rows = (
        InvoiceLine.objects.filter(quantity__gt=0, issued_on__gt=today - timedelta(days=365))
        .values("product_id")
        .annotate(net=Sum("net_amount"), quantity=Sum("quantity"))
    )
    ours = {product.pk for product in products}
    return {
        row["product_id"]: _cents(row["net"] / row["quantity"])
        for row in rows
        if row["product_id"] in ours and row["quantity"] and row["net"] > 0
    }


def _rules(today: date) -> list[dict[str, Any]]:
    year = date(today.year, 1, 1)
    summer = date(today.year, 6, 1), date(today.year, 8, 31)
    names = dict(enumerate(RULE_NAMES))
    return [
        {"name": names[0], "max_discount_pct": Decimal(5), "valid_from": year,
         "note": "Bez zgody dyrektora na każdą pozycję."},
        {"name": names[1], "tier": "Key", "max_discount_pct": Decimal(7), "valid_from": year},
        {"name": names[2], "tier": "Key", "product_line": "Kawa i herbata",
         "max_discount_pct": Decimal(10), "valid_from": year},
        {"name": names[3], "segment": "HoReCa", "product_line": "Środki profesjonalne HoReCa",
         "max_discount_pct": Decimal(8), "valid_from": year},
        {"name": names[4], "min_quantity": Decimal(500), "max_discount_pct": Decimal(9),
         "valid_from": year},
        {"name": names[5], "min_amount": Decimal(20000), "currency": "PLN",
         "max_discount_pct": Decimal(8), "valid_from": year},
        {"name": names[6], "product_line": "Napoje", "max_discount_pct": Decimal(15),
         "priority": 10, "valid_from": summer[0], "valid_to": summer[1],
         "note": "Akcja sezonowa: czerwiec–sierpień."},
    ]  # fmt: skip


def _prices(
    tiers: list[PriceTier], products: Iterable[Product], base: dict[int, Decimal], factor: Decimal
) -> tuple[list[Price], list[VolumeBand]]:
    """Unsaved prices of the products in each tier, and the bands of those that have some."""
    prices, bands = [], []
    for product in products:
        average = base.get(product.pk)
        if average is None:
            continue  # never sold: no price (the price check says so)
        mode = "slab" if product.product_line in SLAB_LINES else "range"
        banded = product.product_line in RANGE_LINES + SLAB_LINES
        for tier, (_name, share) in zip(tiers, TIERS):
            unit = _cents(average * share * factor)
            price = Price(tier=tier, product=product, unit_price=unit, band_mode=mode)
            prices.append(price)
            if banded:
                bands += [
                    VolumeBand(price=price, min_quantity=quantity, unit_price=_cents(unit * cut))
                    for quantity, cut in BANDS
                ]
    return prices, bands


@transaction.atomic
def build_pricing(*, today: date) -> dict[str, int]:
    """Write the demo's price lists, prices, bands and rules; the rows written."""
    products = list(Product.objects.filter(source=SOURCE).order_by("pk"))
    base = _average_prices(products, today)
    this_year, next_year, export = list_names(today)
    plans = (
        (this_year, "PLN", date(today.year, 1, 1), date(today.year, 12, 31), Decimal(1)),
        (next_year, "PLN", date(today.year + 1, 1, 1), None, NEXT_YEAR),
        (export, "EUR", date(today.year, 1, 1), None, 1 / EUR_RATE),
    )
    counts = {"price_list": 0, "price": 0, "volume_band": 0, "discount_rule": 0}
    for name, currency, starts, ends, factor in plans:
        price_list = services.price_list_create(
            actor=None, name=name, currency=currency, valid_from=starts, valid_to=ends,
            via="demo",
        )  # fmt: skip
        tiers = [
            services.tier_create(actor=None, price_list=price_list, name=tier_name, via="demo")
            for tier_name, _share in TIERS
        ]
        prices, bands = _prices(tiers, products, base, factor)
        Price.objects.bulk_create(prices, batch_size=1000)
        VolumeBand.objects.bulk_create(bands, batch_size=1000)
        counts["price_list"] += 1
        counts["price"] += len(prices)
        counts["volume_band"] += len(bands)
    for fields in _rules(today):
        services.discount_rule_create(actor=None, via="demo", **fields)
        counts["discount_rule"] += 1
    return counts


def delete_pricing() -> None:
    """Remove the demo's prices (of its products), the lists they leave empty, its rules,
    and the history the demo wrote of them. A list someone added prices to since stays,
    with those prices."""
    lists = set(
        PriceList.objects.filter(tiers__prices__product__source=SOURCE).values_list("pk", flat=True)
    )
    VolumeBand.objects.filter(price__product__source=SOURCE).delete()
    Price.objects.filter(product__source=SOURCE).delete()
    empty = PriceList.objects.filter(pk__in=lists).exclude(tiers__prices__isnull=False)
    tiers = PriceTier.objects.filter(price_list__in=empty)
    rules = DiscountRule.objects.filter(name__in=RULE_NAMES)
    gone = {
        PriceList: list(empty.values_list("pk", flat=True)),
        PriceTier: list(tiers.values_list("pk", flat=True)),
        DiscountRule: list(rules.values_list("pk", flat=True)),
    }
    tiers.delete()
    empty.delete()
    rules.delete()
    for model, pks in gone.items():
        AuditEntry.objects.filter(
            model=model._meta.label, object_id__in=[str(pk) for pk in pks], via="demo"
        ).delete()
