"""Files as ERPs and spreadsheets really write them, beyond a bare CSV table.

1C writes dates with a time of day; Excel's "Unicode text" is UTF-16 with tabs and
may start with a `sep=;` line; reports saved from an ERP carry a title above the
header; Subiekt GT and 1C still save the old XLS format.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from openkam.ingest.tests.conftest import database_state
from openkam.ledger.models import Invoice, InvoiceLine

RUSSIAN_1C = (
    "Номер документа;Номер строки;Дата;Срок оплаты;Контрагент;Артикул;Количество;"
    "Сумма без НДС;Валюта\n"
    "РН-000117;1;06.03.2024 0:00:00;05.04.2024 0:00:00;K1;P1;500;41 250,00;RUB\n"
    "РН-000117;2;06.03.2024 0:00:00;05.04.2024 0:00:00;K1;P2;300;38 700,00;RUB\n"
    "РН-000118;1;07.03.2024 14:35:12;;K2;P1;1 000;72 000,00;RUB\n"
)


def errors_of(outcome):
    return [(e.line, e.column, e.reason) for e in outcome.errors]


def test_1c_dates_with_a_time_of_day_are_read_on_a_first_load(erp, write_file, run_import):
    outcome = run_import("invoices", write_file("1c.csv", RUSSIAN_1C, "cp1251"))
    assert outcome.ok, outcome.errors
    invoice = Invoice.objects.get(number="РН-000118")
    assert (str(invoice.issued_on), invoice.due_on) == ("2024-03-07", None)
    first = Invoice.objects.get(number="РН-000117")
    assert (str(first.issued_on), str(first.due_on)) == ("2024-03-06", "2024-04-05")
    assert first.net_total == Decimal("79950.00")


def test_1c_dates_with_a_time_of_day_are_read_when_compared_with_stored(
    erp, write_file, run_import
):
    run_import("invoices", write_file("1c.csv", RUSSIAN_1C, "cp1251"))
    changed = RUSSIAN_1C.replace("07.03.2024 14:35:12", "08.03.2024 9:05")
    outcome = run_import("invoices", write_file("1c-2.csv", changed, "cp1251"))
    assert outcome.ok, outcome.errors
    assert (outcome.counts["updated"], outcome.counts["unchanged"]) == (1, 1)
    assert str(Invoice.objects.get(number="РН-000118").issued_on) == "2024-03-08"


def test_a_time_that_is_no_time_is_a_bad_date(erp, write_file, run_import):
    bad = RUSSIAN_1C.replace("07.03.2024 14:35:12", "07.03.2024 25:00")
    outcome = run_import("invoices", write_file("1c.csv", bad, "cp1251"))
    assert errors_of(outcome) == [(4, "invoice_date", "bad_date")]
    assert not Invoice.objects.exists()


def test_excel_unicode_text_is_utf16_with_tabs(erp, write_file, run_import):
    text = RUSSIAN_1C.replace(";", "\t").replace("\n", "\r\n")
    outcome = run_import("invoices", write_file("unicode.txt", "\ufeff" + text, "utf-16-le"))
    assert outcome.ok, outcome.errors
    assert outcome.encoding == "utf-16"
    assert InvoiceLine.objects.count() == 3


def test_a_bad_row_in_utf16_is_named_by_its_line(erp, write_file, run_import):
    text = RUSSIAN_1C.replace("K2;P1;1 000", "K9;P1;1 000").replace(";", "\t")
    outcome = run_import("invoices", write_file("unicode.txt", text, "utf-16"))
    assert errors_of(outcome) == [(4, "account_id", "unknown_account")]


def test_excel_separator_line_names_the_delimiter(erp, write_file, run_import):
    text = "sep=;\n" + RUSSIAN_1C
    outcome = run_import("invoices", write_file("sep.csv", text, "cp1251"))
    assert outcome.ok, outcome.errors
    assert (outcome.header_line, InvoiceLine.objects.count()) == (2, 3)


def test_error_lines_stay_physical_after_a_separator_line(erp, write_file, run_import):
    text = "sep=;\n" + RUSSIAN_1C.replace("500;41 250,00", "500;41 250,0x")
    outcome = run_import("invoices", write_file("sep.csv", text, "cp1251"))
    assert errors_of(outcome) == [(3, "net_amount", "bad_number")]


def test_a_title_above_the_header_is_skipped(erp, write_file, run_import):
    text = (
        "Реализация товаров за март 2024 г.;;;;;;;;\nОрганизация: ООО «Ромашка»;;;;;;;;\n;;;;;;;;\n"
    ) + RUSSIAN_1C
    outcome = run_import("invoices", write_file("report.csv", text, "cp1251"))
    assert outcome.ok, outcome.errors
    assert outcome.header_line == 4
    assert InvoiceLine.objects.count() == 3


def test_a_wrong_header_below_a_title_is_still_reported(erp, write_file, run_import):
    text = "Реестр продаж\n" + RUSSIAN_1C.replace("Количество", "Кол-во")
    before = database_state()
    outcome = run_import("invoices", write_file("report.csv", text, "cp1251"))
    # The row meant as the header is named, not the title above it: its unknown column
    # and the required column it leaves missing.
    assert [(e.line, e.column, e.reason) for e in outcome.errors] == [
        (2, "quantity", "wrong_columns"),
        (2, "Кол-во", "wrong_columns"),
    ]
    assert database_state() == before


def test_a_header_too_far_down_is_not_looked_for(erp, write_file, run_import):
    text = "Отчёт\n" * 11 + RUSSIAN_1C
    outcome = run_import("invoices", write_file("report.csv", text, "cp1251"))
    # The first row is taken as the header: its unknown cell and every missing column.
    assert {(e.line, e.reason) for e in outcome.errors} == {(1, "wrong_columns")}
    assert {e.column for e in outcome.errors} == {
        "Отчёт",
        "invoice_number",
        "invoice_date",
        "account_id",
        "sku",
        "quantity",
        "net_amount",
    }


def _sheet_rows():
    return [
        ["Faktury sprzedaży", None, None, None, None, None],
        ["Okres: 01.05.2024 - 31.05.2024", None, None, None, None, None],
        [None, None, None, None, None, None],
        ["Numer faktury", "Data wystawienia", "Kontrahent", "Indeks", "Ilość", "Wartość netto"],
        ["FV/X/1", datetime(2024, 5, 6), "K1", "P1", 3, 45.5],
        ["FV/X/1", datetime(2024, 5, 6), "K1", "P2", 1, "1 000,25"],
    ]


def test_xlsx_report_with_a_title_above_the_header(erp, tmp_path, run_import):
    from openpyxl import Workbook

    workbook = Workbook()
    for row in _sheet_rows():
        workbook.active.append(row)
    path = tmp_path / "faktury.xlsx"
    workbook.save(path)
    outcome = run_import("invoices", path)
    assert outcome.ok, outcome.errors
    assert outcome.header_line == 4
    assert Invoice.objects.get(number="FV/X/1").net_total == Decimal("1045.75")


def _write_xls(path, rows):
    """A real BIFF8 .xls, as Excel 97-2003 saves it: dates as date-formatted numbers."""
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Faktury")
    dated = xlwt.easyxf(num_format_str="DD.MM.YYYY")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, datetime):
                sheet.write(r, c, value, dated)
            elif value is not None:
                sheet.write(r, c, value)
    book.save(str(path))


def test_xls_with_a_title_native_dates_and_numbers(erp, tmp_path, run_import):
    path = tmp_path / "faktury.xls"
    _write_xls(path, _sheet_rows())
    outcome = run_import("invoices", path)
    assert outcome.ok, outcome.errors
    assert (outcome.encoding, outcome.header_line) == ("xls", 4)
    invoice = Invoice.objects.get(number="FV/X/1")
    assert (str(invoice.issued_on), invoice.net_total) == ("2024-05-06", Decimal("1045.75"))


def test_xls_bad_cell_is_reported_by_its_row(erp, tmp_path, run_import):
    rows = _sheet_rows()
    rows[5][4] = "dużo"
    path = tmp_path / "faktury.xls"
    _write_xls(path, rows)
    outcome = run_import("invoices", path)
    assert errors_of(outcome) == [(6, "quantity", "bad_number")]
    assert not Invoice.objects.exists()


@pytest.mark.parametrize(
    "name,content,says",
    [
        ("faktury.xls", b"<html><table><tr><td>FV/1</td></tr></table></html>", "HTML or XML"),
        ("faktury.xlsx", b"invoice_number;invoice_date\nFV/1;2024-01-01\n", "not a spreadsheet"),
    ],
)
def test_a_file_named_like_a_spreadsheet_that_is_not_one_is_refused(
    erp, tmp_path, run_import, name, content, says
):
    path = tmp_path / name
    path.write_bytes(content)
    outcome = run_import("invoices", path)
    assert [(e.line, e.reason) for e in outcome.errors] == [(1, "bad_file")]
    assert says in outcome.errors[0].detail and "save it as XLSX or CSV" in outcome.errors[0].detail


SAP = (
    "invoice_number;line_no;invoice_date;account_id;sku;quantity;net_amount;cost_amount\n"
    "9000001;1;2024-03-01;K1;P1;10;1 000,00;800,00\n"
    "9000001;2;2024-03-01;K1;P2;2-;250,00-;200,00-\n"
)


@pytest.mark.parametrize("stored_first", [False, True])
def test_sap_trailing_minus_is_a_return_on_every_path(erp, write_file, run_import, stored_first):
    if stored_first:  # a later file of the source is compared with what is stored
        run_import("invoices", write_file("old.csv", SAP.replace("2-;250,00-", "1-;125,00-")))
    outcome = run_import("invoices", write_file("sap.csv", SAP))
    assert outcome.ok, outcome.errors
    line = InvoiceLine.objects.get(invoice__number="9000001", line_no=2)
    assert (line.quantity, line.net_amount, line.cost_amount) == (
        Decimal("-2"),
        Decimal("-250.00"),
        Decimal("-200.00"),
    )
    assert Invoice.objects.get(number="9000001").net_total == Decimal("750.00")


def test_a_binary_file_is_refused_as_not_a_text_file(erp, tmp_path, run_import):
    path = tmp_path / "faktury.csv"
    path.write_bytes(b"\x00\x01\x02  not a csv at all \xff\xfe\x00" * 20)
    outcome = run_import("invoices", path)
    assert [(e.line, e.reason) for e in outcome.errors] == [(1, "bad_file")]
    assert "binary data" in outcome.errors[0].detail


def test_an_unknown_column_says_how_to_map_it_on_the_page_and_the_command_line(
    erp, write_file, run_import
):
    outcome = run_import("invoices", write_file("i.csv", "Nr dok.;Data\nFV/1;2024-01-01\n"))
    detail = outcome.errors[0].detail
    assert "“Nr dok.=<column>” in the column mapping" in detail
    assert "--map 'Nr dok.=<column>'" in detail


@pytest.mark.parametrize("given", ["tab", "\\t", "\t"])
def test_a_delimiter_given_by_name_is_used(erp, write_file, run_import, given):
    text = RUSSIAN_1C.replace(";", "\t")
    outcome = run_import("invoices", write_file("tab.csv", text, "cp1251"), delimiter=given)
    assert outcome.ok, outcome.errors
    assert InvoiceLine.objects.count() == 3
