"""A 1C counterparties list as 1C saves it: Russian headers, no country column, INN and
KPP; Windows-1251 or UTF-8 with a BOM.

Without a country column an INN or KPP column means the customers are Russian; a source's
saved default country says otherwise; an INN that fails says which country it was
checked for and how to change that.
"""

from __future__ import annotations

import pytest

from openkam.accounts.models import Account
from openkam.ingest.defaults import save_defaults
from openkam.ingest.mappings import save_mapping
from openkam.ingest.tests.conftest import database_state

# Sberbank, Gazprom and one of its branches (same INN, its own KPP), a sole trader (a
# twelve-digit INN and no KPP); 1C writes codes with leading zeros.
COUNTERPARTIES_1C = (
    "Код;Наименование;ИНН;КПП;Город;Головной контрагент\n"
    "00-000001;Сбербанк ПАО;7707083893;773601001;Москва;\n"
    "00-000002;Газпром ПАО;7736050003;772801001;Санкт-Петербург;\n"
    "00-000003;Газпром, филиал Югорск;7736050003;862245001;Югорск;00-000002\n"
    "00-000004;ИП Иванов Иван Иванович;500100732259;;Подольск;\n"
)


def errors_of(outcome):
    return [(e.line, e.column, e.reason) for e in outcome.errors]


def stored():
    return sorted(
        Account.objects.values_list(
            "external_id", "country", "tax_id", "kpp", "parent__external_id"
        )
    )


@pytest.mark.parametrize(
    "encoding, prefix", [("cp1251", ""), ("utf-8", "\ufeff")], ids=["windows-1251", "utf-8 bom"]
)
def test_a_1c_counterparties_list_imports_as_russian_customers(
    db, write_file, run_import, encoding, prefix
):
    path = write_file("Контрагенты.csv", prefix + COUNTERPARTIES_1C, encoding)
    outcome = run_import("accounts", path, source="1c")
    assert outcome.ok, outcome.errors
    assert outcome.counts == {"created": 4, "updated": 0, "unchanged": 0}
    assert stored() == [
        ("00-000001", "RU", "7707083893", "773601001", None),
        ("00-000002", "RU", "7736050003", "772801001", None),
        ("00-000003", "RU", "7736050003", "862245001", "00-000002"),
        ("00-000004", "RU", "500100732259", "", None),
    ]
    before = database_state()
    again = run_import("accounts", path, source="1c")
    assert again.counts == {"created": 0, "updated": 0, "unchanged": 4}
    assert database_state() == before


def test_a_bad_inn_names_the_country_assumed_and_how_to_change_it(db, write_file, run_import):
    text = COUNTERPARTIES_1C.replace("7707083893", "7707083894")
    outcome = run_import("accounts", write_file("k.csv", text, "cp1251"), source="1c")
    assert errors_of(outcome) == [(2, "tax_id", "bad_value")]
    detail = outcome.errors[0].detail
    assert detail.startswith("7707083894 is not a valid INN (check digit or length); ")
    assert "tax id of RU" in detail and "INN or KPP column and no country column" in detail
    assert "--country XX --save-defaults" in detail
    assert not Account.objects.exists()


def test_the_source_default_country_wins_over_the_headers(db, write_file, run_import):
    # A Belarusian 1C: UNPs are no INNs, so nothing is checked against Russia's rules.
    save_defaults(source="1c-minsk", country="by", actor=None)
    text = "Код;Наименование;ИНН;КПП\nБ-1;ОАО Белшина;700068937;\n"
    outcome = run_import("accounts", write_file("k.csv", text, "cp1251"), source="1c-minsk")
    assert outcome.ok, outcome.errors
    assert stored() == [("Б-1", "BY", "700068937", "", None)]


def test_a_bad_tax_id_under_a_source_default_says_so(db, write_file, run_import):
    save_defaults(source="comarch", country="PL", actor=None)
    text = "Kod;Nazwa;NIP\nK1;Hurtownia Alfa;526-025-09-90\n"
    outcome = run_import("accounts", write_file("k.csv", text, "cp1250"), source="comarch")
    assert errors_of(outcome) == [(2, "tax_id", "bad_value")]
    assert "the default country of source 'comarch'" in outcome.errors[0].detail


def test_a_country_given_for_one_import_wins_for_that_import(db, write_file, run_import):
    text = "Код;Наименование;ИНН\nК-1;ТОО Алма;180240019645\n"  # a Kazakh BIN
    path = write_file("k.csv", text, "cp1251")
    refused = run_import("accounts", path, source="1c")
    assert errors_of(refused) == [(2, "tax_id", "bad_value")]
    outcome = run_import("accounts", path, source="1c", defaults={"country": "kz"})
    assert outcome.ok, outcome.errors
    assert stored() == [("К-1", "KZ", "180240019645", "", None)]


def test_a_country_column_checks_each_row_for_its_own_country(db, write_file, run_import):
    text = (
        "Код;Наименование;ИНН;КПП;Страна\n"
        "00-1;Сбербанк ПАО;7707083893;773601001;RU\n"
        "00-2;Hurtownia Alfa;5260250995;;PL\n"
    )
    assert run_import("accounts", write_file("k.csv", text, "cp1251")).ok
    assert [row[:3] for row in stored()] == [
        ("00-1", "RU", "7707083893"),
        ("00-2", "PL", "5260250995"),
    ]


def test_a_bad_kpp_is_a_bad_value(db, write_file, run_import):
    text = COUNTERPARTIES_1C.replace("773601001", "77360100")
    outcome = run_import("accounts", write_file("k.csv", text, "cp1251"), source="1c")
    assert errors_of(outcome) == [(2, "kpp", "bad_value")]
    assert "77360100 is not a valid KPP" in outcome.errors[0].detail


def test_a_kpp_with_letters_in_its_reason_code_is_kept(db, write_file, run_import):
    text = COUNTERPARTIES_1C.replace("862245001", "8622ab001")
    assert run_import("accounts", write_file("k.csv", text, "cp1251"), source="1c").ok
    assert Account.objects.get(external_id="00-000003").kpp == "8622AB001"


def test_every_unknown_header_of_a_full_1c_list_is_named_at_once(db, write_file, run_import):
    header = "Код;Наименование;Полное наименование;ИНН;КПП;Юр. / физ. лицо;Комментарий\n"
    row = "00-1;Сбербанк ПАО;ПАО Сбербанк;7707083893;773601001;Юр. лицо;\n"
    outcome = run_import("accounts", write_file("k.csv", header + row, "cp1251"), source="1c")
    problems = {(e.line, e.column): e.detail for e in outcome.errors}
    assert set(problems) == {(1, "Полное наименование"), (1, "Юр. / физ. лицо"), (1, "Комментарий")}
    assert {e.reason for e in outcome.errors} == {"wrong_columns"}
    assert "'Наименование' and 'Полное наименование'" in problems[(1, "Полное наименование")]
    assert not Account.objects.exists()
    # Mapped once for the source, the same export imports every night.
    save_mapping(
        source="1c", kind="accounts", actor=None,
        mapping={"Полное наименование": "-", "Юр. / физ. лицо": "-", "Комментарий": "-"},
    )  # fmt: skip
    outcome = run_import("accounts", write_file("k.csv", header + row, "cp1251"), source="1c")
    assert outcome.ok, outcome.errors
    assert stored() == [("00-1", "RU", "7707083893", "773601001", None)]
