"""Numbers and dates as ERPs write them.

Numbers: `1234.56`, `1234,56`, `1 234,56` (also with no-break or narrow spaces),
`1,234.56`, `1.234,56`, `-12,50`, and a negative written `12,50-` (SAP) or `(12,50)`
(accounting format). A single `,` or `.` is the decimal separator (ERPs
that use a decimal comma never write `1,234` for a thousand). Anything else is
"bad number". Dates: ISO `yyyy-mm-dd` (optionally followed by a midnight time, as
spreadsheets save them) and `dd.mm.yyyy`, either followed by a time of day (1C writes
`05.12.2026 0:00:00`; the time is dropped, the date is what an invoice or payment
carries); XLSX cells may hold native dates. `03/04/2026` (or `03-04-2026`) is read
only with a date order, day first (`dmy`) or month first (`mdy`), set for the source:
without one it is ambiguous.

The parsers return canonical text (`"-1234.56"`, `"2024-03-01"`) so the hot path
hands strings straight to the database; `Decimal`/`date` objects are made only where
Python needs to compute.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

_PLAIN = re.compile(r"[+-]?\d+(?:[.,]\d+)?\Z")
_SPACES = re.compile(r"[ \u00a0\u202f\u2009']")
_SPACE_GROUPED = re.compile(r"([+-]?\d{1,3}(?:[ \u00a0\u202f\u2009']\d{3})+)(?:[.,](\d+))?\Z")
_COMMA_GROUPED = re.compile(r"([+-]?\d{1,3}(?:,\d{3})+)(?:\.(\d+))?\Z")
_DOT_GROUPED = re.compile(r"([+-]?\d{1,3}(?:\.\d{3})+)(?:,(\d+))?\Z")
# A time of day after the date: `0:00`, `14:22:05`, `14:22:05.123`, checked, then dropped.
_TIME = r"(?:[ T]([01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,6})?)?)?"
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME + r"\Z")
_DOTTED_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})" + _TIME + r"\Z")
_SLASHED_DATE = re.compile(r"(\d{1,2})([/-])(\d{1,2})\2(\d{4})" + _TIME + r"\Z")
DAY_FIRST, MONTH_FIRST = "dmy", "mdy"


class BadValue(ValueError):
    """A cell that does not parse; the message says why, for the error report."""


def number_text(raw: str) -> str:
    """Canonical decimal text for an ERP number, or BadValue."""
    if _PLAIN.match(raw):
        return raw.replace(",", ".").lstrip("+")
    text = raw.strip()
    if _PLAIN.match(text):
        return text.replace(",", ".").lstrip("+")
    negated = _negative_notation(text)
    if negated is not None:
        value = number_text(negated)
        if value.startswith("-"):
            raise BadValue(_("%(value)s is not a number") % {"value": repr(raw)})
        return value if value.strip("0.") == "" else f"-{value}"
    for pattern, group_chars in (
        (_SPACE_GROUPED, None),
        (_COMMA_GROUPED, ","),
        (_DOT_GROUPED, "."),
    ):
        match = pattern.match(text)
        if match:
            whole, fraction = match.groups()
            whole = (
                _SPACES.sub("", whole) if group_chars is None else whole.replace(group_chars, "")
            )
            whole = whole.lstrip("+")
            return f"{whole}.{fraction}" if fraction else whole
    raise BadValue(_("%(value)s is not a number") % {"value": repr(raw)})


def _negative_notation(text: str) -> str | None:
    """The digits of `12,50-` (SAP's trailing minus) or `(12,50)`, None for other text."""
    if text.endswith("-") and len(text) > 1:
        return text[:-1].rstrip()
    if text.startswith("(") and text.endswith(")"):
        return text[1:-1].strip()
    return None


def check_digits(text: str, *, places: int, max_digits: int = 18) -> str:
    """Reject more decimal places or digits than the database column holds."""
    whole, _point, fraction = text.lstrip("-").partition(".")
    fraction = fraction.rstrip("0")
    if len(fraction) > places:
        raise BadValue(
            _("%(value)s has more than %(places)d decimal places")
            % {"value": text, "places": places}
        )
    if len(whole.lstrip("0")) > max_digits - places:
        raise BadValue(_("%(value)s is too large") % {"value": text})
    return text


def parse_number(raw, *, places: int) -> str:
    """A cell (text or a native XLSX number) as canonical decimal text."""
    if isinstance(raw, str):
        return check_digits(number_text(raw), places=places)
    if isinstance(raw, bool) or not isinstance(raw, (int, float, Decimal)):
        raise BadValue(_("%(value)s is not a number") % {"value": repr(raw)})
    if isinstance(raw, float):
        # Spreadsheets store binary floats: round to the column's places.
        raw = round(Decimal(repr(raw)), places)
    return check_digits(str(raw), places=places)


def to_decimal(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise BadValue(_("%(value)s is not a number") % {"value": repr(text)}) from None


def parse_date(raw, order: str = "") -> str:
    """A cell as ISO date text, or BadValue. `order` reads `03/04/2026`: "dmy" (day
    first), "mdy" (month first) or "" (refused as ambiguous)."""
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    if not isinstance(raw, str):
        raise BadValue(_("%(value)s is not a date") % {"value": repr(raw)})
    text = raw.strip()
    match = _ISO_DATE.match(text)
    if match:
        year, month, day = match.groups()[:3]
    elif match := _DOTTED_DATE.match(text):
        day, month, year = match.groups()[:3]
    elif match := _SLASHED_DATE.match(text):
        first, _sep, second, year = match.groups()[:4]
        if order == DAY_FIRST:
            day, month = first, second
        elif order == MONTH_FIRST:
            month, day = first, second
        else:
            raise BadValue(
                _(
                    "%(value)s is ambiguous (day or month first?): use yyyy-mm-dd or "
                    "dd.mm.yyyy, or set the date order of the source (import page, or "
                    "kam import --date-order day-first|month-first --save-defaults)"
                )
                % {"value": repr(raw)}
            )
    else:
        raise BadValue(
            _("%(value)s is not a date (use yyyy-mm-dd or dd.mm.yyyy)") % {"value": repr(raw)}
        )
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        raise BadValue(_("%(value)s is not a real date") % {"value": repr(raw)}) from None


def parse_int(raw) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    elif isinstance(raw, float) and raw.is_integer():
        value = int(raw)
    else:
        text = str(raw).strip()
        if not text.isdigit():
            raise BadValue(_("%(value)s is not a whole number") % {"value": repr(raw)})
        value = int(text)
    if value < 0 or value > 2_147_483_647:
        raise BadValue(_("%(value)s is out of range") % {"value": repr(raw)})
    return value


class DateCache(dict):
    """Most files repeat a few hundred dates a million times: parse each once."""

    def __init__(self, *args, order: str = ""):
        super().__init__(*args)
        self.order = order

    def __missing__(self, raw):
        value = parse_date(raw, self.order)
        self[raw] = value
        return value
