"""The arithmetic of promotions, on plain numbers (no database): progress towards a
threshold, the bonus earned, the run-rate projection, and after the period the lift and
the pull-forward. docs/promotions.md explains each figure to users.

Definitions:
- baseline: the average eligible turnover of the 3 equal-length periods right before the
  promotion (the same products, the same account, the promotion's currency);
- lift: turnover in the period minus the baseline (and as a share of the baseline);
- dip: the baseline minus the turnover of the equal-length period right after;
- bought ahead: the lift was positive and the dip cancels at least half of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal(0)
HUNDRED = Decimal(100)
BASELINE_PERIODS = 3


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Window:
    first: date
    last: date


def windows(starts_on: date, ends_on: date) -> tuple[list[Window], Window, Window]:
    """The 3 equal-length periods before (oldest first), the period, the one after."""
    length = timedelta(days=(ends_on - starts_on).days + 1)
    before = [
        Window(starts_on - length * k, starts_on - length * (k - 1) - timedelta(days=1))
        for k in range(BASELINE_PERIODS, 0, -1)
    ]
    after = Window(ends_on + timedelta(days=1), ends_on + length)
    return before, Window(starts_on, ends_on), after


def elapsed_days(starts_on: date, ends_on: date, today: date) -> int:
    """Days of the period gone by today (today included); 0 before it starts."""
    if today < starts_on:
        return 0
    return (min(today, ends_on) - starts_on).days + 1


def projection(so_far: Decimal, elapsed: int, total_days: int) -> Decimal:
    """Where the period ends at the pace so far (the figure itself once it is over)."""
    if elapsed <= 0:
        return ZERO
    if elapsed >= total_days:
        return so_far
    return so_far * total_days / elapsed


def share(value: Decimal, of: Decimal | None) -> Decimal | None:
    """value as a percentage of `of` (one decimal); None without a positive `of`."""
    if not of or of <= 0:
        return None
    return (value * HUNDRED / of).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def missing(value: Decimal, threshold: Decimal | None) -> Decimal:
    if threshold is None:
        return ZERO
    return max(ZERO, threshold - value)


def bonus(
    *,
    turnover: Decimal,
    reached: bool,
    bonus_pct: Decimal | None,
    bonus_amount: Decimal | None,
    limit: Decimal | None,
) -> Decimal:
    """The bonus earned on a turnover: nothing below the threshold; the percentage of the
    turnover (never below zero) or the fixed amount; at most the limit per account."""
    if not reached:
        return ZERO
    if bonus_pct is not None:
        earned = max(ZERO, turnover) * bonus_pct / HUNDRED
    else:
        earned = bonus_amount or ZERO
    if limit is not None:
        earned = min(earned, limit)
    return cents(earned)


@dataclass(frozen=True)
class Lift:
    before: tuple[Decimal, ...]
    during: Decimal
    after: Decimal
    after_complete: bool

    @property
    def baseline(self) -> Decimal:
        return cents(sum(self.before, ZERO) / len(self.before)) if self.before else ZERO

    @property
    def lift(self) -> Decimal:
        return cents(self.during - self.baseline)

    @property
    def lift_pct(self) -> Decimal | None:
        return share(self.lift, self.baseline)

    @property
    def dip(self) -> Decimal:
        """How far the period after fell below the baseline (negative: it stayed above)."""
        return cents(self.baseline - self.after)

    @property
    def bought_ahead(self) -> bool:
        return self.lift > 0 and self.dip * 2 >= self.lift

    @property
    def net_lift(self) -> Decimal:
        """The lift left once the dip after is taken off."""
        return cents(self.lift - max(ZERO, self.dip))


def total_lift(rows: list[Lift]) -> Lift:
    """The sum of several accounts' figures (of one currency)."""
    width = max((len(row.before) for row in rows), default=BASELINE_PERIODS)
    before = tuple(
        sum((row.before[i] for row in rows if i < len(row.before)), ZERO) for i in range(width)
    )
    return Lift(
        before=before,
        during=sum((row.during for row in rows), ZERO),
        after=sum((row.after for row in rows), ZERO),
        after_complete=all(row.after_complete for row in rows),
    )
