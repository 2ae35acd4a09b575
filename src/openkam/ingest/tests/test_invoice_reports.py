"""Invoice reports as Polish and Russian ERPs save them: the customer by NIP or INN instead
of its ERP id, a gross amount (with VAT) per line, a totals row at the end.

Each of the invoice paths must write the same ledger: the first load of a source (read
with polars, `invoice_frames` + `invoice_bulk`), PostgreSQL's whole-file staging
(`invoice_copy`), the row by row reading (`invoices`), spreadsheets; and the merge into
stored invoices (`invoice_sql`).
"""

from __future__ import annotations

import datetime as dt
from datetime import datetime
from decimal import Decimal

import pytest
from django.db import connection

from openkam.ingest.summary import summary_lines
from openkam.ingest.tests.conftest import database_state
from openkam.ingest.tests.test_invoice_copy import stage
from openkam.ingest.tests.test_invoice_first_load import read
from openkam.ledger.models import Invoice

POSTGRES = connection.vendor == "postgresql"

# Comarch ERP Optima, "Rejestr sprzedaży" by line, saved to CSV in Windows-1250: the buyer
# by NIP (as typed, with dashes or a PL prefix), net and gross values with decimal commas.
COMARCH = (
    "Numer faktury;Lp.;Data wystawienia;Termin płatności;NIP nabywcy;Indeks;Ilość;"
    "Wartość netto;Wartość brutto\n"
    "FA/1/03/2024;1;01.03.2024;15.03.2024;526-025-09-95;P1;10;1 000,00;1 230,00\n"
    "FA/1/03/2024;2;01.03.2024;15.03.2024;526-025-09-95;P2;5;200,00;246,00\n"
    "FA/2/03/2024;1;02.03.2024;16.03.2024;PL5261040828;P1;1;50,00;61,50\n"
)
TOTALS = "Razem:;;;;;;16;1 250,00;1 537,50\n"
# 1C, "Реализация товаров и услуг" by line, Windows-1251: the buyer by INN.
ONE_C = (
    "Номер документа;Номер строки;Дата;ИНН;Артикул;Количество;Сумма без НДС;Сумма с НДС;Валюта\n"
    "РН-000117;1;06.03.2024 0:00:00;7707083893;P1;500;41 250,00;49 500,00;RUB\n"
    "РН-000117;2;06.03.2024 0:00:00;7707083893;P2;300;38 700,00;46 440,00;RUB\n"
    "РН-000118;1;07.03.2024 14:35:12;7736050003;P1;1 000;72 000,00;86 400,00;RUB\n"
    "Итого;;;;;1 800;151 950,00;182 340,00;\n"
)
WRITTEN = [
    ("FA/1/03/2024", "K1", dt.date(2024, 3, 1), Decimal("1200.00"), Decimal("1476.00")),
    ("FA/2/03/2024", "K2", dt.date(2024, 3, 2), Decimal("50.00"), Decimal("61.50")),
]


@pytest.fixture
def taxed(erp):
    """The ERP's customers with their NIPs, and two Russian customers with INNs."""
    from openkam.accounts.models import Account

    erp["k1"].tax_id, erp["k2"].tax_id = "5260250995", "5261040828"
    for account in (erp["k1"], erp["k2"]):
        account.save()
    for key, inn in (("R1", "7707083893"), ("R2", "7736050003")):
        Account.objects.create(name=key, source="erp", external_id=key, country="RU", tax_id=inn)
    return erp


def errors_of(outcome):
    return [(e.line, e.column, e.reason) for e in outcome.errors]


def invoices():
    return sorted(
        Invoice.objects.exclude(number="OLD-1").values_list(
            "number", "account__external_id", "issued_on", "net_total", "gross_total"
        )
    )


def store_an_invoice(taxed) -> None:
    """A stored invoice of the source: the file is then staged and compared."""
    Invoice.objects.create(
        source="erp", external_id="OLD-1", number="OLD-1", account=taxed["k1"],
        issued_on=dt.date(2020, 1, 1), currency="PLN", net_total=0, cost_total=0,
    )  # fmt: skip


def write_xlsx(path, text: str) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    for line in text.splitlines():
        workbook.active.append(line.split(";"))
    workbook.save(path)


# --- the customer by NIP and the gross total, on every path ---------------------------
def test_a_first_load_reads_nips_and_gross_amounts(taxed, write_file, run_import):
    path = write_file("rejestr.csv", COMARCH, "cp1250")
    assert read(path) is not None  # the first-load path takes the file
    outcome = run_import("invoices", path)
    assert outcome.ok, outcome.errors
    assert invoices() == WRITTEN


