"""Totals rows: the "Razem" / "Итого" line at the end of a report, left out of the data.

A report saved from an ERP often ends with a totals (or subtotals) line. Such a row is
skipped, and the import's outcome lists it, when its first non-empty cell is a totals
label (Razem, Suma, Ogółem, Podsumowanie, Итого, Итог, Всего, Total, Grand total; any
case, optionally followed by a colon or more words: "Razem:", "Итого по документу") and
every other non-empty cell is a number, possibly with a currency ("1 234,56 zł"), or a
currency code alone. A row with any other text is data, whatever its first cell says.

`skip_totals` filters the rows of every table (CSV, XLSX, XLS; see reading.open_table).
The invoice paths that read a CSV file's bytes themselves ask `block_has_totals` and hand
a file with a totals row to the row by row reading.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from openkam.ingest.parsing import BadValue, number_text

TOTALS_WORDS = (
    "razem", "suma", "ogółem", "ogolem", "podsumowanie",
    "итого", "итог", "всего",
    "total", "totals", "grand total", "sum total",
)  # fmt: skip
_LABEL = re.compile(
    r"(?:" + "|".join(re.escape(word) for word in TOTALS_WORDS) + r")(?:[\s:.]|\Z)",
    re.IGNORECASE,
)
# A currency written next to an amount, or alone in its own cell.
_MONEY_SIGN = r"(?:[A-Z]{3}|(?i:zł|zl|руб\.?|р\.)|₽|€|\$|£)"
_CURRENCY_ALONE = re.compile(_MONEY_SIGN + r"\Z")
_CURRENCY_AFTER = re.compile(r"\s*" + _MONEY_SIGN + r"\Z")
_CURRENCY_BEFORE = re.compile(r"\A(?:[A-Z]{3}|€|\$|£)\s*")


@dataclass(frozen=True)
class SkippedRow:
    """A row left out without an error: its physical line, a reason code, the label."""

    line: int
    reason: str
    label: str

    @property
    def detail(self) -> str:
        return _("a totals row (“%(label)s”)") % {"label": self.label}

    def as_dict(self) -> dict:
        return {"line": self.line, "reason": self.reason, "detail": self.detail}


def totals_label(values: list) -> str | None:
    """The label of a totals row ("Razem"), None for any other row."""
    cells = iter(values)
    label = None
    for value in cells:
        if not _blank(value):
            label = value.strip() if isinstance(value, str) else None
            break
    if not label or not _LABEL.match(label):
        return None
    if all(_blank(value) or _amount(value) for value in cells):
        return label
    return None


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _amount(value) -> bool:
    """A number (native or written, with or without a currency) or a currency alone."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float, Decimal)):
        return True
    if not isinstance(value, str):
        return False  # a date, a time
    text = value.strip()
    if _CURRENCY_ALONE.match(text):
        return True
    text = _CURRENCY_BEFORE.sub("", _CURRENCY_AFTER.sub("", text)).strip()
    try:
        number_text(text)
    except BadValue:
        return False
    return True


def skip_totals(
    rows: Iterator[tuple[int, list]], skipped: list[SkippedRow]
) -> Iterator[tuple[int, list]]:
    """The rows without the totals rows, each of which is added to `skipped`."""
    for line, values in rows:
        label = totals_label(values)
        if label is None:
            yield line, values
        else:
            skipped.append(SkippedRow(line, "totals_row", label))


# --- bulk readers ---------------------------------------------------------------------
_LABEL_PATTERNS: dict[str, tuple[re.Pattern[bytes], re.Pattern[bytes]]] = {}


def _label_patterns(encoding: str) -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    """A totals word (in the cases a report writes it) as the first non-empty cell of
    the block's first line, and of any later line."""
    if encoding not in _LABEL_PATTERNS:
        forms = set()
        for word in TOTALS_WORDS:
            for form in (word, word.upper(), word.capitalize(), word.title()):
                try:
                    forms.add(form.encode(encoding))
                except UnicodeEncodeError:
                    continue
        words = b"|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
        start = b'[;,\t "]*(?:' + words + b")"
        _LABEL_PATTERNS[encoding] = (re.compile(start), re.compile(b"\n" + start))
    return _LABEL_PATTERNS[encoding]


def block_has_totals(block: bytes, encoding: str, delimiter: str) -> bool:
    """Whether a block of whole CSV lines holds a totals row. Only a line that starts
    with a totals word is parsed, so a block without one costs one search."""
    first, later = _label_patterns(encoding)
    starts = [0] if first.match(block) else []
    starts += [match.start() + 1 for match in later.finditer(block)]
    for start in starts:
        end = block.find(b"\n", start)
        line = block[start : len(block) if end < 0 else end]
        values = next(csv.reader([line.decode(encoding, "replace").rstrip("\r")],
                                 delimiter=delimiter), [])  # fmt: skip
        if totals_label(values) is not None:
            return True
    return False
