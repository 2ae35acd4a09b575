"""The shared CSV/XLSX writer: no text cell can run as a formula in a spreadsheet, numbers
and dates stay numbers and dates, and both formats parse back."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, cast

import pytest
from openpyxl import load_workbook

from openkam.core import exports

DANGEROUS = [
    '=HYPERLINK("http://evil.example","Click")',
    "+48 22 123 45 67",
    "-5 days",
    "@SUM(A1:A2)",
    "\tTabbed",
    "\rReturn",
    "=1+1",
]


@pytest.mark.parametrize("text", DANGEROUS)
def test_a_text_that_would_run_gets_an_apostrophe(text):
    assert exports.safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Alfa Hurt S.A.", "5 days", "", "a=b", "Zażółć", "'quoted"])
def test_a_harmless_text_is_written_as_it_is(text):
    assert exports.safe_cell(text) == text


@pytest.mark.parametrize(
    "value",
    [-5, Decimal("-1234.56"), -0.5, 0, 7, date(2026, 1, 2), datetime(2026, 1, 2, 3, 4)],
)
def test_numbers_and_dates_stay_what_they_are(value):
    assert exports.safe_cell(value) == value
    assert type(exports.safe_cell(value)) is type(value)


def test_anything_else_is_written_as_safe_text():
    class Label:
        def __str__(self) -> str:
            return "=cmd"

    assert exports.safe_cell(Label()) == "'=cmd"
    assert exports.safe_cell(None) == ""


def _csv_rows(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv_neutralises_every_text_cell_header_included():
    rows = _csv_rows(
        exports.csv_bytes(["=Header", "Amount"], [["-5 days", Decimal("-5.00")], ["ok", -3]])
    )
    assert rows == [["'=Header", "Amount"], ["'-5 days", "-5.00"], ["ok", "-3"]]


def test_csv_lines_stream_the_same_text_as_the_whole_file():
    header: list[Any] = ["A", "B"]
    rows: list[list[Any]] = [["=1", 2], [None, "x"]]
    assert "".join(exports.csv_lines(header, rows)).encode() == exports.csv_bytes(header, rows)


def _sheet(data: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(data)).active
    return [tuple(cell.value for cell in row) for row in sheet.iter_rows()]


def test_xlsx_keeps_negative_numbers_as_numbers_and_texts_as_safe_texts():
    data = exports.xlsx_bytes(
        "Sheet",
        ["Name", "Amount", "Note", "Day"],
        [
            [
                '=HYPERLINK("http://evil.example","x")',
                Decimal("-5.25"),
                "-5 days",
                date(2026, 3, 1),
            ],
            ["Beta", -7, None, None],
        ],
    )
    header, first, second = _sheet(data)
    assert header == ("Name", "Amount", "Note", "Day")
    assert first[0] == '\'=HYPERLINK("http://evil.example","x")'
    assert first[1] == -5.25 and isinstance(first[1], float)
    assert first[2] == "'-5 days"
    assert first[3].date() == date(2026, 3, 1)
    assert second == ("Beta", -7, None, None)
    book = load_workbook(io.BytesIO(data))
    assert all(cell.data_type != "f" for row in book.active.iter_rows() for cell in row)


def test_xlsx_drops_characters_a_workbook_cannot_hold_and_local_times_zones():
    moment = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    data = exports.xlsx_bytes("S", ["A", "B"], [["bell\x07here", moment]])
    assert _sheet(data)[1][0] == "bellhere"
    assert _sheet(data)[1][1].tzinfo is None


def test_responses_are_named_downloads():
    csv_response = exports.csv_response("people.csv", ["A"], [["=1"]])
    assert csv_response["Content-Type"] == exports.CSV_CONTENT_TYPE
    assert csv_response["Content-Disposition"] == 'attachment; filename="people.csv"'
    assert _csv_rows(csv_response.content) == [["A"], ["'=1"]]
    streamed = exports.csv_streaming_response("people.csv", ["A"], [["=1"]])
    assert _csv_rows(b"".join(cast(Iterable[bytes], streamed.streaming_content))) == [
        ["A"],
        ["'=1"],
    ]
    xlsx = exports.xlsx_response("people.xlsx", "People", ["A"], [["+1"]])
    assert xlsx["Content-Type"] == exports.XLSX_CONTENT_TYPE
    assert _sheet(xlsx.content) == [("A",), ("'+1",)]