def test_the_staged_path_reads_nips_and_gross_amounts(taxed, write_file, run_import):
    store_an_invoice(taxed)
    path = write_file("rejestr.csv", COMARCH, "cp1250")
    taken, _rows, _count = stage(path, whole_file=True)
    assert taken is POSTGRES  # PostgreSQL stages the file's bytes whole; SQLite row by row
    outcome = run_import("invoices", path)
    assert outcome.ok, outcome.errors
    assert invoices() == WRITTEN


def test_the_row_by_row_path_reads_nips_and_gross_amounts(taxed, write_file, run_import):
    # Quoted cells: neither whole-file path takes the file.
    text = COMARCH.replace("FA/2/03/2024;", '"FA/2/03/2024";')
    path = write_file("rejestr.csv", text, "cp1250")
    assert read(path) is None and stage(path, whole_file=True)[0] is False
    outcome = run_import("invoices", path)
    assert outcome.ok, outcome.errors
    assert invoices() == WRITTEN


def test_a_spreadsheet_reads_nips_and_gross_amounts(taxed, tmp_path, run_import):
    path = tmp_path / "rejestr.xlsx"
    write_xlsx(path, COMARCH)
    outcome = run_import("invoices", path)
    assert outcome.ok, outcome.errors
    assert invoices() == WRITTEN


def test_the_whole_file_staging_stages_what_the_row_path_stages(taxed, write_file):
    path = write_file("rejestr.csv", COMARCH, "cp1250")
    taken, rows, _count = stage(path, whole_file=True)
    _taken, expected, _count = stage(path, whole_file=False)
    assert rows == expected if taken else not rows
    assert [row[-1] for row in expected] == [
        Decimal("1230.00"), Decimal("246.00"), Decimal("61.50"),
    ]  # fmt: skip


@pytest.mark.parametrize("stored", [False, True], ids=["first load", "staged"])
def test_a_1c_report_by_inn_with_gross_amounts_and_totals(taxed, write_file, run_import, stored):
    if stored:
        store_an_invoice(taxed)
    outcome = run_import("invoices", write_file("реализация.csv", ONE_C, "cp1251"))
    assert outcome.ok, outcome.errors
    assert invoices() == [
        ("РН-000117", "R1", dt.date(2024, 3, 6), Decimal("79950.00"), Decimal("95940.00")),
        ("РН-000118", "R2", dt.date(2024, 3, 7), Decimal("72000.00"), Decimal("86400.00")),
    ]
    assert [(row.line, row.label) for row in outcome.skipped] == [(5, "Итого")]


# --- totals rows ----------------------------------------------------------------------
@pytest.mark.parametrize("stored", [False, True], ids=["first load", "staged"])
def test_a_totals_row_at_the_end_is_skipped_and_reported(taxed, write_file, run_import, stored):
    if stored:
        store_an_invoice(taxed)
    path = write_file("rejestr.csv", COMARCH + TOTALS, "cp1250")
    assert read(path) is None  # the first-load path leaves a file with a totals row
    outcome = run_import("invoices", path)
    assert outcome.ok, outcome.errors
    assert invoices() == WRITTEN
    assert outcome.rows == 3
    assert "line 5 skipped: a totals row (“Razem:”)" in summary_lines(outcome)


def test_a_totals_row_in_a_spreadsheet_is_skipped(taxed, tmp_path, run_import):
    path = tmp_path / "rejestr.xlsx"
    write_xlsx(path, COMARCH + TOTALS)
    outcome = run_import("invoices", path)
    assert outcome.ok, outcome.errors
    assert [(row.line, row.label) for row in outcome.skipped] == [(5, "Razem:")]


def test_a_row_that_only_starts_with_a_totals_word_is_data(erp, write_file, run_import):
    # "Suma" as a customer code is data: the row has text besides numbers.
    text = (
        "Numer faktury;Data;Kontrahent;Indeks;Ilość;Wartość netto\nFV/1;01.03.2024;SUMA;P1;1;10\n"
    )
    outcome = run_import("invoices", write_file("f.csv", text, "cp1250"))
    assert errors_of(outcome) == [(2, "account_id", "unknown_account")]
    assert outcome.skipped == []


# --- updates of the gross total -------------------------------------------------------
@pytest.mark.parametrize("quoted", [False, True], ids=["fast", "row by row"])
def test_a_changed_gross_amount_updates_the_invoice(taxed, write_file, run_import, quoted):
    run_import("invoices", write_file("a.csv", COMARCH, "cp1250"))
    text = COMARCH.replace("50,00;61,50", "50,00;60,00")
    if quoted:
        text = text.replace("FA/1/03/2024;1;", '"FA/1/03/2024";1;')
    outcome = run_import("invoices", write_file("b.csv", text, "cp1250"))
    assert (outcome.counts["updated"], outcome.counts["unchanged"]) == (1, 1)
    assert Invoice.objects.get(number="FA/2/03/2024").gross_total == Decimal("60.00")


