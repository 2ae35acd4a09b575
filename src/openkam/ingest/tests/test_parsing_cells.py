"""Cells as ERPs and spreadsheets hand them over: every notation, every native type.

test_parsing.py covers the common notations; here the edges of each rule: the digits a
column can hold, native spreadsheet values (numbers, dates, booleans), whole numbers such
as line numbers, and the messages the error report shows.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from openkam.ingest.parsing import (
    BadValue,
    DateCache,
    check_digits,
    number_text,
    parse_date,
    parse_int,
    parse_number,
    to_decimal,
)

# --- numbers written as text ------------------------------------------------------------


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("+1234,5", "1234.5"),
        (" +3 ", "3"),
        (" 12,50 ", "12.50"),  # a decimal comma in a padded cell
        ("\t-0,5\u00a0", "-0.5"),
        ("-0,5", "-0.5"),
        ("1\u2009234,56", "1234.56"),  # thin space
        ("1'234.56", "1234.56"),  # Swiss apostrophe
        ("1 234 567,89", "1234567.89"),
        ("+1 234,56", "1234.56"),
        ("-1 234", "-1234"),
        ("1,234,567", "1234567"),
        ("1,234,567.8", "1234567.8"),
        ("+1,234.5", "1234.5"),
        ("1.234.567", "1234567"),
        ("1.234.567,89", "1234567.89"),
        ("-1.234,5", "-1234.5"),
        ("+1.234", "1.234"),  # one dot: a decimal point, not thousands
        ("1,234", "1.234"),  # one comma: a decimal comma
    ],
)
def test_grouped_and_signed_numbers(raw, expected):
    assert number_text(raw) == expected


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("12,50 -", "-12.50"),  # SAP, with a space before the minus
        ("1.234,50-", "-1234.50"),
        ("( 12,50 )", "-12.50"),
        ("(1,234.50)", "-1234.50"),
        ("0-", "0"),  # nothing is nothing, whatever its sign
        ("(0,00)", "0.00"),
        ("0.000-", "0.000"),
    ],
)
def test_negative_notations(raw, expected):
    assert number_text(raw) == expected


@pytest.mark.parametrize(
    "raw", ["1 2,5", "12,5.0", "1,23,456", "1.23.456", "(1 234,56", "1 234-56"]
)
def test_misgrouped_numbers_are_rejected(raw):
    with pytest.raises(BadValue):
        number_text(raw)


def test_a_bad_number_is_named_as_written():
    with pytest.raises(BadValue) as caught:
        number_text(" 12a ")
    assert str(caught.value) == "' 12a ' is not a number"
    with pytest.raises(BadValue) as caught:
        number_text("(-12)")
    assert str(caught.value) == "'(-12)' is not a number"
    # A lone minus is no number, and the report names the minus, not what is left of it.
    with pytest.raises(BadValue) as caught:
        number_text("-")
    assert str(caught.value) == "'-' is not a number"


# --- what a column holds ------------------------------------------------------------------


def test_trailing_zeros_are_not_extra_decimal_places():
    assert check_digits("1.500", places=2) == "1.500"
    assert check_digits("-7.120000", places=2) == "-7.120000"
    assert parse_number("1,500", places=2) == "1.500"


def test_the_places_and_digits_a_column_holds():
    assert check_digits("1.25", places=2) == "1.25"
    assert check_digits("-1234567890123456.12", places=2) == "-1234567890123456.12"
    with pytest.raises(BadValue) as caught:
        check_digits("1.255", places=2)
    assert str(caught.value) == "1.255 has more than 2 decimal places"
    with pytest.raises(BadValue) as caught:
        check_digits("12345678901234567", places=2)  # 17 digits before the point, 16 fit
    assert str(caught.value) == "12345678901234567 is too large"
    with pytest.raises(BadValue, match="too large"):
        check_digits("-12345678901234567.5", places=2)


def test_leading_zeros_take_no_room():
    assert check_digits("000000000000000000001.5", places=2) == "000000000000000000001.5"


def test_other_columns_hold_other_digits():
    assert check_digits("123456789012.123456", places=6) == "123456789012.123456"
    with pytest.raises(BadValue, match="too large"):
        check_digits("1234567890123.5", places=6)
    assert check_digits("12345", places=0, max_digits=5) == "12345"
    with pytest.raises(BadValue, match="too large"):
        check_digits("123456", places=0, max_digits=5)


# --- native spreadsheet numbers ---------------------------------------------------------


def test_native_whole_numbers_and_decimals():
    assert parse_number(12, places=2) == "12"
    assert parse_number(-3, places=3) == "-3"
    assert parse_number(Decimal("12.34"), places=2) == "12.34"
    assert parse_number(Decimal("-0.5"), places=3) == "-0.5"


def test_native_floats_are_rounded_to_the_column_places():
    assert parse_number(45.5, places=2) == "45.50"
    assert parse_number(2.0005, places=3) == "2.000"  # half to even, as Decimal rounds
    assert parse_number(1234.5678, places=3) == "1234.568"
    assert parse_number(-0.125, places=2) == "-0.12"  # half to even, as Decimal rounds


def test_native_values_too_large_or_too_precise_are_rejected():
    with pytest.raises(BadValue, match="too large"):
        parse_number(10**17, places=2)
    with pytest.raises(BadValue, match="too large"):
        parse_number(1e17, places=2)
    with pytest.raises(BadValue, match="decimal places"):
        parse_number(Decimal("1.005"), places=2)


@pytest.mark.parametrize("raw", [True, False, None, date(2024, 3, 1), [1]])
def test_native_values_that_are_not_numbers(raw):
    with pytest.raises(BadValue) as caught:
        parse_number(raw, places=2)
    assert str(caught.value) == f"{raw!r} is not a number"


def test_decimal_text_for_computing():
    assert to_decimal("-12.50") == Decimal("-12.50")
    with pytest.raises(BadValue) as caught:
        to_decimal("12,50")
    assert str(caught.value) == "'12,50' is not a number"


# --- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw,expected",
    [
        (" 2024-03-01 ", "2024-03-01"),
        ("2024-3-1", "2024-03-01"),
        ("2024-03-01 9:05", "2024-03-01"),
        ("2024-03-01 23:59:59.999999", "2024-03-01"),
        ("2024-02-29", "2024-02-29"),
        ("29.02.2024", "2024-02-29"),
        ("31.12.2023 09:30", "2023-12-31"),
        ("1.1.2024", "2024-01-01"),
        (datetime(2024, 12, 31, 23, 59), "2024-12-31"),
    ],
)
def test_more_dates_that_are_read(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "2024-03-01 19:05:59.1234567",
        "2024-03-01 12:5",
        "2024-03-01 12:05:6",
        "2024-03-01T",
        "24-03-01",
        "1.3.24",
        "2024.03.01",
        "x2024-03-01",
        "01.03.2024x",
    ],
)
def test_more_dates_that_are_rejected(raw):
    with pytest.raises(BadValue) as caught:
        parse_date(raw)
    assert str(caught.value) == f"{raw!r} is not a date (use yyyy-mm-dd or dd.mm.yyyy)"


@pytest.mark.parametrize("raw", ["2023-02-29", "29.02.2023", "2024-04-31", "00.01.2024"])
def test_dates_that_do_not_exist(raw):
    with pytest.raises(BadValue) as caught:
        parse_date(raw)
    assert str(caught.value) == f"{raw!r} is not a real date"


@pytest.mark.parametrize("raw", [45352, 45352.0, None, True])
def test_a_native_value_that_is_no_date(raw):
    # A serial day number the spreadsheet did not format as a date is not guessed at.
    with pytest.raises(BadValue) as caught:
        parse_date(raw)
    assert str(caught.value) == f"{raw!r} is not a date"


def test_repeated_dates_are_parsed_once_and_bad_ones_not_kept():
    cache = DateCache()
    assert cache["05.12.2026 0:00:00"] == "2026-12-05"
    assert cache["05.12.2026 0:00:00"] == "2026-12-05"
    assert dict(cache) == {"05.12.2026 0:00:00": "2026-12-05"}
    with pytest.raises(BadValue):
        cache["31.02.2026"]
    assert "31.02.2026" not in cache


# --- whole numbers (line numbers) ----------------------------------------------------------


@pytest.mark.parametrize(
    "raw,expected",
    [
        (3, 3),  # XLSX: a whole number cell
        (3.0, 3),  # XLS, and XLSX cells saved as 3.0
        (0, 0),
        (2_147_483_647, 2_147_483_647),
        (" 12 ", 12),
        ("007", 7),
        (Decimal("4"), 4),
    ],
)
def test_line_numbers_as_text_and_as_native_numbers(raw, expected):
    value = parse_int(raw)
    assert value == expected
    assert type(value) is int


@pytest.mark.parametrize("raw", [2.5, "2.0", "-1", "1e3", "", True, False, None, Decimal("4.0")])
def test_what_is_no_whole_number(raw):
    with pytest.raises(BadValue) as caught:
        parse_int(raw)
    assert str(caught.value) == f"{raw!r} is not a whole number"


@pytest.mark.parametrize("raw", [-1, -1.0, 2_147_483_648, "2147483648", 1e10])
def test_whole_numbers_out_of_range(raw):
    with pytest.raises(BadValue) as caught:
        parse_int(raw)
    assert str(caught.value) == f"{raw!r} is out of range"


# --- native cells through an import ----------------------------------------------------

SHEET: list[list[object]] = [
    ["invoice_number", "line_no", "invoice_date", "account_id", "sku", "quantity", "net_amount"],
    ["FV/N/1", 10, datetime(2024, 5, 6), "K1", "P1", 3, 45.5],
    ["FV/N/1", 20, datetime(2024, 5, 6), "K1", "P2", 1.5, "1 000,25"],
]


def test_xlsx_line_numbers_and_amounts_as_native_numbers(erp, tmp_path, run_import):
    from openpyxl import Workbook

    from openkam.ledger.models import InvoiceLine

    workbook = Workbook()
    for row in SHEET:
        workbook.active.append(row)
    path = tmp_path / "lines.xlsx"
    workbook.save(path)
    outcome = run_import("invoices", path)
    assert outcome.ok, outcome.errors
    lines = InvoiceLine.objects.filter(invoice__number="FV/N/1").order_by("line_no")
    assert [(line.line_no, line.quantity, line.net_amount) for line in lines] == [
        (10, Decimal("3"), Decimal("45.50")),
        (20, Decimal("1.5"), Decimal("1000.25")),
    ]


def test_xls_line_numbers_arrive_as_floats(erp, tmp_path, run_import):
    import xlwt

    from openkam.ledger.models import InvoiceLine

    book = xlwt.Workbook()
    sheet = book.add_sheet("Faktury")
    dated = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r, row in enumerate(SHEET):
        for c, value in enumerate(row):
            if isinstance(value, datetime):
                sheet.write(r, c, value, dated)
            else:
                sheet.write(r, c, value)  # numbers are stored as floats: 10 reads as 10.0
    path = tmp_path / "lines.xls"
    book.save(str(path))
    outcome = run_import("invoices", path)
    assert outcome.ok, outcome.errors
    numbers = InvoiceLine.objects.filter(invoice__number="FV/N/1").values_list("line_no", flat=True)
    assert sorted(numbers) == [10, 20]


def test_a_fractional_line_number_in_a_spreadsheet_is_reported(erp, tmp_path, run_import):
    from openpyxl import Workbook

    workbook = Workbook()
    for row in SHEET:
        workbook.active.append(row)
    workbook.active["B3"] = 2.5
    path = tmp_path / "lines.xlsx"
    workbook.save(path)
    outcome = run_import("invoices", path)
    assert [(e.line, e.column, e.reason, e.detail) for e in outcome.errors] == [
        (3, "line_no", "bad_number", "2.5 is not a whole number")
    ]
