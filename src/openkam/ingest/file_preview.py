"""The header and first rows of an uploaded file, for the column-mapping page.

Read in the web request, so only the top of the file: `open_table` streams CSV and XLSX
(an XLSX that would unpack too far is refused before it is opened), and the header is
found as the import will find it (below a title, with the saved mapping). xlrd reads a
whole sheet of an XLS to give its first rows, so an XLS above `XLS_PREVIEW_BYTES` is not
previewed: its import, in the worker, says what is wrong with its headers.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from django.conf import settings

from openkam.ingest import columns as cols
from openkam.ingest.errors import ErrorList, ImportFileError, RowError
from openkam.ingest.mappings import effective_mapping
from openkam.ingest.reading import cell_text, open_table
from openkam.ingest.spreadsheets import XLS_MAGIC

SAMPLE_ROWS = 3
XLS_PREVIEW_BYTES = 5 * 1024 * 1024


@dataclass
class Preview:
    header: list[str]
    header_line: int
    rows: list[list[str]]
    problems: list[RowError]  # why the header does not resolve, empty if it does

    @property
    def problem(self) -> RowError | None:
        return self.problems[0] if self.problems else None

    def samples(self, index: int) -> list[str]:
        return [row[index] if index < len(row) else "" for row in self.rows]


def read(params: dict) -> Preview | None:
    """The file's header, sample rows and header problem; None if the file cannot be
    read at all (the import will report why)."""
    kind, source = params["kind"], params["source"]
    mapping = effective_mapping(source, kind, params.get("mapping") or {})
    path = Path(settings.MEDIA_ROOT) / params["path"]
    try:
        if _large_xls(path):
            return None
        table = open_table(
            path,
            errors=ErrorList(),
            encoding=params.get("encoding") or None,
            delimiter=params.get("delimiter") or None,
            rank_header=lambda cells: cols.rank_header(kind, cells, mapping),
        )
    except (ImportFileError, ValueError, OSError, csv.Error):
        return None
    try:
        rows = [[cell_text(v) for v in values] for _line, values in islice(table.rows, SAMPLE_ROWS)]
    except (ImportFileError, ValueError, csv.Error):
        return None
    finally:
        table.close()
    header = [cell_text(cell) for cell in table.header]
    try:
        cols.resolve_header(kind, header, mapping, table.header_line)
        problems = []
    except ImportFileError as exc:
        problems = exc.errors
    return Preview(header, table.header_line, rows, problems)


def _large_xls(path: Path) -> bool:
    with open(path, "rb") as handle:
        magic = handle.read(len(XLS_MAGIC))
    return magic == XLS_MAGIC and path.stat().st_size > XLS_PREVIEW_BYTES
