"""Quotes to the cent: list, tier (and why), volume bands, rounding, rules, discounts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from openkam.accounts import services as account_services
from openkam.contracts.tests.factories import make_contract
from openkam.pricing import tiers
from openkam.pricing.quotes import PricingError, check_discount, price_for
from openkam.pricing.tests.factories import price_list, product, rule, set_price

DAY = date(2026, 12, 2)


@pytest.fixture
def catalogue(company):
    """Cennik 2026 (Detal default, Hurt, Key) with a widget priced in every tier."""
    listed = price_list()
    widget = product("W-1", "Widget", line="Coffee")
    for tier_name, unit in (("Detal", "12.00"), ("Hurt", "11.00"), ("Key", "10.00")):
        set_price(listed, tier_name, widget, unit)
    return {"list": listed, "widget": widget}


def quote(company, catalogue, key="a", quantity="3", on=DAY, **options):
    return price_for(
        account=company[key], product=catalogue["widget"], quantity=quantity, on=on, **options
    )


# --- the tier and why ------------------------------------------------------------------


def test_without_a_contract_the_default_tier_applies(company, catalogue):
    found = quote(company, catalogue)
    assert (found.tier.name, found.tier_source, found.contract) == ("Detal", tiers.DEFAULT, None)
    assert (found.list_unit_price, found.net_unit_price, found.line_total) == (
        D("12.00"), D("12.00"), D("36.00"),
    )  # fmt: skip


def test_the_accounts_contract_names_its_tier_in_any_case(company, catalogue):
    contract = make_contract(company, "a", price_tier="  key ")
    found = quote(company, catalogue)
    assert (found.tier.name, found.tier_source, found.contract) == (
        "Key", tiers.ACCOUNT_CONTRACT, contract,
    )  # fmt: skip
    assert found.line_total == D("30.00")


def test_a_subsidiary_without_a_contract_buys_at_its_group_heads_tier(company, catalogue):
    contract = make_contract(company, "a", price_tier="Hurt")
    found = quote(company, catalogue, key="a1")
    assert (found.tier.name, found.tier_source, found.contract) == (
        "Hurt", tiers.GROUP_CONTRACT, contract,
    )  # fmt: skip
    assert found.line_total == D("33.00")


def test_the_subsidiarys_own_contract_comes_before_the_group_heads(company, catalogue):
    make_contract(company, "a", price_tier="Hurt")
    own = make_contract(company, "a1", price_tier="Key")
    found = quote(company, catalogue, key="a1")
    assert (found.tier.name, found.contract) == ("Key", own)


def test_the_latest_started_contract_in_force_wins(company, catalogue):
    make_contract(company, "a", price_tier="Hurt", starts_on=date(2025, 1, 1))
    later = make_contract(company, "a", price_tier="Key", starts_on=date(2026, 3, 1))
    assert quote(company, catalogue).contract == later


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "draft"},
        {"status": "ended"},
        {"status": "terminated"},
        {"starts_on": date(2026, 12, 3)},  # not started yet
        {"starts_on": date(2025, 1, 1), "ends_on": date(2026, 12, 1)},  # over
    ],
    ids=["draft", "ended", "terminated", "future", "past"],
)
def test_a_contract_not_in_force_names_no_tier(company, catalogue, fields):
    make_contract(company, "a", price_tier="Key", **fields)
    assert quote(company, catalogue).tier.name == "Detal"


def test_a_contract_that_renews_itself_stays_in_force_past_its_end(company, catalogue):
    make_contract(
        company, "a", price_tier="Key", starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31),
        auto_renews=True, renewal_months=12,
    )  # fmt: skip
    assert quote(company, catalogue).tier.name == "Key"


def test_the_last_day_of_a_contract_still_counts(company, catalogue):
    make_contract(company, "a", price_tier="Key", ends_on=DAY)
    assert quote(company, catalogue).tier.name == "Key"


def test_a_contract_naming_a_tier_the_list_lacks_is_passed_over(company, catalogue):
    unknown = make_contract(company, "a", price_tier="Platinum", starts_on=date(2026, 6, 1))
    older = make_contract(company, "a", price_tier="Hurt")
    found = quote(company, catalogue)
    assert (found.tier.name, found.contract, found.passed_over) == ("Hurt", older, (unknown,))
    make_contract(company, "b", price_tier="Platinum")
    found = quote(company, catalogue, key="b")
    assert (found.tier_source, found.passed_over[0].price_tier) == (tiers.DEFAULT, "Platinum")


def test_a_list_without_a_default_tier_and_no_contract_is_an_error(company):
    listed = price_list(tiers=())
    from openkam.pricing import services

    services.tier_create(actor=None, price_list=listed, name="Key", is_default=False)
    widget = product()
    set_price(listed, "Key", widget, "1.00")
    with pytest.raises(PricingError) as error:
        price_for(account=company["a"], product=widget, quantity=1, on=DAY)
    assert error.value.code == "no_tier" and "Cennik 2026" in str(error.value)


# --- which list: the day and the currency ------------------------------------------------


def test_successive_lists_apply_each_on_its_own_days(company):
    widget = product()
    old = price_list("Cennik 2026", valid_to=date(2026, 12, 31))
    new = price_list("Cennik 2027", valid_from=date(2027, 1, 1))
    set_price(old, "Detal", widget, "10.00")
    set_price(new, "Detal", widget, "10.40")
    last_day = price_for(account=company["a"], product=widget, quantity=10, on=date(2026, 12, 31))
    first_day = price_for(account=company["a"], product=widget, quantity=10, on=date(2027, 1, 1))
    assert (last_day.price_list, last_day.line_total) == (old, D("100.00"))
    assert (first_day.price_list, first_day.line_total) == (new, D("104.00"))


def test_the_currency_picks_the_list_the_accounts_by_default(company, catalogue):
    euro = price_list("Export EUR", currency="EUR")
    set_price(euro, "Detal", catalogue["widget"], "2.79")
    assert quote(company, catalogue).currency == "PLN"
    found = quote(company, catalogue, currency="eur")
    assert (found.price_list, found.currency, found.line_total) == (euro, "EUR", D("8.37"))


def test_no_list_in_the_currency_that_day_is_an_error(company, catalogue):
    with pytest.raises(PricingError) as error:
        quote(company, catalogue, currency="USD")
    assert error.value.code == "no_price_list"
    assert str(error.value) == "No price list in USD is valid on 2026-12-02."
    with pytest.raises(PricingError):
        quote(company, catalogue, on=date(2025, 12, 31))


def test_a_product_without_a_price_names_product_list_and_tier(company, catalogue):
    make_contract(company, "a", price_tier="Key")
    other = product("X-9", "Gadget")
    set_price(catalogue["list"], "Detal", other, "5.00")  # in another tier only
    with pytest.raises(PricingError) as error:
        price_for(account=company["a"], product=other, quantity=1, on=DAY)
    assert error.value.code == "no_price"
    assert str(error.value) == "X-9 Gadget has no price in tier Key of the price list Cennik 2026."


@pytest.mark.parametrize("quantity", ["0", "-1", "NaN", "abc"])
def test_a_quantity_must_be_more_than_zero(company, catalogue, quantity):
    with pytest.raises(PricingError) as error:
        quote(company, catalogue, quantity=quantity)
    assert error.value.code == "bad_quantity"


# --- volume bands and rounding -----------------------------------------------------------


@pytest.fixture
def banded(company, catalogue):
    """Key tier: 10.00, from 100 at 9.50, from 500 at 9.00; the account buys at Key."""
    make_contract(company, "a", price_tier="Key")

    def with_mode(mode):
        set_price(
            catalogue["list"], "Key", catalogue["widget"], "10.00", mode,
            (("100", "9.50"), ("500", "9.00")),
        )  # fmt: skip
        return lambda quantity: quote(company, catalogue, quantity=quantity)

    return with_mode


@pytest.mark.parametrize(
    ("quantity", "net_unit", "total", "band"),
    [("99", "10.00", "990.00", None), ("100", "9.50", "950.00", "100"),
     ("499.5", "9.50", "4745.25", "100"), ("600", "9.00", "5400.00", "500")],
)  # fmt: skip
def test_range_bands(banded, quantity, net_unit, total, band):
    found = banded("range")(quantity)
    assert (found.net_unit_price, found.line_total) == (D(net_unit), D(total))
    assert (found.band.min_quantity if found.band else None) == (D(band) if band else None)


@pytest.mark.parametrize(
    ("quantity", "net_unit", "total"),
    [("99", "10.00", "990.00"), ("150", "9.83", "1475.00"), ("600", "9.50", "5700.00"),
     ("100.5", "10.00", "1004.75"), ("110", "9.95", "1095.00")],
)  # fmt: skip
def test_slab_bands(banded, quantity, net_unit, total):
    found = banded("slab")(quantity)
    assert (found.net_unit_price, found.line_total) == (D(net_unit), D(total))


def test_the_line_total_is_rounded_half_up_once(company):
    widget = product()
    listed = price_list(tiers=("Detal",))
    set_price(listed, "Detal", widget, "0.05", "slab", (("0.5", "0.03"),))
    # Exactly 0.5 x 0.05 + 0.5 x 0.03 = 0.040: rounding each slab would give 0.05.
    found = price_for(account=company["a"], product=widget, quantity="1", on=DAY)
    assert found.line_total == D("0.04")
    # 0.5 x 0.05 = 0.025: half up is 0.03 (banker's rounding would say 0.02).
    assert price_for(account=company["a"], product=widget, quantity="0.5", on=DAY).line_total == (
        D("0.03")
    )
    set_price(listed, "Detal", widget, "10.05", "range", ())
    found = price_for(account=company["a"], product=widget, quantity="0.333", on=DAY)
    assert (found.line_total, found.net_unit_price) == (D("3.35"), D("10.05"))


# --- discount rules and the discount check -----------------------------------------------


def test_no_rule_means_no_discount_without_approval(company, catalogue):
    found = quote(company, catalogue)
    assert (found.rule, found.max_discount_pct) == (None, D("0.00"))
    assert check_discount(found, "0").within_rule
    assert check_discount(found, "0.01").needs_approval


def test_the_most_specific_rule_applies_to_the_line(company, catalogue):
    account_services.account_update(actor=company["head"], account=company["a"], segment="HoReCa")
    standard = rule("Standard", "5")
    key_coffee = rule("Key coffee", "10", tier="key", product_line="Coffee")
    rule("Key tea", "15", tier="Key", product_line="Tea")
    rule("Retail", "20", segment="Retail chains")
    assert quote(company, catalogue).rule == standard
    make_contract(company, "a", price_tier="Key")
    found = quote(company, catalogue)
    assert (found.rule, found.max_discount_pct) == (key_coffee, D("10.00"))


def test_a_priority_overrides_the_more_specific_rule(company, catalogue):
    make_contract(company, "a", price_tier="Key")
    rule("Key coffee", "10", tier="Key", product_line="Coffee")
    promo = rule("December promotion", "12", priority=10, valid_to=date(2026, 12, 31))
    assert quote(company, catalogue).rule == promo
    assert quote(company, catalogue, on=date(2027, 1, 1), currency="PLN").rule.name == (
        "Key coffee"
    )


def test_a_minimum_order_rule_counts_the_line_before_discount(company, catalogue):
    rule("Standard", "5")
    big = rule("Big order", "8", min_amount=D("360.00"), currency="PLN")
    assert quote(company, catalogue, quantity="29").rule.name == "Standard"  # 348.00
    assert quote(company, catalogue, quantity="30").rule == big  # 360.00


def test_check_discount_to_the_cent(company, catalogue):
    rule("Standard", "5")
    listed, widget = catalogue["list"], catalogue["widget"]
    set_price(listed, "Detal", widget, "10.30")
    found = quote(company, catalogue, quantity="1")
    check = check_discount(found, "5")
    # 10.30 x 95 / 100 = 9.785: half up 9.79.
    assert (check.line_total_after, check.discount_amount) == (D("9.79"), D("0.51"))
    assert check.within_rule and not check.needs_approval
    above = check_discount(found, D("5.01"))
    assert (above.within_rule, above.needs_approval) == (False, True)
    assert check_discount(found, 100).line_total_after == D("0.00")


@pytest.mark.parametrize("pct", ["-1", "100.01", "x", "Infinity"])
def test_a_discount_is_from_zero_to_a_hundred(company, catalogue, pct):
    with pytest.raises(PricingError) as error:
        check_discount(quote(company, catalogue), pct)
    assert error.value.code == "bad_discount"


def test_the_worked_example_of_docs_pricing(company):
    """docs/pricing.md, "A worked example", to the cent."""
    listed = price_list("Cennik 2026", valid_to=date(2026, 12, 31), tiers=("Detal", "Hurt", "Key"))
    coffee = product("KAW-0001", "Kawa ziarnista Arabica 1 kg", line="Kawa i herbata")
    set_price(listed, "Detal", coffee, "62.50")
    set_price(listed, "Hurt", coffee, "55.00")
    set_price(listed, "Key", coffee, "46.50", "slab", (("50", "45.00"), ("200", "43.50")))
    rule("Standard", "5")
    rule("Key", "7", tier="Key")
    chosen = rule("Key: kawa i herbata", "10", tier="Key", product_line="Kawa i herbata")
    contract = make_contract(company, "a", number="UR/2024/00012", price_tier="key")
    found = price_for(account=company["a1"], product=coffee, quantity=230, on=DAY)
    assert (found.tier.name, found.tier_source, found.contract) == (
        "Key", tiers.GROUP_CONTRACT, contract,
    )  # fmt: skip
    assert [(s.quantity, s.unit_price, s.amount) for s in found.priced.slabs] == [
        (D(50), D("46.50"), D("2325.00")), (D(150), D("45.00"), D("6750.00")),
        (D(30), D("43.50"), D("1305.00")),
    ]  # fmt: skip
    assert (found.line_total, found.net_unit_price) == (D("10380.00"), D("45.13"))
    assert (found.rule, found.max_discount_pct) == (chosen, D("10.00"))
    assert (check_discount(found, 10).line_total_after, check_discount(found, 10).within_rule) == (
        D("9342.00"), True,
    )  # fmt: skip
    assert (check_discount(found, 12).line_total_after, check_discount(found, 12).within_rule) == (
        D("9134.40"), False,
    )  # fmt: skip
    set_price(listed, "Key", coffee, "46.50", "range", (("50", "45.00"), ("200", "43.50")))
    by_range = price_for(account=company["a1"], product=coffee, quantity=230, on=DAY)
    assert by_range.line_total == D("10005.00")
