"""Writes to the price catalogue: validated, audited, for heads and administrators only."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openkam.core.models import AuditEntry
from openkam.pricing import services
from openkam.pricing.models import Price, PriceList, VolumeBand
from openkam.pricing.tests.factories import price_list, product, rule, set_price, tier


def entries(model, *records) -> list[AuditEntry]:
    """The audit entries of a model (of these records), oldest first."""
    found = AuditEntry.objects.filter(model=model._meta.label)
    if records:
        found = found.filter(object_id__in=[str(record.pk) for record in records])
    return list(found.order_by("pk"))


# --- validity of price lists ---------------------------------------------------------------


def test_lists_of_one_currency_may_not_share_a_day(db):
    price_list("Cennik 2026", valid_to=date(2026, 12, 31))
    with pytest.raises(ValidationError) as error:
        price_list("Cennik 2026 bis", valid_from=date(2026, 12, 31))
    (message,) = error.value.message_dict["valid_from"]
    assert message.startswith(
        "The price list Cennik 2026 in PLN is valid from 2026-01-01 to 2026-12-31, which "
        "overlaps these dates"
    )
    assert not PriceList.objects.filter(name="Cennik 2026 bis").exists()


def test_successive_lists_and_other_currencies_are_fine(db):
    price_list("Cennik 2026", valid_to=date(2026, 12, 31))
    price_list("Cennik 2027", valid_from=date(2027, 1, 1))
    price_list("Export", currency="EUR")
    assert PriceList.objects.count() == 3


def test_an_open_ended_list_overlaps_every_later_one_until_it_is_ended(company):
    current = price_list("Cennik 2026")
    with pytest.raises(ValidationError):
        price_list("Cennik 2027", valid_from=date(2027, 1, 1))
    assert services.price_list_update(
        actor=company["head"], price_list=current, valid_to=date(2026, 12, 31)
    )
    price_list("Cennik 2027", valid_from=date(2027, 1, 1))


def test_a_list_ending_before_it_starts_is_refused(db):
    with pytest.raises(ValidationError) as error:
        price_list(valid_from=date(2026, 6, 1), valid_to=date(2026, 5, 31))
    assert "valid_to" in error.value.message_dict


def test_an_earlier_list_stretched_over_a_later_one_is_refused(db):
    earlier = price_list("Cennik 2026", valid_to=date(2026, 12, 31))
    price_list("Cennik 2027", valid_from=date(2027, 1, 1))
    with pytest.raises(ValidationError):
        services.price_list_update(actor=None, price_list=earlier, valid_to=date(2027, 1, 1))
    earlier.refresh_from_db()
    assert earlier.valid_to == date(2026, 12, 31)


def test_a_list_is_audited(company):
    listed = services.price_list_create(
        actor=company["head"], name=" Cennik ", currency="pln", valid_from=date(2026, 1, 1)
    )
    assert (listed.name, listed.currency) == ("Cennik", "PLN")
    (entry,) = entries(PriceList, listed)
    assert (entry.actor, entry.action, entry.changes["name"]) == (
        company["head"], "create", [None, "Cennik"],
    )  # fmt: skip


# --- tiers ---------------------------------------------------------------------------------


def test_a_lists_first_tier_is_its_default_and_a_new_default_replaces_it(db):
    listed = price_list(tiers=("Detal", "Hurt"))
    assert [(t.name, t.position, t.is_default) for t in listed.tiers.all()] == [
        ("Detal", 0, True), ("Hurt", 1, False),
    ]  # fmt: skip
    services.tier_create(actor=None, price_list=listed, name="Key", is_default=True)
    assert [t.name for t in listed.tiers.filter(is_default=True)] == ["Key"]


def test_tier_names_are_unique_in_a_list_in_any_case(db):
    listed = price_list(tiers=("Key",))
    with pytest.raises(ValidationError):
        services.tier_create(actor=None, price_list=listed, name="KEY")
    other = price_list("Export", currency="EUR", tiers=("Key",))
    assert tier(other, "Key").price_list == other


# --- prices and bands ----------------------------------------------------------------------


def test_price_set_creates_updates_and_leaves_alone(db):
    listed, widget = price_list(), product()
    key = tier(listed, "Key")
    price, state = services.price_set(actor=None, tier=key, product=widget, unit_price=D("10"))
    assert (state, price.band_mode) == ("created", "range")
    assert services.price_set(actor=None, tier=key, product=widget, unit_price=D("10.00"))[1] == (
        "unchanged"
    )
    assert services.price_set(actor=None, tier=key, product=widget, unit_price=D("9.90"))[1] == (
        "updated"
    )


def test_bands_replace_the_stored_band_set(db):
    listed, widget = price_list(), product()
    price = set_price(listed, "Key", widget, "10.00", "slab", (("100", "9.50"), ("500", "9.00")))
    set_price(listed, "Key", widget, "10.00", "slab", (("100", "9.40"), ("1000", "8.50")))
    assert [(b.min_quantity, b.unit_price) for b in price.bands.all()] == [
        (D("100.000"), D("9.40")), (D("1000.000"), D("8.50")),
    ]  # fmt: skip
    assert [e.action for e in entries(VolumeBand)] == [
        "create", "create", "delete", "update", "create",
    ]  # fmt: skip
    _price, state = services.price_set(
        actor=None, tier=tier(listed, "Key"), product=widget, unit_price=D("10.00"), bands=[]
    )
    assert state == "updated" and not price.bands.exists()


@pytest.mark.parametrize(
    "bands", [[(D("0"), D("1"))], [(D("10"), D("-1"))], [(D("5"), D("1")), (D("5"), D("2"))]]
)
def test_bad_bands_are_refused(db, bands):
    listed, widget = price_list(), product()
    with pytest.raises(ValidationError):
        services.price_set(
            actor=None, tier=tier(listed, "Key"), product=widget, unit_price=D("1"), bands=bands
        )
    assert not Price.objects.exists()


def test_a_negative_price_is_refused(db):
    with pytest.raises(ValidationError):
        set_price(price_list(), "Key", product(), "-0.01")


# --- rules ---------------------------------------------------------------------------------


def test_a_minimum_value_needs_its_currency_and_a_currency_its_value(db):
    with pytest.raises(ValidationError) as error:
        rule("Big", "8", min_amount=D("1000"))
    assert "currency" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        rule("Big", "8", currency="PLN")
    assert "min_amount" in error.value.message_dict


@pytest.mark.parametrize("pct", ["-1", "100.01"])
def test_a_rule_allows_zero_to_a_hundred_percent(db, pct):
    with pytest.raises(ValidationError):
        rule("Odd", pct)


def test_a_rule_is_ended_by_its_end_date_and_audited(company):
    found = rule("Standard", "5")
    assert services.discount_rule_update(
        actor=company["admin"], rule=found, valid_to=date(2026, 12, 31)
    )
    assert not services.discount_rule_update(
        actor=company["admin"], rule=found, valid_to=date(2026, 12, 31)
    )
    last = entries(type(found), found)[-1]
    assert last.changes == {"valid_to": [None, "2026-12-31"]}


# --- who may write -------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["owner", "senior", "finance", "viewer"])
def test_only_heads_and_administrators_change_the_catalogue(company, persona):
    actor = company[persona]
    with pytest.raises(PermissionDenied):
        services.price_list_create(actor=actor, name="X", currency="PLN", valid_from=date.today())
    with pytest.raises(PermissionDenied):
        services.discount_rule_create(
            actor=actor, name="X", max_discount_pct=D(1), valid_from=date.today()
        )
    assert not PriceList.objects.exists()


@pytest.mark.parametrize("persona", ["head", "admin"])
def test_heads_and_administrators_do(company, persona):
    listed = services.price_list_create(
        actor=company[persona], name="X", currency="PLN", valid_from=date(2026, 1, 1)
    )
    services.tier_create(actor=company[persona], price_list=listed, name="Key")
    assert listed.tiers.count() == 1
