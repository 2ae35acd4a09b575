"""Price lists and discount rules from files, through the pricing services: Polish and
Russian headers, all or nothing, every problem on its line and column."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from openkam.core.models import AuditEntry
from openkam.ingest.tests.conftest import database_state
from openkam.pricing.models import DiscountRule, Price, PriceList, PriceTier, VolumeBand
from openkam.pricing.tests.factories import price_list

# Comarch-like, Windows-1250: decimal commas, Polish dates, a slab band set on P1's Hurt.
PRICES_PL = (
    "Cennik;Waluta;Obowiązuje od;Obowiązuje do;Indeks;Poziom cen;Cena netto;Od ilości;"
    "Rodzaj progów\n"
    "Cennik 2026;PLN;01.01.2026;31.12.2026;P1;Detal;12,50;;\n"
    "Cennik 2026;PLN;01.01.2026;31.12.2026;P1;Hurt;11,00;;przedziałami\n"
    "Cennik 2026;PLN;01.01.2026;31.12.2026;P1;Hurt;10,50;100;\n"
    "Cennik 2026;PLN;01.01.2026;31.12.2026;P1;Hurt;10,00;500;\n"
    "Cennik 2026;PLN;01.01.2026;31.12.2026;P2;Detal;3,20;;\n"
)
# 1C, Windows-1251: the price types as tiers, a range band.
PRICES_RU = (
    "Прайс-лист;Валюта;Действует с;Артикул;Вид цен;Цена;Количество от;Тип ступеней\n"
    "Прайс EUR;EUR;2026-01-01;P1;Розничная;3,10;;\n"
    "Прайс EUR;EUR;2026-01-01;P1;Оптовая;2,80;;диапазон\n"
    "Прайс EUR;EUR;2026-01-01;P1;Оптовая;2,60;50;\n"
)


def errors_of(outcome):
    return [(e.line, e.column, e.reason) for e in outcome.errors]


def prices() -> list[tuple]:
    rows = Price.objects.select_related("tier__price_list", "product").order_by("pk")
    return [
        (p.tier.price_list.name, p.product.sku, p.tier.name, p.unit_price, p.band_mode,
         [(b.min_quantity, b.unit_price) for b in p.bands.all()])
        for p in rows
    ]  # fmt: skip


def test_a_polish_price_list(erp, write_file, run_import):
    outcome = run_import("price_lists", write_file("cennik.csv", PRICES_PL, "cp1250"))
    assert outcome.ok, outcome.errors
    assert outcome.counts == {"created": 3, "updated": 0, "unchanged": 0, "price_lists_created": 1}
    listed = PriceList.objects.get()
    assert (listed.currency, listed.valid_from, listed.valid_to) == (
        "PLN", date(2026, 1, 1), date(2026, 12, 31),
    )  # fmt: skip
    assert [(t.name, t.position, t.is_default) for t in listed.tiers.all()] == [
        ("Detal", 0, True), ("Hurt", 1, False),
    ]  # fmt: skip
    assert prices() == [
        ("Cennik 2026", "P1", "Detal", Decimal("12.50"), "range", []),
        ("Cennik 2026", "P1", "Hurt", Decimal("11.00"), "slab",
         [(Decimal("100.000"), Decimal("10.50")), (Decimal("500.000"), Decimal("10.00"))]),
        ("Cennik 2026", "P2", "Detal", Decimal("3.20"), "range", []),
    ]  # fmt: skip
    assert AuditEntry.objects.filter(model="pricing.Price", via="import").count() == 3
    from openkam.ingest.summary import summary_lines

    assert "price lists created: 1" in summary_lines(outcome)


def test_a_russian_price_list(erp, write_file, run_import):
    outcome = run_import("price_lists", write_file("прайс.csv", PRICES_RU, "cp1251"))
    assert outcome.ok, outcome.errors
    assert prices() == [
        ("Прайс EUR", "P1", "Розничная", Decimal("3.10"), "range", []),
        ("Прайс EUR", "P1", "Оптовая", Decimal("2.80"), "range",
         [(Decimal("50.000"), Decimal("2.60"))]),
    ]  # fmt: skip


def test_the_same_file_twice_changes_nothing(erp, write_file, run_import):
    path = write_file("cennik.csv", PRICES_PL, "cp1250")
    run_import("price_lists", path)
    before = database_state(), prices()
    outcome = run_import("price_lists", path)
    assert outcome.counts == {"created": 0, "updated": 0, "unchanged": 3, "price_lists_created": 0}
    assert (database_state(), prices()) == before


def test_a_new_file_updates_prices_and_replaces_an_items_bands(erp, write_file, run_import):
    run_import("price_lists", write_file("cennik.csv", PRICES_PL, "cp1250"))
    changed = (
        "Cennik;Waluta;Obowiązuje od;Obowiązuje do;Indeks;Poziom cen;Cena netto;Od ilości\n"
        "Cennik 2026;PLN;01.01.2026;31.12.2026;P1;Hurt;11,20;;\n"
        "Cennik 2026;PLN;01.01.2026;31.12.2026;P1;Hurt;10,20;200;\n"
        "Cennik 2026;PLN;01.01.2026;31.12.2026;P1;Key;9,90;;\n"
    )
    outcome = run_import("price_lists", write_file("zmiana.csv", changed, "utf-8"))
    assert outcome.counts == {"created": 1, "updated": 1, "unchanged": 0, "price_lists_created": 0}
    hurt = Price.objects.get(tier__name="Hurt")
    assert (hurt.unit_price, hurt.band_mode) == (Decimal("11.20"), "slab")  # no column: kept
    assert [(b.min_quantity, b.unit_price) for b in hurt.bands.all()] == [
        (Decimal("200.000"), Decimal("10.20"))
    ]
    assert Price.objects.filter(product__sku="P2").exists()  # not in the file: left alone
    assert PriceTier.objects.get(name="Key").is_default is False


def test_a_band_for_a_stored_list_price_needs_no_list_price_row(erp, write_file, run_import):
    run_import("price_lists", write_file("cennik.csv", PRICES_PL, "cp1250"))
    bands_only = (
        "price_list;valid_from;valid_to;sku;tier;unit_price;min_quantity;band_mode\n"
        "Cennik 2026;2026-01-01;2026-12-31;P2;Detal;3.00;10;range\n"
    )
    outcome = run_import("price_lists", write_file("progi.csv", bands_only))
    assert outcome.ok, outcome.errors
    detal = Price.objects.get(product__sku="P2")
    assert (detal.unit_price, [b.min_quantity for b in detal.bands.all()]) == (
        Decimal("3.20"), [Decimal("10.000")],
    )  # fmt: skip


def test_an_overlapping_list_is_refused_on_its_first_line(erp, write_file, run_import):
    price_list("Stary cennik", valid_to=date(2026, 6, 30))
    outcome = run_import("price_lists", write_file("cennik.csv", PRICES_PL, "cp1250"))
    assert errors_of(outcome) == [(2, "valid_from", "bad_value")]
    assert "Stary cennik" in outcome.errors[0].detail
    assert PriceList.objects.count() == 1 and not Price.objects.exists()


BAD = (
    "price_list;currency;valid_from;valid_to;sku;tier;unit_price;min_quantity;band_mode\n"
    "L;PLN;2026-01-01;;P1;Detal;1.00;;\n"  # 2: fine
    "L;EUR;2026-01-01;;P2;Detal;1.00;;\n"  # 3: another currency for the same list
    "L;PLN;2026-01-01;;P9;Detal;1.00;;\n"  # 4: unknown product
    "L;PLN;2026-01-01;;P1;Detal;-1.00;;\n"  # 5: negative price
    "L;PLN;2026-01-01;;P1;Detal;1.00;0;\n"  # 6: a band from zero
    "L;PLN;2026-01-01;;P1;Detal;2.00;;\n"  # 7: the list price twice
    "L;PLN;2026-01-01;;P1;Hurt;1.00;;sometimes\n"  # 8: unknown band mode
    "L;PLN;31.02.2026;;P1;Key;1.00;;\n"  # 9: bad date
    "L;PLN;2026-01-01;;P1;Key;abc;;\n"  # 10: bad number
    "L;PLN;2026-01-01;;;Key;1.00;;\n"  # 11: no SKU
    "L;XX;2026-01-01;;P2;Key;1.00;;\n"  # 12: bad currency
    "L;PLN;2026-01-01;;P2;Key;1.00;5;slab\n"  # 13: fine (a band)
    "L;PLN;2026-01-01;;P2;Key;1.00;5;\n"  # 14: that band twice
    "L;PLN;2026-01-01;;P2;Key;1.00;7;range\n"  # 15: the other mode for the same bands
)


def test_every_bad_row_is_named_and_nothing_is_stored(erp, write_file, run_import):
    before = database_state()
    outcome = run_import("price_lists", write_file("zle.csv", BAD))
    assert errors_of(outcome) == [
        (3, "currency", "bad_value"),
        (4, "sku", "unknown_product"),
        (5, "unit_price", "bad_value"),
        (6, "min_quantity", "bad_value"),
        (7, "unit_price", "duplicate_id"),
        (8, "band_mode", "bad_value"),
        (9, "valid_from", "bad_date"),
        (10, "unit_price", "bad_number"),
        (11, "sku", "missing_required"),
        (12, "currency", "bad_value"),
        (14, "min_quantity", "duplicate_id"),
        (15, "band_mode", "bad_value"),
    ]
    assert "line 2" in outcome.errors[0].detail
    assert database_state() == before
    assert not (PriceList.objects.exists() or Price.objects.exists() or VolumeBand.objects.exists())


def test_a_band_without_any_list_price_is_an_error(erp, write_file, run_import):
    text = (
        "price_list;valid_from;sku;tier;unit_price;min_quantity\n"
        "L;2026-01-01;P1;Detal;1.00;;\n"
        "L;2026-01-01;P2;Detal;0.90;10\n"
    )
    outcome = run_import("price_lists", write_file("progi.csv", text))
    assert errors_of(outcome) == [(3, "min_quantity", "missing_required")]
    assert not PriceList.objects.exists()


def test_a_missing_required_column_is_named(erp, write_file, run_import):
    outcome = run_import("price_lists", write_file("x.csv", "Cennik;Indeks;Cena\nL;P1;1\n"))
    assert {(e.column, e.reason) for e in outcome.errors} == {
        ("valid_from", "wrong_columns"), ("tier", "wrong_columns"),
    }  # fmt: skip


def test_a_kam_may_not_import_prices(erp, write_file, run_import, company):
    outcome = run_import(
        "price_lists", write_file("cennik.csv", PRICES_PL, "cp1250"), actor=company["owner"]
    )
    assert errors_of(outcome) == [(2, "price_list", "not_allowed")]
    assert not PriceList.objects.exists()


# --- discount rules ------------------------------------------------------------------------

RULES_PL = (
    "Nazwa reguły;Poziom cen;Segment;Grupa towarowa;Od ilości;Od wartości;Waluta;"
    "Maks. rabat (%);Priorytet;Obowiązuje od;Obowiązuje do;Uwagi\n"
    "Standard;;;;;;;5 %;;01.01.2026;;Dla wszystkich\n"
    "Key kawa;Key;;Kawa i herbata;;;;10;;01.01.2026;;\n"
    "Duże zamówienie;;;;500;;;7,5;;01.01.2026;;\n"
    "Hurt od 10 tys.;Hurt;;;;10 000,00;;8;5;01.01.2026;31.12.2026;\n"
)
RULES_RU = (
    "Правило;Вид цен;Сегмент;Максимальная скидка (%);Приоритет;Действует с\n"
    "Опт HoReCa;Оптовая;HoReCa;6,5;2;2026-01-01\n"
)


def rules() -> list[tuple]:
    return [
        (r.name, r.tier, r.segment, r.product_line, r.min_quantity, r.min_amount, r.currency,
         r.max_discount_pct, r.priority, r.valid_from, r.valid_to, r.note)
        for r in DiscountRule.objects.order_by("pk")
    ]  # fmt: skip


def test_polish_discount_rules(db, write_file, run_import):
    outcome = run_import("discount_rules", write_file("rabaty.csv", RULES_PL, "cp1250"))
    assert outcome.ok, outcome.errors
    assert outcome.counts == {"created": 4, "updated": 0, "unchanged": 0}
    start = date(2026, 1, 1)
    assert rules() == [
        ("Standard", "", "", "", None, None, "", Decimal("5.00"), 0, start, None,
         "Dla wszystkich"),
        ("Key kawa", "Key", "", "Kawa i herbata", None, None, "", Decimal("10.00"), 0, start,
         None, ""),
        ("Duże zamówienie", "", "", "", Decimal("500.000"), None, "", Decimal("7.50"), 0, start,
         None, ""),
        ("Hurt od 10 tys.", "Hurt", "", "", None, Decimal("10000.00"), "PLN", Decimal("8.00"), 5,
         start, date(2026, 12, 31), ""),
    ]  # fmt: skip
    outcome = run_import("discount_rules", write_file("rabaty.csv", RULES_PL, "cp1250"))
    assert outcome.counts == {"created": 0, "updated": 0, "unchanged": 4}


def test_russian_discount_rules_update_by_name(db, write_file, run_import):
    run_import("discount_rules", write_file("скидки.csv", RULES_RU, "cp1251"))
    changed = RULES_RU.replace("6,5", "7")
    outcome = run_import("discount_rules", write_file("скидки2.csv", changed, "cp1251"))
    assert outcome.counts == {"created": 0, "updated": 1, "unchanged": 0}
    assert rules()[0][:9] == (
        "Опт HoReCa", "Оптовая", "HoReCa", "", None, None, "", Decimal("7.00"), 2,
    )  # fmt: skip


def test_bad_rules_are_each_named_and_nothing_is_stored(db, write_file, run_import):
    text = (
        "name;max_discount_pct;valid_from;valid_to;min_amount;currency\n"
        "A;5;2026-01-01;;;\n"
        "A;6;2026-01-01;;;\n"  # 3: the same name
        "B;x;2026-01-01;;;\n"  # 4: not a number
        "C;;2026-01-01;;;\n"  # 5: no discount
        "D;5;2026-01-01;;;EURO\n"  # 6: a bad currency
    )
    outcome = run_import("discount_rules", write_file("zle.csv", text))
    assert errors_of(outcome) == [
        (3, "name", "duplicate_id"), (4, "max_discount_pct", "bad_number"),
        (5, "max_discount_pct", "missing_required"), (6, "currency", "bad_value"),
    ]  # fmt: skip
    assert not DiscountRule.objects.exists()


def test_the_rules_own_checks_are_reported_on_their_line(db, write_file, run_import):
    text = (
        "name;max_discount_pct;valid_from;valid_to;currency\n"
        "A;5;2026-01-01;;\n"
        "B;101;2026-01-01;;\n"  # 3: over 100 %
        "C;5;2026-06-01;2026-05-31;\n"  # 4: ends before it starts
        "D;5;2026-01-01;;PLN\n"  # 5: a currency without a minimum value
    )
    outcome = run_import("discount_rules", write_file("zle.csv", text))
    assert errors_of(outcome) == [
        (3, "max_discount_pct", "bad_value"), (4, "valid_to", "bad_value"),
        (5, "min_amount", "bad_value"),
    ]  # fmt: skip
    assert not DiscountRule.objects.exists()


@pytest.mark.parametrize("kind", ["price_lists", "discount_rules"])
def test_the_kinds_are_offered_on_the_import_page(kind):
    from openkam.ingest.models import ImportBatch

    assert kind in ImportBatch.Kind.values
