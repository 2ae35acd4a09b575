"""Streaming rows out of ERP files: CSV in UTF-8, UTF-16 (Excel's "Unicode text"),
Windows-1250 or Windows-1251; spreadsheets (XLSX, XLS) in `spreadsheets`.

Nothing here loads a whole file: CSV is decoded line by line (so a byte that does not
decode is reported with its line number).

Exports are not always a bare table: Excel may put a `sep=;` line first, and a
report saved from an ERP may carry a title, a period or a blank row above the
header. With `rank_header` (is this row a whole header, and how many of its cells
name a column?) the header is looked for in the first `PREAMBLE_ROWS` rows: the first
whole one, else the one that names most columns, whose faults are then reported.
Rows above it are skipped; line numbers stay physical. A totals row ("Razem",
"Итого") is left out of every table's rows and listed in `Table.skipped` (see `totals`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from openkam.ingest.errors import ErrorList, ImportFileError, RowError
from openkam.ingest.totals import SkippedRow, skip_totals

ENCODINGS = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "utf-8-sig": "utf-8",
    "cp1250": "cp1250",
    "windows-1250": "cp1250",
    "win1250": "cp1250",
    "cp1251": "cp1251",
    "windows-1251": "cp1251",
    "win1251": "cp1251",
    "utf-16": "utf-16",
    "utf16": "utf-16",
}
DELIMITERS = {";": ";", ",": ",", "\t": "\t", "tab": "\t", "\\t": "\t"}
SAMPLE_BYTES = 256 * 1024
BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
PREAMBLE_ROWS = 10
RankHeader = Callable[[list[str]], tuple[bool, int]] | None
# Excel writes and reads a first line `sep=;` naming the delimiter.
_SEPARATOR_HINT = re.compile(r"\ufeff?sep=(.)\s*\Z", re.IGNORECASE)

_POLISH = set("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ")
_ACCENTED_RUN = re.compile(r"[\u00c0-\u017f]{3,}")
_MIXED_SCRIPT = re.compile(r"[A-Za-z][\u0400-\u04ff]|[\u0400-\u04ff][A-Za-z]")


def normalize_encoding(name: str) -> str:
    try:
        return ENCODINGS[name.strip().lower()]
    except KeyError:
        raise ValueError(
            _("unsupported encoding %(name)s (use utf-8, utf-16, windows-1250 or windows-1251)")
            % {"name": repr(name)}
        ) from None


def normalize_delimiter(name: str) -> str:
    try:
        return DELIMITERS[name if name in DELIMITERS else name.strip().lower()]
    except KeyError:
        raise ValueError(
            _("unsupported delimiter %(name)s (use ';', ',' or tab)") % {"name": repr(name)}
        ) from None


def looks_garbled(text: str, encoding: str) -> bool:
    """Text that real Polish or Russian data would not contain in this encoding.

    Windows-1251 read as 1250 gives runs of accented letters no language writes
    ("Ěîńęâŕ"); Windows-1250 read as 1251 mixes Latin and Cyrillic in one word
    ("Spуіka").
    """
    if encoding == "cp1251":
        return _MIXED_SCRIPT.search(text) is not None
    if encoding == "cp1250":
        return any(set(run) - _POLISH for run in _ACCENTED_RUN.findall(text))
    return False


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(sample: bytes) -> str:
    """UTF-8 if the sample decodes as UTF-8, else the Windows code page that reads cleaner."""
    if sample.startswith(BOM):
        return "utf-8"
    if sample.startswith(UTF16_BOMS):
        return "utf-16"
    cut = sample[: sample.rfind(b"\n") + 1] or sample
    if _is_utf8(cut):
        return "utf-8"
    scores = {}
    for encoding in ("cp1250", "cp1251"):
        text = cut.decode(encoding, "replace")
        scores[encoding] = sum(looks_garbled(line, encoding) for line in text.splitlines())
    return min(scores, key=lambda enc: (scores[enc], enc != "cp1250"))


def sniff_delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


@dataclass
class Table:
    """A header and a stream of (line number, values) with progress in `unit`s."""

    header: list[str]
    rows: Iterator[tuple[int, list]]
    total: int
    unit: str
    encoding: str = ""
    delimiter: str = ""
    position: Callable[[], int] = lambda: 0
    close: Callable[[], None] = lambda: None
    path: Path | None = None  # a CSV file, for readers that take its bytes whole
    header_line: int = 1
    skipped: list[SkippedRow] = field(default_factory=list)  # totals rows left out

    @property
    def done(self) -> int:
        return self.position()


_SURROGATE = re.compile(r"[\udc80-\udcff]+")


class _DecodedLines:
    """Text lines decoded in C (undecodable bytes kept as surrogates), with their number.

    Only a line with non-ASCII text is looked at in Python: undecodable bytes, text
    that is garbled in this encoding, or UTF-8 read as a Windows code page are
    reported as "wrong encoding" with the line number.
    """

    def __init__(self, handle, encoding: str, errors: ErrorList):
        self.text = io.TextIOWrapper(
            handle,
            encoding="utf-8-sig" if encoding == "utf-8" else encoding,
            errors="surrogateescape",
            newline="",
        )
        self.encoding = encoding
        self.errors = errors
        self.line = 0
        self.bad: set[int] = set()  # lines already reported: their rows are skipped

    def __iter__(self) -> Iterator[str]:
        line = 0
        for text in self.text:
            line += 1
            self.line = line
            if not text.isascii():
                self._check(line, text)
            yield text

    def _check(self, line: int, text: str) -> None:
        bad = _SURROGATE.search(text)
        if bad:
            self.bad.add(line)
            raw = bad.group().encode("utf-8", "surrogateescape")
            self.errors.add(
                line,
                "",
                "wrong_encoding",
                _("bytes %(bytes)s are not valid %(encoding)s")
                % {"bytes": repr(raw), "encoding": self.encoding},
            )
        elif _reads_garbled(text, self.encoding):
            self.bad.add(line)
            self.errors.add(
                line, "", "wrong_encoding",
                _("text does not read as %(encoding)s") % {"encoding": self.encoding},
            )  # fmt: skip


def _reads_garbled(text: str, encoding: str) -> bool:
    return looks_garbled(text, encoding) or (
        encoding != "utf-8" and _is_utf8(text.encode(encoding))
    )


def _byte_classes(classes: dict[bytes, bytes]) -> bytes:
    """A bytes.translate table: each byte in a key becomes that key's class, others '.'."""
    table = bytearray(b"." * 256)
    for members, name in classes.items():
        for byte in members:
            table[byte] = ord(name)
    return bytes(table)


