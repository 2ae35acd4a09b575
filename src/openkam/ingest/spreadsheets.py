"""Rows out of spreadsheets: XLSX (openpyxl, streamed) and the older XLS (xlrd).

Polish and Russian ERPs still save `.xls` (Subiekt GT, 1C). Both readers take the
first sheet, keep native dates and numbers, and, given `rank_header`, look for the
header in the first `PREAMBLE_ROWS` rows (see `reading`), since a report saved from an ERP often
carries a title and a period above its table. Line numbers are the sheet's rows.
A file whose name promises a spreadsheet but whose bytes are something else (an
HTML or XML table saved as `.xls`, a renamed CSV) is refused with what to do.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from openkam.core import bounds
from openkam.ingest.errors import ImportFileError, RowError
from openkam.ingest.reading import PREAMBLE_ROWS, RankHeader, Table, cell_text, pick_header

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2 compound document
SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls"}


def reader_for(path: Path):
    """The spreadsheet reader for this file, None for a text file (CSV)."""
    with open(path, "rb") as handle:
        magic = handle.read(8)
    if magic.startswith(XLSX_MAGIC):
        return open_xlsx
    if magic == XLS_MAGIC:
        return open_xls
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        raise ImportFileError(RowError(1, "", "bad_file", _not_a_spreadsheet(path, magic)))
    return None


def _not_a_spreadsheet(path: Path, magic: bytes) -> str:
    if magic.lstrip().startswith(b"<"):
        message = _(
            "%(name)s is named like a spreadsheet but is an HTML or XML page; open it in "
            "Excel or LibreOffice and save it as XLSX or CSV"
        )
    else:
        message = _(
            "%(name)s is named like a spreadsheet but is not a spreadsheet; open it in "
            "Excel or LibreOffice and save it as XLSX or CSV"
        )
    return message % {"name": path.name}


def _no_header() -> ImportFileError:
    return ImportFileError(RowError(1, "", "wrong_columns", _("the sheet has no header row")))


# --- XLSX -------------------------------------------------------------------------
def open_xlsx(path: Path, *, rank_header: RankHeader = None) -> Table:
    from openpyxl import load_workbook

    try:
        # An XLSX is a zip archive: one that would unpack to far more than its size is
        # refused from its directory, before openpyxl unpacks anything.
        bounds.check_archive(path, size=path.stat().st_size)
    except ValidationError as error:
        raise ImportFileError(RowError(1, "", "bad_file", error.messages[0])) from None
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise ImportFileError(
            RowError(1, "", "bad_file", _("not a readable XLSX file: %(error)s") % {"error": exc})
        ) from None
    sheet = workbook.worksheets[0]
    stream = sheet.iter_rows(values_only=True)
    top = []
    for row in stream:
        top.append(list(row))
        if len(top) > PREAMBLE_ROWS:
            break
    index = pick_header(top, rank_header)
    if index < 0:
        workbook.close()
        raise _no_header()
    position = [0]

    def rows() -> Iterator[tuple[int, list]]:
        buffered = ((i + 1, row) for i, row in enumerate(top) if i > index)
        streamed = enumerate(stream, start=len(top) + 1)
        for source in (buffered, streamed):
            for line, values in source:
                position[0] = line
                if any(value not in (None, "") for value in values):
                    yield line, list(values)

    return Table(
        header=[cell_text(value) for value in top[index]],
        rows=rows(),
        total=sheet.max_row or 0,
        unit="rows",
        encoding="xlsx",
        position=lambda: position[0],
        close=workbook.close,
        header_line=index + 1,
    )


# --- XLS --------------------------------------------------------------------------
def open_xls(path: Path, *, rank_header: RankHeader = None) -> Table:
    import xlrd

    try:
        book = xlrd.open_workbook(path, on_demand=True)
        sheet = book.sheet_by_index(0)
    except Exception as exc:  # xlrd raises several types for a broken file
        raise ImportFileError(
            RowError(1, "", "bad_file", _("not a readable XLS file: %(error)s") % {"error": exc})
        ) from None
    values = _XlsValues(book)
    top = [values.row(sheet, i) for i in range(min(sheet.nrows, PREAMBLE_ROWS + 1))]
    index = pick_header(top, rank_header)
    if index < 0:
        book.release_resources()
        raise _no_header()
    position = [0]

    def rows() -> Iterator[tuple[int, list]]:
        for i in range(index + 1, sheet.nrows):
            position[0] = i + 1
            row = values.row(sheet, i)
            if any(value not in (None, "") for value in row):
                yield i + 1, row

    return Table(
        header=[cell_text(value) for value in top[index]],
        rows=rows(),
        total=sheet.nrows,
        unit="rows",
        encoding="xls",
        position=lambda: position[0],
        close=book.release_resources,
        header_line=index + 1,
    )


class _XlsValues:
    """XLS cells as the XLSX reader gives them: dates as datetimes, empty as None."""

    def __init__(self, book):
        import xlrd

        self.book = book
        self.empty = {xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK}
        self.date = xlrd.XL_CELL_DATE
        self.error = xlrd.XL_CELL_ERROR
        self.error_text = xlrd.error_text_from_code
        self.as_datetime = xlrd.xldate.xldate_as_datetime

    def row(self, sheet, index: int) -> list:
        return [self.cell(cell) for cell in sheet.row(index)]

    def cell(self, cell):
        if cell.ctype in self.empty:
            return None
        if cell.ctype == self.date:
            return self._date(cell.value)
        if cell.ctype == self.error:
            return self.error_text.get(cell.value, "#ERROR")
        return cell.value

    def _date(self, value: float) -> datetime | float:
        try:
            return self.as_datetime(value, self.book.datemode)
        except Exception:  # a number formatted as a date but out of range: keep it
            return value
