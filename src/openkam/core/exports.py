"""The one writer of CSV and XLSX files a user downloads.

Every export goes through here so that no cell can run in a spreadsheet program (CSV or
formula injection): a text that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
gets a leading apostrophe, so "=HYPERLINK(...)" or "-5 days" is shown as written and never
evaluated. Real numbers, dates and times are written as themselves (a negative amount
stays a number a spreadsheet can add up); anything else is written as text.

CSV files start with a byte-order mark, so spreadsheet programs read names in UTF-8.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters an XLSX file cannot hold (control characters but tab, newline and return).
_ILLEGAL_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Written as they are: numbers (bool is an int), dates and times, which never run.
_PLAIN = (int, float, Decimal, date, datetime, time)


def safe_text(value: str) -> str:
    """Text that a spreadsheet shows as text and never runs."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def safe_cell(value: Any) -> Any:
    """One cell as written: None as empty, numbers and dates as themselves, the rest as
    safe text."""
    if value is None:
        return ""
    if isinstance(value, _PLAIN):
        return value
    return safe_text(str(value))


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]


def csv_lines(header: Sequence[Any], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """The CSV text line by line (the first starts with the byte-order mark), for
    streaming a long export without holding it in memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(row: Iterable[Any]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(safe_row(row))
        return buffer.getvalue()

    yield BOM + line(header)
    for row in rows:
        yield line(row)


def csv_bytes(header: Sequence[Any], rows: Iterable[Iterable[Any]]) -> bytes:
    return "".join(csv_lines(header, rows)).encode("utf-8")


def _xlsx_cell(value: Any) -> Any:
    if value is None:
        return None  # an empty cell, not an empty text
    value = safe_cell(value)
    if isinstance(value, str):
        return _ILLEGAL_IN_XLSX.sub("", value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None)  # XLSX has no time zones
    return value


# One sheet of a workbook: its name, its header row and its rows.
Sheet = tuple[str, Sequence[Any], Iterable[Iterable[Any]]]


def xlsx_bytes(sheet: str, header: Sequence[Any], rows: Iterable[Iterable[Any]]) -> bytes:
    """A workbook of one sheet (its name cut to Excel's 31 characters)."""
    return xlsx_book_bytes([(sheet, header, rows)])


def xlsx_book_bytes(sheets: Iterable[Sheet]) -> bytes:
    """A workbook of several sheets, in the order given."""
    from openpyxl import Workbook  # heavy to import: only when a workbook is asked for

    book = Workbook(write_only=True)
    for sheet, header, rows in sheets:
        worksheet = book.create_sheet(title=str(sheet)[:31])
        worksheet.append([_xlsx_cell(value) for value in header])
        for row in rows:
            worksheet.append([_xlsx_cell(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _disposition(filename: str) -> str:
    return f'attachment; filename="{filename}"'


def csv_response(
    filename: str, header: Sequence[Any], rows: Iterable[Iterable[Any]]
) -> HttpResponse:
    """A CSV download named `filename` (with its extension)."""
    response = HttpResponse(csv_bytes(header, rows), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = _disposition(filename)
    return response


def csv_streaming_response(
    filename: str, header: Sequence[Any], rows: Iterable[Iterable[Any]]
) -> StreamingHttpResponse:
    """The same, streamed line by line: a long export never sits in memory at once."""
    response = StreamingHttpResponse(csv_lines(header, rows), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = _disposition(filename)
    return response


def xlsx_response(
    filename: str, sheet: str, header: Sequence[Any], rows: Iterable[Iterable[Any]]
) -> HttpResponse:
    """An XLSX download named `filename` (with its extension)."""
    response = HttpResponse(xlsx_bytes(sheet, header, rows), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = _disposition(filename)
    return response


def xlsx_book_response(filename: str, sheets: Iterable[Sheet]) -> HttpResponse:
    """An XLSX download of several sheets named `filename` (with its extension)."""
    response = HttpResponse(xlsx_book_bytes(sheets), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = _disposition(filename)
    return response
