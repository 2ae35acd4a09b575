"""A contract's dates: its terms, its notice date, the next deadline and the alerts before it.

Terms. A contract runs from its start date to its end date (open-ended without one). One
that renews automatically runs on by its renewal term each time: the k-th renewal ends the
day before k x `renewal_months` calendar months after the day after the end date (a
contract to 30 June renewed for 6 months runs to 31 December).

Notice date. The end of a term minus the notice period, in days or in calendar months (31
March minus one month is the last day of February). A contract without an end date has
no notice date.

Deadline. The next date to act on: the notice date of the term when there is one, else
its end (the notice date, not the end, when both exist). For a contract that renews by
itself, once a term's deadline has passed without notice the contract counts as renewed:
its deadline (and the end shown) move on to the next term's.

Alerts. `offsets` days before the deadline (the setting KAM_CONTRACT_ALERT_DAYS, by default
90, 60 and 30): a contract is alerted from the largest offset on, until the deadline day
itself, and the alert names the nearest offset reached (45 days before: the 60-day
alert). Only active contracts alert.

Everything here is plain date arithmetic on a contract's fields: no queries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

from django.conf import settings

from openkam.contracts.models import CommitmentPeriod, ContractStatus, NoticeUnit
from openkam.ledger.periods import shift_months

DEFAULT_OFFSETS = (90, 60, 30)
# A renewal chain is followed this many terms at most (a term is at least a month, dates
# stay within the years every page shows).
MAX_TERMS = 13_000


class Dated(Protocol):
    """What the date rules read of a contract."""

    status: str
    starts_on: date
    ends_on: date | None
    auto_renews: bool
    renewal_months: int | None
    notice_period: int | None
    notice_unit: str


def alert_offsets() -> tuple[int, ...]:
    """The alert offsets in days, largest first (settings.OPENKAM_CONTRACT_ALERT_DAYS)."""
    offsets = getattr(settings, "OPENKAM_CONTRACT_ALERT_DAYS", DEFAULT_OFFSETS)
    return tuple(sorted({int(day) for day in offsets}, reverse=True)) or DEFAULT_OFFSETS


def months_between(first: date, second: date) -> int:
    return (second.year - first.year) * 12 + second.month - first.month


def notice_date(end: date | None, period: int | None, unit: str) -> date | None:
    """The last day to give notice for a term ending on `end`; None without an end or a
    notice period."""
    if end is None or not period:
        return None
    if unit == NoticeUnit.DAYS:
        return end - timedelta(days=period)
    return shift_months(end, -period)


@dataclass(frozen=True)
class Term:
    """One run of a contract: 0 is the term as signed, 1 the first renewal..."""

    number: int
    start: date
    end: date | None  # inclusive; None: open-ended

    @property
    def days(self) -> int | None:
        return None if self.end is None else (self.end - self.start).days + 1


def renews(contract: Dated) -> bool:
    return bool(contract.auto_renews and contract.renewal_months and contract.ends_on)


def term(contract: Dated, number: int) -> Term:
    """The `number`-th term (0 for a contract that does not renew)."""
    end = contract.ends_on
    if number == 0 or end is None or not renews(contract):
        return Term(0, contract.starts_on, end)
    # Renewals count from the day after the end, so a term ending on the last day of a
    # month renews to the last day of a month (30 June + 6 months: 31 December).
    first_renewal_day = end + timedelta(days=1)
    months = contract.renewal_months or 0
    start = shift_months(first_renewal_day, (number - 1) * months)
    return Term(number, start, shift_months(first_renewal_day, number * months) - timedelta(days=1))


def _first_term(contract: Dated, day: date, reached: Callable[[Term], bool]) -> Term:
    """The first term from about `day` on for which `reached` holds (term 0 if none does
    before the chain is too long)."""
    end = contract.ends_on
    months = contract.renewal_months or 0
    if end is None or not renews(contract) or months <= 0:
        return term(contract, 0)
    number = max(0, months_between(end, day) // months - 1)
    for _ in range(MAX_TERMS):
        candidate = term(contract, number)
        if reached(candidate):
            return candidate
        number += 1
    return term(contract, 0)


def term_on(contract: Dated, day: date) -> Term:
    """The term under way on `day`: the first one before it starts, the last one after a
    contract that does not renew has ended."""
    if not renews(contract) or contract.ends_on is None or day <= contract.ends_on:
        return term(contract, 0)
    return _first_term(contract, day, lambda candidate: (candidate.end or day) >= day)


@dataclass(frozen=True)
class Deadline:
    kind: str  # "notice" (the last day to give notice) or "end"
    on: date
    term: Term

    @property
    def is_notice(self) -> bool:
        return self.kind == "notice"


def deadline_of(contract: Dated, one: Term) -> Deadline | None:
    if one.end is None:
        return None
    notice = notice_date(one.end, contract.notice_period, contract.notice_unit)
    if notice is not None:
        return Deadline("notice", notice, one)
    return Deadline("end", one.end, one)


def deadline(contract: Dated, today: date) -> Deadline | None:
    """The next deadline as of `today` (see the module's docstring); for a contract that
    does not renew, its one deadline even once passed. None for an open-ended contract."""
    if contract.ends_on is None:
        return None

    def not_passed(candidate: Term) -> bool:
        found = deadline_of(contract, candidate)
        return found is not None and found.on >= today

    first = term(contract, 0)
    if not renews(contract) or not_passed(first):
        return deadline_of(contract, first)
    return deadline_of(contract, _first_term(contract, today, not_passed))


@dataclass(frozen=True)
class Alert:
    """A contract whose deadline is `days_left` days away, within the `offset`-day alert."""

    contract: Any  # the Contract
    deadline: Deadline
    days_left: int
    offset: int


def alert(contract: Dated, today: date, offsets: Iterable[int] | None = None) -> Alert | None:
    """The alert an active contract raises today; None when it raises none."""
    if contract.status != ContractStatus.ACTIVE:
        return None
    found = deadline(contract, today)
    if found is None:
        return None
    days_left = (found.on - today).days
    reached = [offset for offset in offsets or alert_offsets() if days_left <= offset]
    if days_left < 0 or not reached:
        return None
    return Alert(contract=contract, deadline=found, days_left=days_left, offset=min(reached))


def commitment_window(contract: Dated, commitment_period: str, today: date) -> Term | None:
    """The period a volume commitment is measured over as of `today`: the contract year
    (12 months from each anniversary of the start date) or the term under way. Before the
    contract starts, its first period; after a contract that does not renew has ended,
    its last. None for a commitment over the whole term of an open-ended contract."""
    day = max(today, contract.starts_on)
    if contract.ends_on is not None and not renews(contract):
        day = min(day, max(contract.ends_on, contract.starts_on))
    if commitment_period == CommitmentPeriod.TERM:
        under_way = term_on(contract, day)
        return under_way if under_way.end is not None else None
    years = months_between(contract.starts_on, day) // 12
    start = shift_months(contract.starts_on, 12 * years)
    if start > day:
        years -= 1
        start = shift_months(contract.starts_on, 12 * years)
    end = shift_months(contract.starts_on, 12 * (years + 1)) - timedelta(days=1)
    return Term(years, start, end)
