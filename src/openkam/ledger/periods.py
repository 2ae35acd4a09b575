"""The one definition of a period-bound figure: whole calendar months.

"Last 12 months" everywhere (the account list and page, the API, the brief, the portfolio
analysis) is the 12 whole months that end with the month before today: on 7 December 2026,
1 December 2025 to 30 November 2026. The month under way is left out, so a figure does not
change its meaning with the day of the month, and every page shows the same number for
the same customer. Pages print the period next to the figure (`Period.label`).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

TRAILING_MONTHS = 12


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def first_of_month(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def shift_months(day: date, months: int) -> date:
    """The same day `months` calendar months later (earlier if negative), or the last day
    of that month when it is shorter (31 January + 1 month = 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_months(first: date, months: int) -> date:
    """The first day of the month `months` after (or before) the month of `first`."""
    return first_of_month(month_index(first) + months)


@dataclass(frozen=True)
class Period:
    """`months` whole months ending with the month before `today`, and the same span before."""

    start: date
    end: date  # exclusive: first day of the current month
    prev_start: date
    months: int

    @classmethod
    def ending_before(cls, today: date, months: int) -> Period:
        end_index = month_index(today)
        return cls(
            start=first_of_month(end_index - months),
            end=first_of_month(end_index),
            prev_start=first_of_month(end_index - 2 * months),
            months=months,
        )

    @classmethod
    def trailing(cls, today: date | None = None, months: int = TRAILING_MONTHS) -> Period:
        """The period of every "last 12 months" figure, as of today."""
        return cls.ending_before(today or timezone.localdate(), months)

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def label(self) -> str:
        """ "2025-12-01 – 2026-11-30": first and last day, as the portfolio pages print them."""
        return _("%(start)s – %(end)s") % {
            "start": self.start.isoformat(),
            "end": self.last_day.isoformat(),
        }

    def __str__(self) -> str:
        return self.label
