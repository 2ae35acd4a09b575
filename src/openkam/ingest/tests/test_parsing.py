"""Numbers and dates as ERPs write them."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from openkam.ingest.parsing import BadValue, parse_date, parse_int, parse_number


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("1234.56", "1234.56"),
        ("1234,56", "1234.56"),
        ("1 234,56", "1234.56"),
        ("1\u00a0234,56", "1234.56"),
        ("1\u202f234,56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("1.234,56", "1234.56"),
        ("12 345 678", "12345678"),
        ("-12,50", "-12.50"),
        (" 7 ", "7"),
        ("+3", "3"),
        ("1 234,56-", "-1234.56"),  # SAP writes the minus after the number
        ("12,50-", "-12.50"),
        ("(1 234,56)", "-1234.56"),  # accounting format
        ("0,00-", "0.00"),
    ],
)
def test_number_formats_of_erps_are_read(raw, expected):
    assert parse_number(raw, places=2) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "12a", "1,2,3", "1 23,4", "--1", "1.234.56", "1,234,56", "", "e5", "1e5", "12,5,0",
        "-", "()", "-12-", "(-12)", "(12", "12)", "1 2-",
    ],
)  # fmt: skip
def test_ambiguous_or_garbled_numbers_are_rejected(raw):
    with pytest.raises(BadValue):
        parse_number(raw, places=2)


def test_more_decimal_places_than_the_column_holds_is_rejected():
    with pytest.raises(BadValue, match="decimal places"):
        parse_number("1,005", places=2)


def test_spreadsheet_floats_are_rounded_to_the_column_places():
    assert parse_number(0.1 + 0.2, places=2) == "0.30"


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("2024-03-01", "2024-03-01"),
        ("01.03.2024", "2024-03-01"),
        ("1.3.2024", "2024-03-01"),
        ("2024-03-01 00:00:00", "2024-03-01"),
        ("2024-03-01T14:22:05.250", "2024-03-01"),
        ("2024-03-01 14:22", "2024-03-01"),
        ("05.12.2026 0:00:00", "2026-12-05"),  # 1C
        ("05.12.2026 23:59:59", "2026-12-05"),
        (datetime(2024, 3, 1, 0, 0), "2024-03-01"),
        (date(2024, 3, 1), "2024-03-01"),
    ],
)
def test_dates_in_iso_dotted_and_native_form_are_read(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "2024-02-30", "31.13.2024", "03/01/2024", "yesterday", "2024",
        "05.12.2026 24:00:00", "05.12.2026 12:60", "2024-03-01 noon", "2024-03-01 12",
    ],
)  # fmt: skip
def test_bad_dates_are_rejected(raw):
    with pytest.raises(BadValue):
        parse_date(raw)


@pytest.mark.parametrize(
    "raw,order,expected",
    [
        ("03/04/2026", "dmy", "2026-04-03"),
        ("03/04/2026", "mdy", "2026-03-04"),
        ("3-4-2026", "dmy", "2026-04-03"),
        ("12/31/2025 10:15", "mdy", "2025-12-31"),
    ],
)
def test_slashed_dates_are_read_in_the_source_date_order(raw, order, expected):
    assert parse_date(raw, order) == expected


@pytest.mark.parametrize(
    "raw,order",
    [("03/04/2026", ""), ("12/31/2025", "dmy"), ("31/12/2025", "mdy"), ("03/04-2026", "dmy")],
)
def test_slashed_dates_without_an_order_or_not_in_it_are_rejected(raw, order):
    with pytest.raises(BadValue):
        parse_date(raw, order)


def test_an_ambiguous_date_says_how_to_set_the_order():
    with pytest.raises(BadValue, match="date order of the source"):
        parse_date("03/04/2026")


def test_line_numbers_must_be_whole_and_positive():
    assert parse_int("12") == 12
    with pytest.raises(BadValue):
        parse_int("1.5")
