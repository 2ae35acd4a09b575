"""Streaming rows out of ERP files: CSV in UTF-8, Windows-1250 or Windows-1251, or XLSX.

Nothing here loads a whole file: CSV is decoded line by line (so a byte that does not
decode is reported with its line number) and XLSX is read with openpyxl's read-only
streaming mode.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from openkam.ingest.errors import ErrorList, ImportFileError, RowError

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
}
DELIMITERS = {";": ";", ",": ",", "\t": "\t", "tab": "\t", "\\t": "\t"}
SAMPLE_BYTES = 256 * 1024
BOM = b"\xef\xbb\xbf"

_POLISH = set("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ")
_ACCENTED_RUN = re.compile(r"[\u00c0-\u017f]{3,}")
_MIXED_SCRIPT = re.compile(r"[A-Za-z][\u0400-\u04ff]|[\u0400-\u04ff][A-Za-z]")


def normalize_encoding(name: str) -> str:
    try:
        return ENCODINGS[name.strip().lower()]
    except KeyError:
        raise ValueError(
            f"unsupported encoding {name!r} (use utf-8, windows-1250 or windows-1251)"
        ) from None


def normalize_delimiter(name: str) -> str:
    try:
        return DELIMITERS[name if name in DELIMITERS else name.strip().lower()]
    except KeyError:
        raise ValueError(f"unsupported delimiter {name!r} (use ';', ',' or tab)") from None


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
                line, "", "wrong_encoding", f"bytes {raw!r} are not valid {self.encoding}"
            )
        elif _reads_garbled(text, self.encoding):
            self.bad.add(line)
            self.errors.add(line, "", "wrong_encoding", f"text does not read as {self.encoding}")


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
    path: Path, *, encoding: str | None, delimiter: str | None, errors: ErrorList
) -> Table:
    handle = open(path, "rb")  # noqa: SIM115 - closed when the table is closed
    if encoding:
        encoding = normalize_encoding(encoding)
    else:
        encoding = detect_encoding(handle.read(SAMPLE_BYTES))
        handle.seek(0)
    lines = _DecodedLines(handle, encoding, errors)
    line_iter = iter(lines)
    first = next(line_iter, None)
    if first is None or not first.strip():
        handle.close()
        raise ImportFileError(RowError(1, "", "wrong_columns", "the file has no header row"))
    delimiter = normalize_delimiter(delimiter) if delimiter else sniff_delimiter(first)
    header = next(csv.reader([first], delimiter=delimiter))
    reader = csv.reader(line_iter, delimiter=delimiter)

    def rows() -> Iterator[tuple[int, list]]:
        previous, bad = 1, lines.bad
        for values in reader:
            start = previous + 1
            previous = lines.line
            if bad and not bad.isdisjoint(range(start, previous + 1)):
                continue
            if values and any(values):
                yield start, values

    return Table(
        header=header,
        rows=rows(),
        total=path.stat().st_size,
        unit="B",
        encoding=encoding,
        delimiter=delimiter,
        position=handle.tell,
        close=lines.text.close,
        path=path,
    )


def cell_text(value) -> str:
    """A spreadsheet cell as text: ids typed as numbers lose their `.0`."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def open_xlsx(path: Path) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise ImportFileError(
            RowError(1, "", "bad_file", f"not a readable XLSX file: {exc}")
        ) from None
    sheet = workbook.worksheets[0]
    stream = sheet.iter_rows(values_only=True)
    header_row = next(stream, None)
    if not header_row:
        workbook.close()
        raise ImportFileError(RowError(1, "", "wrong_columns", "the sheet has no header row"))
    position = [0]

    def rows() -> Iterator[tuple[int, list]]:
        for line, values in enumerate(stream, start=2):
            position[0] = line
            if any(value not in (None, "") for value in values):
                yield line, list(values)

    return Table(
        header=[cell_text(value) for value in header_row],
        rows=rows(),
        total=sheet.max_row or 0,
        unit="rows",
        encoding="xlsx",
        position=lambda: position[0],
        close=workbook.close,
    )


def is_xlsx(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(4) == b"PK\x03\x04"


def open_table(
    path: Path,
    *,
    errors: ErrorList,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> Table:
    if is_xlsx(path):
        return open_xlsx(path)
    return open_csv(path, encoding=encoding, delimiter=delimiter, errors=errors)
