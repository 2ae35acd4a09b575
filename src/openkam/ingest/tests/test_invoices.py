"""Invoice import: one row per line, headers repeated; all or nothing; idempotent."""

from __future__ import annotations

from decimal import Decimal

import pytest

from openkam.ingest.tests.conftest import database_state
from openkam.ledger.models import Invoice, InvoiceLine

HEADER = "invoice_number;line_no;invoice_date;due_date;account_id;sku;quantity;net_amount;cost_amount;currency;return_reason\n"
GOOD = HEADER + (
    "FV/1;1;2024-03-01;15.03.2024;K1;P1;2;1 234,56;1000,00;PLN;\n"
    "FV/1;2;2024-03-01;15.03.2024;K1;P2;-1;-12,50;-10;PLN;damaged\n"
    "FV/2;1;01.04.2024;;K2;P1;3;30;20;EUR;\n"
)


def errors_of(outcome):
    return [(e.line, e.column, e.reason) for e in outcome.errors]


def test_lines_and_header_totals_are_written(erp, write_file, run_import):
    outcome = run_import("invoices", write_file("i.csv", GOOD))
    assert outcome.ok and outcome.counts["created"] == 2
    invoice = Invoice.objects.get(source="erp", external_id="FV/1")
    assert (invoice.net_total, invoice.cost_total) == (Decimal("1222.06"), Decimal("990.00"))
    assert str(invoice.due_on) == "2024-03-15"
    returned = invoice.lines.get(line_no=2)
    assert (returned.quantity, returned.return_reason) == (Decimal("-1"), "damaged")
    assert (returned.account_id, str(returned.issued_on), returned.currency) == (
        erp["k1"].pk,
        "2024-03-01",
        "PLN",
    )


def test_the_same_file_twice_changes_nothing(erp, write_file, run_import):
    path = write_file("i.csv", GOOD)
    run_import("invoices", path)
    before = database_state()
    lines_before = list(InvoiceLine.objects.order_by("pk").values())
    outcome = run_import("invoices", path)
    assert outcome.counts == {"created": 0, "updated": 0, "unchanged": 2, "lines_written": 0}
    after = database_state()
    after.pop("AuditEntry"), before.pop("AuditEntry")  # the batch summary is new
    assert after == before
    assert list(InvoiceLine.objects.order_by("pk").values()) == lines_before


def test_a_changed_line_updates_its_invoice_only(erp, write_file, run_import):
    run_import("invoices", write_file("i.csv", GOOD))
    untouched = Invoice.objects.get(number="FV/2").updated_at
    changed = GOOD.replace("K1;P2;-1;-12,50", "K1;P2;-1;-15,00")
    outcome = run_import("invoices", write_file("i2.csv", changed))
    assert (outcome.counts["updated"], outcome.counts["unchanged"]) == (1, 1)
    assert Invoice.objects.get(number="FV/1").net_total == Decimal("1219.56")
    assert Invoice.objects.get(number="FV/2").updated_at == untouched


def test_lines_missing_from_a_reimported_invoice_are_removed(erp, write_file, run_import):
    run_import("invoices", write_file("i.csv", GOOD))
    shorter = HEADER + "FV/1;1;2024-03-01;15.03.2024;K1;P1;2;1 234,56;1000,00;PLN;\n"
    outcome = run_import("invoices", write_file("i2.csv", shorter))
    assert outcome.counts["updated"] == 1
    invoice = Invoice.objects.get(number="FV/1")
    assert list(invoice.lines.values_list("line_no", flat=True)) == [1]
    assert invoice.net_total == Decimal("1234.56")
    assert Invoice.objects.filter(number="FV/2").exists()  # not in the file: kept