_HIGH = bytes(range(0x80, 0x100))
_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
# What a line needs for each check to fire, found with C-speed translate and find:
# three letters in a row from bytes >= 0x80 (an accented run), a Latin letter next to
# one (mixed scripts), a UTF-8 lead byte before a continuation byte (UTF-8 text).
_RUN_CLASSES = _byte_classes({_HIGH: b"H"})
_SCRIPT_CLASSES = _byte_classes({_HIGH: b"H", _LETTERS: b"L"})
_UTF8_CLASSES = _byte_classes({bytes(range(0x80, 0xC0)): b"C", bytes(range(0xC2, 0xF5)): b"S"})


def _may_read_garbled(block: bytes, encoding: str) -> bool:
    if b"SC" in block.translate(_UTF8_CLASSES):
        return True
    if encoding == "cp1250":
        return b"HHH" in block.translate(_RUN_CLASSES)
    scripts = block.translate(_SCRIPT_CLASSES)
    return b"LH" in scripts or b"HL" in scripts


def block_reads_wrong(block: bytes, encoding: str) -> bool:
    """Whether `_DecodedLines` would report any line of this block of whole lines as a
    wrong encoding. Bytes that do not decode are found by decoding the block; the
    other checks look line by line only at a block that has what they look for."""
    if block.isascii():
        return False
    try:
        block.decode(encoding)
    except UnicodeDecodeError:
        return True
    if encoding == "utf-8" or not _may_read_garbled(block, encoding):
        return False
    return any(
        _reads_garbled(line.decode(encoding), encoding)
        for line in block.splitlines()
        if not line.isascii()
    )


