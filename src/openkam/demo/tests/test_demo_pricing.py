"""The demo's price lists, bands and rules, and that its contracts' tiers are the lists'."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from openkam.accounts.models import Account
from openkam.contracts.models import Contract
from openkam.demo.build import build_demo
from openkam.demo.pricing import RULE_NAMES, build_pricing, pricing_exists
from openkam.demo.reset import delete_demo
from openkam.demo.workspace.build import build_workspace
from openkam.ledger.models import Product
from openkam.pricing import tiers
from openkam.pricing.models import DiscountRule, Price, PriceList, VolumeBand
from openkam.pricing.quotes import price_for

TODAY = date(2026, 11, 23)
SEED = 11

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        build_demo(lines=20_000, accounts=300, seed=SEED, today=TODAY)
        build_workspace(today=TODAY, seed=SEED)
        counts = build_pricing(today=TODAY)
        yield counts
        delete_demo()


def test_three_lists_with_the_distributors_tiers(demo):
    lists = PriceList.objects.order_by("currency", "valid_from")
    assert [(pl.name, pl.currency, pl.valid_from, pl.valid_to) for pl in lists] == [
        ("Cennik eksportowy EUR", "EUR", date(2026, 1, 1), None),
        ("Cennik 2026", "PLN", date(2026, 1, 1), date(2026, 12, 31)),
        ("Cennik 2027", "PLN", date(2027, 1, 1), None),
    ]  # fmt: skip
    for price_list in lists:
        assert [(t.name, t.is_default) for t in price_list.tiers.all()] == [
            ("Detal", True), ("Hurt", False), ("A", False), ("B", False), ("Key", False),
        ]  # fmt: skip


def test_sold_products_are_priced_in_every_tier_dearest_at_retail(demo):
    priced = Price.objects.values("product").distinct().count()
    assert priced >= 0.9 * Product.objects.filter(source="demo").count()
    assert demo["price"] == Price.objects.count() == priced * 5 * 3
    one = Price.objects.filter(tier__price_list__name="Cennik 2026").first().product_id
    row = dict(
        Price.objects.filter(tier__price_list__name="Cennik 2026", product=one)
        .values_list("tier__name", "unit_price")
    )  # fmt: skip
    assert row["Detal"] > row["Hurt"] > row["A"] > row["B"] > row["Key"] > 0


def test_drinks_have_slab_bands_and_dry_goods_range_bands(demo):
    assert VolumeBand.objects.exists()
    modes = set(
        Price.objects.filter(bands__isnull=False).values_list("product__product_line", "band_mode")
    )
    assert ("Napoje", "slab") in modes and ("Produkty sypkie", "range") in modes
    assert all(mode == "range" for line, mode in modes if line != "Napoje")


def test_the_rules_of_the_demo(demo):
    assert sorted(DiscountRule.objects.values_list("name", flat=True)) == sorted(RULE_NAMES)
    assert DiscountRule.objects.get(name="Key: kawa i herbata").max_discount_pct == Decimal(10)


def test_every_contract_names_a_tier_of_the_lists(demo):
    named = set(Contract.objects.exclude(price_tier="").values_list("price_tier", flat=True))
    assert named and named <= {"Hurt", "A", "B", "Key"}


def test_a_key_account_buys_at_its_contracts_tier(demo):
    contract = (
        Contract.objects.filter(status="active", kind="framework", price_tier="Key")
        .select_related("account")
        .first()
    )
    account: Account = contract.account
    product = Price.objects.filter(tier__name="Key").first().product
    quote = price_for(account=account, product=product, quantity=10, on=TODAY)
    assert (quote.tier.name, quote.tier_source, quote.contract) == (
        "Key", tiers.ACCOUNT_CONTRACT, contract,
    )  # fmt: skip
    assert quote.max_discount_pct >= Decimal(5)


def test_the_demo_knows_it_has_prices(demo):
    assert pricing_exists()