def test_line_numbers_follow_row_order_when_the_erp_gives_none(erp, write_file, run_import):
    text = (
        "invoice_number,invoice_date,account_id,sku,quantity,net_amount\n"
        "A/1,2024-01-02,K1,P1,1,10\n"
        "A/2,2024-01-02,K2,P1,1,20\n"
        "A/1,2024-01-02,K1,P2,1,30\n"
    )
    outcome = run_import("invoices", write_file("i.csv", text))
    assert outcome.ok
    lines = InvoiceLine.objects.filter(invoice__number="A/1").order_by("line_no")
    assert [(line.line_no, line.product.sku) for line in lines] == [(1, "P1"), (2, "P2")]


def test_dry_run_writes_nothing_but_reports_counts(erp, write_file, run_import):
    before = database_state()
    outcome = run_import("invoices", write_file("i.csv", GOOD), dry_run=True)
    assert outcome.ok and outcome.counts["created"] == 2
    assert database_state() == before


@pytest.mark.parametrize(
    "bad_row,expected",
    [
        ("FV/3;1;2024-02-30;;K1;P1;1;1;1;PLN;", (5, "invoice_date", "bad_date")),
        ("FV/3;1;2024-03-01;;K1;P1;1;12a;1;PLN;", (5, "net_amount", "bad_number")),
        ("FV/3;1;2024-03-01;;K1;P1;1,2,3;1;1;PLN;", (5, "quantity", "bad_number")),
        ("FV/3;1;2024-03-01;;NOPE;P1;1;1;1;PLN;", (5, "account_id", "unknown_account")),
        ("FV/3;1;2024-03-01;;K1;NOPE;1;1;1;PLN;", (5, "sku", "unknown_product")),
        ("FV/3;1;2024-03-01;;K1;P1;;1;1;PLN;", (5, "quantity", "missing_required")),
        (";1;2024-03-01;;K1;P1;1;1;1;PLN;", (5, "invoice_number", "missing_required")),
        ("FV/3;1;2024-03-01;;K1;P1;1;1;1;ZŁOTE;", (5, "currency", "bad_value")),
        ("FV/3;x;2024-03-01;;K1;P1;1;1;1;PLN;", (5, "line_no", "bad_number")),
        ("FV/1;2;2024-03-01;15.03.2024;K1;P1;1;1;1;PLN;", (5, "line_no", "duplicate_id")),
        (
            "FV/1;3;2024-03-02;15.03.2024;K1;P1;1;1;1;PLN;",
            (5, "invoice_date", "conflicting_header"),
        ),
        ("FV/1;3;2024-03-01;15.03.2024;K2;P1;1;1;1;PLN;", (5, "account_id", "conflicting_header")),
        ("FV/1;3;2024-03-01;15.03.2024;K1;P1;1;1;1;EUR;", (5, "currency", "conflicting_header")),
        ("FV/3;1;2024-03-01;;K1;P1;1;1;1;PLN;;extra", (5, "", "wrong_columns")),
    ],
)
def test_a_bad_row_is_reported_and_nothing_is_written(
    erp, write_file, run_import, bad_row, expected
):
    before = database_state()
    outcome = run_import("invoices", write_file("i.csv", GOOD + bad_row + "\n"))
    assert errors_of(outcome) == [expected]
    assert database_state() == before


def test_duplicate_line_names_the_first_line(erp, write_file, run_import):
    text = GOOD + "FV/1;2;2024-03-01;15.03.2024;K1;P1;1;1;1;PLN;\n"
    outcome = run_import("invoices", write_file("i.csv", text))
    assert "also on line 3" in outcome.errors[0].detail


def test_conflicting_header_names_the_first_line_of_the_invoice(erp, write_file, run_import):
    text = GOOD + "FV/1;3;2024-03-09;15.03.2024;K1;P1;1;1;1;PLN;\n"
    outcome = run_import("invoices", write_file("i.csv", text))
    assert "on line 2" in outcome.errors[0].detail


def test_every_bad_row_is_reported_not_just_the_first(erp, write_file, run_import):
    text = HEADER + "".join(f"X/{n};1;bad;;K1;P1;1;1;1;PLN;\n" for n in range(5))
    outcome = run_import("invoices", write_file("i.csv", text))
    assert [e.line for e in outcome.errors] == [2, 3, 4, 5, 6]


