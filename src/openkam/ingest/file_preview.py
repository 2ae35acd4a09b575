"""The header and first rows of an uploaded file, for the column-mapping page.

Read in the web request, so only the top of the file: `open_table` streams, and the
header is found as the import will find it (below a title, with the saved mapping).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from django.conf import settings

from openkam.ingest import columns as cols
from openkam.ingest.errors import ErrorList, ImportFileError, RowError
from openkam.ingest.mappings import effective_mapping
from openkam.ingest.reading import cell_text, open_table

SAMPLE_ROWS = 3


@dataclass
class Preview:
    header: list[str]
    header_line: int
    rows: list[list[str]]
    problem: RowError | None  # why the header does not resolve, None if it does

    def samples(self, index: int) -> list[str]:
        return [row[index] if index < len(row) else "" for row in self.rows]


def read(params: dict) -> Preview | None:
    """The file's header, sample rows and header problem; None if the file cannot be
    read at all (the import will report why)."""
    kind, source = params["kind"], params["source"]
    mapping = effective_mapping(source, kind, params.get("mapping") or {})
    try:
        table = open_table(
            Path(settings.MEDIA_ROOT) / params["path"],
            errors=ErrorList(),
            encoding=params.get("encoding") or None,
            delimiter=params.get("delimiter") or None,
            rank_header=lambda cells: cols.rank_header(kind, cells, mapping),
        )
    except (ImportFileError, ValueError, OSError):
        return None
    try:
        rows = [[cell_text(v) for v in values] for _line, values in islice(table.rows, SAMPLE_ROWS)]
    finally:
        table.close()
    header = [cell_text(cell) for cell in table.header]
    try:
        cols.resolve_header(kind, header, mapping, table.header_line)
        problem = None
    except ImportFileError as exc:
        problem = exc.error
    return Preview(header, table.header_line, rows, problem)
