"""What a returns or refusals figure covers: whole months, and the reader's filters.

A span is whole calendar months, the first day of its first month to the first day of
the month after its last (exclusive). Without a choice it is the 12 whole months before
the month under way, the same "last 12 months" as every other page (ledger/periods.py).
Pages and the API read the same query parameters: `from` and `to` (YYYY-MM), `line`
(a product line), `account` (an account id), `currency` (ISO code).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from openkam.core import bounds
from openkam.ledger.periods import Period, first_of_month, month_index

MAX_MONTHS = 60  # five years of months: a chart and a sheet that stay readable
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Span:
    start: date  # the first day of the first month
    end: date  # the first day of the month after the last (exclusive)

    @classmethod
    def trailing(cls, today: date | None = None, months: int = 12) -> Span:
        period = Period.trailing(today, months)
        return cls(period.start, period.end)

    @classmethod
    def through(cls, today: date, months: int = 12) -> Span:
        """`months` whole months ending with the month under way."""
        end = month_index(today) + 1
        return cls(first_of_month(end - months), first_of_month(end))

    @property
    def months(self) -> list[date]:
        first, last = month_index(self.start), month_index(self.end)
        return [first_of_month(index) for index in range(first, last)]

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def label(self) -> str:
        return _("%(start)s – %(end)s") % {
            "start": self.start.isoformat(),
            "end": self.last_day.isoformat(),
        }


@dataclass(frozen=True)
class ReturnsFilter:
    span: Span
    product_line: str = ""
    account_id: int | None = None
    currency: str = ""
    # Several accounts at once (a group's members), on top of `account_id`.
    account_ids: tuple[int, ...] | None = None

    def without_account(self) -> ReturnsFilter:
        """The same filter over every account the reader sees: the comparison's."""
        return ReturnsFilter(self.span, self.product_line, None, self.currency)


def parse_month(raw: str) -> date | None:
    """ "2026-03" as 1 March 2026; None for anything else (years 1900..2999)."""
    match = MONTH.match(raw.strip())
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12 or not bounds.MIN_YEAR <= year <= bounds.MAX_YEAR:
        return None
    return date(year, month, 1)


def parse(
    data: Mapping[str, str], today: date, *, through_today: bool = False
) -> tuple[ReturnsFilter, list[str]]:
    """The filter the query parameters ask for, and what was wrong with them (each bad
    value falls back to its default, so a page still shows figures). The default span is
    the last 12 whole months, or with `through_today` the 12 months ending with this one
    (refusals: a deal lost this morning is news)."""
    errors: list[str] = []
    default = Span.through(today) if through_today else Span.trailing(today)
    span = default
    start, end = span.start, span.last_day
    raw_from, raw_to = (data.get("from") or "").strip(), (data.get("to") or "").strip()
    if raw_from:
        start = parse_month(raw_from) or start
        if parse_month(raw_from) is None:
            errors.append(_("From: give a month as YYYY-MM, e.g. 2026-01."))
    if raw_to:
        end = parse_month(raw_to) or end
        if parse_month(raw_to) is None:
            errors.append(_("To: give a month as YYYY-MM, e.g. 2026-12."))
    first, last = month_index(start), month_index(end)
    if last < first:
        errors.append(_("The period ends before it starts: showing the default period."))
    elif last - first + 1 > MAX_MONTHS:
        errors.append(
            _("A period is at most %(n)s months: showing the default period.") % {"n": MAX_MONTHS}
        )
    else:
        span = Span(first_of_month(first), first_of_month(last + 1))
    raw_account = (data.get("account") or "").strip()
    account_id = bounds.id_or_none(raw_account) if raw_account else None
    if raw_account and account_id is None:
        errors.append(_("Account: give an account's number."))
    currency = (data.get("currency") or "").strip().upper()
    if currency and not re.fullmatch(r"[A-Z]{3}", currency):
        errors.append(_("Currency: give a three-letter code, e.g. PLN."))
        currency = ""
    line = (data.get("line") or "").strip()[:100]
    return ReturnsFilter(span, line, account_id, currency), errors