def test_error_report_is_capped_with_a_count_of_the_rest(erp, write_file, run_import):
    text = HEADER + "".join(f"X/{n};1;bad;;K1;P1;1;1;1;PLN;\n" for n in range(1005))
    outcome = run_import("invoices", write_file("i.csv", text))
    assert (len(outcome.errors), outcome.error_count, outcome.omitted) == (1000, 1005, 5)


def test_missing_required_column_is_an_error_before_any_row(erp, write_file, run_import):
    text = "invoice_number;invoice_date;account_id;sku;quantity\nFV/1;2024-01-01;K1;P1;1\n"
    outcome = run_import("invoices", write_file("i.csv", text))
    assert errors_of(outcome) == [(1, "net_amount", "wrong_columns")]
    assert outcome.rows == 0


def test_unknown_column_is_an_error_unless_mapped(erp, write_file, run_import):
    text = GOOD.replace("return_reason", "Uwagi")
    outcome = run_import("invoices", write_file("i.csv", text))
    assert errors_of(outcome) == [(1, "Uwagi", "wrong_columns")]
    mapped = run_import("invoices", write_file("i.csv", text), mapping={"Uwagi": "return_reason"})
    assert mapped.ok


def test_a_mapped_column_can_be_ignored(erp, write_file, run_import):
    text = GOOD.replace("return_reason", "Uwagi")
    outcome = run_import("invoices", write_file("i.csv", text), mapping={"Uwagi": "-"})
    assert outcome.ok
    assert InvoiceLine.objects.get(invoice__number="FV/1", line_no=2).return_reason == ""


def test_wrong_encoding_is_reported_with_its_line(erp, write_file, run_import):
    path = write_file("i.csv", GOOD)
    with open(path, "ab") as handle:
        handle.write("FV/9;1;2024-03-01;;K1;P1;1;1;1;PLN;Zły towar\n".encode("cp1250"))
    before = database_state()
    outcome = run_import("invoices", path, encoding="utf-8")
    assert errors_of(outcome) == [(5, "", "wrong_encoding")]
    assert database_state() == before


POLISH = (
    "Numer faktury;Lp.;Data wystawienia;Termin płatności;Kontrahent;Indeks;Ilość;"
    "Wartość netto;Koszt;Waluta;Przyczyna zwrotu\n"
    "FV/2024/001;1;05.02.2024;19.02.2024;K1;P1;10;1 250,00;900,00;PLN;\n"
    "FV/2024/001;2;05.02.2024;19.02.2024;K1;P2;-2;-99,90;-70,00;PLN;Uszkodzony w dostawie\n"
)


def test_polish_erp_file_in_windows_1250(erp, write_file, run_import):
    outcome = run_import("invoices", write_file("pl.csv", POLISH, "cp1250"))
    assert outcome.ok, outcome.errors
    assert outcome.encoding == "cp1250"
    line = InvoiceLine.objects.get(invoice__number="FV/2024/001", line_no=2)
    assert (line.net_amount, line.return_reason) == (Decimal("-99.90"), "Uszkodzony w dostawie")


RUSSIAN = (
    "Номер документа;Дата;Контрагент;Артикул;Количество;Сумма без НДС;Валюта\n"
    "РН-17;2024-02-05;K2;P1;5;12 500,00;RUB\n"
    "РН-17;2024-02-05;K2;P2;1;100,50;RUB\n"
)


def test_russian_erp_file_in_windows_1251(erp, write_file, run_import):
    outcome = run_import("invoices", write_file("ru.csv", RUSSIAN, "cp1251"))
    assert outcome.ok, outcome.errors
    assert outcome.encoding == "cp1251"
    invoice = Invoice.objects.get(number="РН-17")
    assert (invoice.net_total, invoice.currency) == (Decimal("12600.50"), "RUB")


