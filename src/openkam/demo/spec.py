"""What to generate: the size, the seed and the calendar of the demo company."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

DEFAULT_LINES = 300_000
DEFAULT_SEED = 2026
LINES_PER_ACCOUNT = 150
MIN_ACCOUNTS = 2_000
MONTHS = 36
SOURCE = "demo"


def month_start(year: int, month: int) -> date:
    """First day of a month given with any month number (13 -> January next year)."""
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, 1)


@dataclass(frozen=True)
class DemoSpec:
    """The demo's parameters. Same spec -> the same rows, value for value."""

    today: date
    lines: int = DEFAULT_LINES
    seed: int = DEFAULT_SEED
    accounts: int | None = None
    # Ids start after what the tables already hold (0 for an empty database).
    id_offsets: dict[str, int] = field(default_factory=dict)

    @property
    def account_count(self) -> int:
        if self.accounts is not None:
            return self.accounts
        return max(MIN_ACCOUNTS, self.lines // LINES_PER_ACCOUNT)

    @property
    def first_month(self) -> date:
        """Sales start 36 full months before the current month, which runs to `today`."""
        return month_start(self.today.year, self.today.month - MONTHS)

    @property
    def month_starts(self) -> list[date]:
        first = self.first_month
        return [month_start(first.year, first.month + i) for i in range(MONTHS + 1)]

    def offset(self, table: str) -> int:
        return self.id_offsets.get(table, 0)