def test_the_same_report_twice_changes_nothing(taxed, write_file, run_import):
    path = write_file("a.csv", COMARCH + TOTALS, "cp1250")
    run_import("invoices", path)
    before = database_state()
    outcome = run_import("invoices", path)
    assert outcome.counts == {"created": 0, "updated": 0, "unchanged": 2, "lines_written": 0}
    after = database_state()
    after.pop("AuditEntry"), before.pop("AuditEntry")
    assert after == before


def test_a_file_without_gross_amounts_keeps_the_stored_gross_total(taxed, write_file, run_import):
    run_import("invoices", write_file("a.csv", COMARCH, "cp1250"))
    net_only = "\n".join(line.rsplit(";", 1)[0] for line in COMARCH.splitlines()) + "\n"
    outcome = run_import("invoices", write_file("b.csv", net_only, "cp1250"))
    assert outcome.counts["unchanged"] == 2, outcome.errors
    assert invoices() == WRITTEN


def test_a_new_invoice_without_gross_amounts_has_no_gross_total(erp, write_file, run_import):
    text = "Numer faktury;Data;Kontrahent;Indeks;Ilość;Wartość netto\nFV/1;01.03.2024;K1;P1;1;10\n"
    assert run_import("invoices", write_file("f.csv", text, "cp1250")).ok
    invoice = Invoice.objects.get(number="FV/1")
    assert (invoice.gross_total, invoice.amount_due) == (None, Decimal("10.00"))


@pytest.mark.parametrize("stored", [False, True], ids=["first load", "staged"])
def test_a_gross_amount_on_some_lines_of_an_invoice_only_is_an_error(
    taxed, write_file, run_import, stored
):
    if stored:
        store_an_invoice(taxed)
    text = COMARCH.replace("200,00;246,00", "200,00;")
    before = database_state()
    outcome = run_import("invoices", write_file("a.csv", text, "cp1250"))
    assert errors_of(outcome) == [(3, "gross_amount", "conflicting_header")]
    assert "on some of its lines only" in outcome.errors[0].detail
    assert database_state() == before


def test_a_bad_gross_amount_is_a_bad_number(taxed, write_file, run_import):
    text = COMARCH.replace("50,00;61,50", "50,00;61,5O")
    outcome = run_import("invoices", write_file("a.csv", text, "cp1250"))
    assert errors_of(outcome) == [(4, "gross_amount", "bad_number")]
    assert not Invoice.objects.exists()


# --- customers by tax id: errors ------------------------------------------------------
@pytest.mark.parametrize("stored", [False, True], ids=["first load", "staged"])
def test_an_unknown_nip_names_the_line_and_column(taxed, write_file, run_import, stored):
    if stored:
        store_an_invoice(taxed)
    text = COMARCH.replace("PL5261040828", "7251801126")
    before = database_state()
    outcome = run_import("invoices", write_file("rejestr.csv", text, "cp1250"))
    assert errors_of(outcome) == [(4, "account_tax_id", "unknown_account")]
    assert "no account with tax id '7251801126' from source 'erp'" == outcome.errors[0].detail
    assert database_state() == before


def test_both_customer_columns_take_the_erp_id_first(taxed, write_file, run_import):
    text = (
        "Numer faktury;Data;Kontrahent;NIP;Indeks;Ilość;Wartość netto\n"
        "FV/1;01.03.2024;K2;5260250995;P1;1;10\n"
        "FV/2;01.03.2024;;5260250995;P1;1;10\n"
    )
    assert run_import("invoices", write_file("f.csv", text, "cp1250")).ok
    assert [row[:2] for row in invoices()] == [("FV/1", "K2"), ("FV/2", "K1")]


def test_a_spreadsheet_nip_written_as_a_number_is_found(taxed, tmp_path, run_import):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Numer faktury", "Data", "NIP", "Indeks", "Ilość", "Wartość netto"])
    workbook.active.append(["FV/1", datetime(2024, 3, 1), 5260250995, "P1", 1, 10])
    path = tmp_path / "f.xlsx"
    workbook.save(path)
    outcome = run_import("invoices", path)
    assert outcome.ok, outcome.errors
    assert [row[:2] for row in invoices()] == [("FV/1", "K1")]