def test_xlsx_with_native_dates_and_numbers(erp, tmp_path, run_import):
    from datetime import datetime

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        ["Numer faktury", "Data wystawienia", "Kontrahent", "Indeks", "Ilość", "Wartość netto"]
    )
    sheet.append(["FV/X/1", datetime(2024, 5, 6), "K1", "P1", 3, 45.5])
    sheet.append(["FV/X/1", datetime(2024, 5, 6), "K1", "P2", 1, "1 000,25"])
    path = tmp_path / "invoices.xlsx"
    workbook.save(path)
    outcome = run_import("invoices", path)
    assert outcome.ok, outcome.errors
    invoice = Invoice.objects.get(number="FV/X/1")
    assert (str(invoice.issued_on), invoice.net_total) == ("2024-05-06", Decimal("1045.75"))


def test_xlsx_bad_cell_is_reported_by_row(erp, tmp_path, run_import):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["invoice_number", "invoice_date", "account_id", "sku", "quantity", "net_amount"])
    sheet.append(["FV/X/1", "someday", "K1", "P1", 3, 45.5])
    path = tmp_path / "invoices.xlsx"
    workbook.save(path)
    outcome = run_import("invoices", path)
    assert errors_of(outcome) == [(2, "invoice_date", "bad_date")]


def test_batch_is_recorded_with_who_and_counts(erp, write_file, run_import, make_user):
    head = make_user("boss", "head")
    outcome = run_import("invoices", write_file("i.csv", GOOD), actor=head)
    batch = outcome.batch
    assert (batch.created_by, batch.status, batch.rows, batch.counts["created"]) == (
        head,
        "succeeded",
        3,
        2,
    )


def test_rejected_file_is_recorded_as_failed_with_its_errors(erp, write_file, run_import):
    outcome = run_import("invoices", write_file("i.csv", GOOD + "FV/3;1;bad;;K1;P1;1;1;1;PLN;\n"))
    assert (outcome.batch.status, outcome.batch.error_count) == ("failed", 1)
    assert outcome.batch.errors[0]["column"] == "invoice_date"


def test_other_sources_are_separate(erp, write_file, run_import):
    outcome = run_import("invoices", write_file("i.csv", GOOD), source="shop")
    assert {e.reason for e in outcome.errors} == {"unknown_account", "unknown_product"}


def _ledger_schema():
    from django.db import connection

    with connection.cursor() as cursor:
        return {
            table: (
                sorted(connection.introspection.get_constraints(cursor, table)),
                [
                    (name, c["columns"], c["foreign_key"])
                    for name, c in sorted(
                        connection.introspection.get_constraints(cursor, table).items()
                    )
                ],
            )
            for table in ("ledger_invoice", "ledger_invoiceline")
        }


def test_bulk_load_restores_indexes_and_keys(erp, write_file, run_import, monkeypatch):
    from openkam.ingest.importers import invoice_sql

    monkeypatch.setattr(invoice_sql, "BULK_MIN_LINES", 0)  # a first import takes the bulk path
    before = _ledger_schema()
    outcome = run_import("invoices", write_file("i.csv", GOOD))
    assert outcome.ok and outcome.counts["lines_written"] == 3
    assert _ledger_schema() == before
    assert Invoice.objects.get(number="FV/1").net_total == Decimal("1222.06")


@pytest.mark.parametrize(
    "line_numbers,duplicate",
    [((61, 62, 63), None), ((1, 100, 100), 3), ((62, 63, 62), 3), ((5, 3, 5), 3)],
)
def test_repeated_line_numbers_are_found_at_any_size(
    erp, write_file, run_import, line_numbers, duplicate
):
    rows = "".join(f"FV/8;{n};2024-03-01;;K1;P1;1;1;1;PLN;\n" for n in line_numbers)
    outcome = run_import("invoices", write_file("i.csv", HEADER + rows))
    if duplicate is None:
        assert outcome.ok, outcome.errors
        assert sorted(InvoiceLine.objects.values_list("line_no", flat=True)) == [61, 62, 63]
    else:
        assert errors_of(outcome) == [(duplicate + 1, "line_no", "duplicate_id")]