def open_csv(
    path: Path,
    *,
    encoding: str | None,
    delimiter: str | None,
    errors: ErrorList,
    rank_header: RankHeader = None,
) -> Table:
    with open(path, "rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    encoding = normalize_encoding(encoding) if encoding else detect_encoding(sample)
    delimiter = normalize_delimiter(delimiter) if delimiter else None
    if encoding != "utf-16" and b"\x00" in sample:
        raise ImportFileError(RowError(1, "", "bad_file", not_text_message()))
    header_line, delimiter = _locate_csv_header(path, encoding, delimiter, rank_header)
    handle = open(path, "rb")  # noqa: SIM115 - closed when the table is closed
    lines = _DecodedLines(handle, encoding, errors)
    line_iter = iter(lines)
    for _skipped in range(header_line - 1):  # the separator hint and the title rows
        next(line_iter, None)
    first = next(line_iter, None)
    if first is None or not first.strip():
        handle.close()
        raise ImportFileError(RowError(1, "", "wrong_columns", _("the file has no header row")))
    delimiter = delimiter or sniff_delimiter(first)
    header = next(csv.reader([first], delimiter=delimiter))
    reader = csv.reader(line_iter, delimiter=delimiter)

    def rows() -> Iterator[tuple[int, list]]:
        previous, bad = header_line, lines.bad
        for values in reader:
            start = previous + 1
            previous = lines.line
            if bad and not bad.isdisjoint(range(start, previous + 1)):
                continue
            if values and any(values):
                yield start, values

    # Readers that take the bytes whole (the bulk paths) expect the header on line 1
    # and one of the encodings the database server also reads.
    plain = header_line == 1 and encoding != "utf-16"
    return Table(
        header=header,
        rows=rows(),
        total=path.stat().st_size,
        unit="B",
        encoding=encoding,
        delimiter=delimiter,
        position=handle.tell,
        close=lines.text.close,
        path=path if plain else None,
        header_line=header_line,
    )


def _locate_csv_header(path, encoding, delimiter, rank_header) -> tuple[int, str | None]:
    """(the header's line, the delimiter named by a `sep=` line or given)."""
    with open(path, "rb") as handle:
        lines = _DecodedLines(handle, encoding, ErrorList())  # reported by the real pass
        candidates = []
        for number, text in enumerate(lines, start=1):
            if number > PREAMBLE_ROWS + 1:
                break
            hint = _SEPARATOR_HINT.match(text.rstrip("\r\n")) if number == 1 else None
            if hint and not delimiter:
                delimiter = normalize_delimiter(hint.group(1))
                continue
            if hint:
                continue
            candidates.append((number, text))
    rows = [
        next(csv.reader([text], delimiter=delimiter or sniff_delimiter(text)), [])
        if text.strip()
        else []
        for _number, text in candidates
    ]
    index = pick_header(rows, rank_header)
    return (candidates[index][0] if index >= 0 else 1), delimiter


def pick_header(rows: list[list], rank_header: RankHeader) -> int:
    """Index of the header among the first rows (-1 if all are empty): the first whole
    header, else the row naming most columns, else the first non-empty row."""
    filled = [i for i, row in enumerate(rows) if any(cell_text(v) for v in row)]
    if not filled:
        return -1
    if rank_header is None:
        return filled[0]
    ranks = {i: rank_header([cell_text(v) for v in rows[i]]) for i in filled}
    whole = [i for i in filled if ranks[i][0]]
    if whole:
        return whole[0]
    return max(filled, key=lambda i: (ranks[i][1], -i))


def not_text_message() -> str:
    return _(
        "not a CSV text file nor an XLSX or XLS spreadsheet (it holds binary data): export "
        "the data from the ERP as CSV or a spreadsheet"
    )


def cell_text(value) -> str:
    """A spreadsheet cell as text: ids typed as numbers lose their `.0`."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def open_table(
    path: Path,
    *,
    errors: ErrorList,
    encoding: str | None = None,
    delimiter: str | None = None,
    rank_header: RankHeader = None,
) -> Table:
    """The file's header and rows (CSV or a spreadsheet), totals rows left out."""
    from openkam.ingest import spreadsheets

    reader = spreadsheets.reader_for(path)
    if reader is not None:
        table = reader(path, rank_header=rank_header)
    else:
        table = open_csv(
            path, encoding=encoding, delimiter=delimiter, errors=errors, rank_header=rank_header
        )
    table.rows = skip_totals(table.rows, table.skipped)
    return table
