"""A contract's dates: notice dates, renewals, deadlines and the alerts before them.

The clock is fixed at 2026-12-02 (conftest.py); these tests pass `today` themselves where
the day matters, and check that the default offsets are 90, 60 and 30 days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from openkam.contracts import dates

TODAY = date(2026, 12, 2)


@dataclass
class C:
    """A contract's date fields, without the database."""

    starts_on: date = date(2025, 1, 1)
    ends_on: date | None = date(2027, 6, 30)
    status: str = "active"
    auto_renews: bool = False
    renewal_months: int | None = None
    notice_period: int | None = None
    notice_unit: str = "months"


def test_months_are_shifted_to_the_last_day_of_a_shorter_month():
    assert dates.shift_months(date(2027, 3, 31), -1) == date(2027, 2, 28)
    assert dates.shift_months(date(2028, 3, 31), -1) == date(2028, 2, 29)
    assert dates.shift_months(date(2026, 12, 15), 1) == date(2027, 1, 15)
    assert dates.shift_months(date(2026, 1, 31), -13) == date(2024, 12, 31)


def test_notice_date_is_the_end_minus_the_notice_period():
    assert dates.notice_date(date(2027, 3, 31), 3, "months") == date(2026, 12, 31)
    assert dates.notice_date(date(2027, 3, 31), 30, "days") == date(2027, 3, 1)
    assert dates.notice_date(None, 3, "months") is None
    assert dates.notice_date(date(2027, 3, 31), None, "months") is None


def test_default_offsets_are_90_60_30_days(settings):
    assert dates.alert_offsets() == (90, 60, 30)
    settings.OPENKAM_CONTRACT_ALERT_DAYS = [14, 45]
    assert dates.alert_offsets() == (45, 14)


def test_the_deadline_is_the_notice_date_when_there_is_one_not_the_end():
    contract = C(ends_on=date(2027, 3, 31), notice_period=3)
    found = dates.deadline(contract, TODAY)
    assert (found.kind, found.on) == ("notice", date(2026, 12, 31))
    without_notice = C(ends_on=date(2027, 3, 31))
    found = dates.deadline(without_notice, TODAY)
    assert (found.kind, found.on) == ("end", date(2027, 3, 31))


@pytest.mark.parametrize(
    ("notice_on", "offset"),
    [
        (date(2026, 12, 2), 30),  # the day itself: 0 days left
        (date(2027, 1, 1), 30),  # 30 days left
        (date(2027, 1, 2), 60),  # 31 days left
        (date(2027, 1, 31), 60),  # 60 days
        (date(2027, 2, 1), 90),  # 61 days
        (date(2027, 3, 2), 90),  # 90 days
    ],
)
def test_alerts_count_back_90_60_30_days_from_the_notice_date(notice_on, offset):
    # A notice period of 10 days: the end is 10 days after the notice date.
    from datetime import timedelta

    contract = C(ends_on=notice_on + timedelta(days=10), notice_period=10, notice_unit="days")
    found = dates.alert(contract, TODAY)
    assert found is not None
    assert (found.deadline.kind, found.deadline.on, found.offset) == ("notice", notice_on, offset)
    assert found.days_left == (notice_on - TODAY).days


def test_no_alert_more_than_90_days_ahead_nor_after_the_deadline():
    far = C(ends_on=date(2027, 3, 3))  # 91 days
    assert dates.alert(far, TODAY) is None
    passed = C(ends_on=date(2026, 12, 1))
    assert dates.alert(passed, TODAY) is None
    # The end is 60 days away, but the notice date (3 months before) has passed.
    notice_passed = C(ends_on=date(2027, 1, 31), notice_period=3)
    assert dates.alert(notice_passed, TODAY) is None


def test_alerts_count_from_the_end_without_a_notice_period():
    contract = C(ends_on=date(2027, 1, 15))  # 44 days
    found = dates.alert(contract, TODAY)
    assert (found.deadline.kind, found.days_left, found.offset) == ("end", 44, 60)


def test_only_active_contracts_alert():
    for status in ("draft", "ended", "terminated"):
        assert dates.alert(C(ends_on=date(2027, 1, 1), status=status), TODAY) is None


def test_open_ended_contracts_have_no_deadline():
    contract = C(ends_on=None, notice_period=3)
    assert dates.deadline(contract, TODAY) is None
    assert dates.alert(contract, TODAY) is None


def test_configured_offsets(settings):
    settings.OPENKAM_CONTRACT_ALERT_DAYS = [120, 14]
    contract = C(ends_on=date(2027, 3, 31))  # 119 days
    assert dates.alert(contract, TODAY).offset == 120
    soon = C(ends_on=date(2026, 12, 10))  # 8 days
    assert dates.alert(soon, TODAY).offset == 14


def test_a_renewing_contract_rolls_on_once_its_notice_date_passed():
    # Signed to 2026-12-31, renews for 12 months, notice 2 months: the notice date
    # 2026-10-31 has passed, so the contract runs on to 2027-12-31 (notice by 2027-10-31).
    contract = C(
        starts_on=date(2024, 1, 1),
        ends_on=date(2026, 12, 31),
        auto_renews=True,
        renewal_months=12,
        notice_period=2,
    )
    found = dates.deadline(contract, TODAY)
    assert (found.kind, found.on) == ("notice", date(2027, 10, 31))
    assert (found.term.number, found.term.start, found.term.end) == (
        1,
        date(2027, 1, 1),
        date(2027, 12, 31),
    )
    # The term under way today is still the one signed.
    assert dates.term_on(contract, TODAY).end == date(2026, 12, 31)


def test_a_renewing_contract_long_past_its_first_end_finds_its_current_term():
    contract = C(
        starts_on=date(2015, 7, 1), ends_on=date(2016, 6, 30), auto_renews=True, renewal_months=6
    )
    found = dates.deadline(contract, TODAY)
    assert (found.kind, found.on) == ("end", date(2026, 12, 31))
    assert found.term.start == date(2026, 7, 1)
    assert dates.alert(contract, TODAY).days_left == 29


def test_commitment_windows_are_contract_years_or_the_term():
    contract = C(starts_on=date(2025, 3, 15), ends_on=date(2028, 3, 14))
    year = dates.commitment_window(contract, "year", TODAY)
    assert (year.start, year.end) == (date(2026, 3, 15), date(2027, 3, 14))
    term = dates.commitment_window(contract, "term", TODAY)
    assert (term.start, term.end) == (date(2025, 3, 15), date(2028, 3, 14))
    # Before the start: the first year; after the end: the last one.
    later = C(starts_on=date(2027, 1, 1), ends_on=None)
    first = dates.commitment_window(later, "year", TODAY)
    assert (first.start, first.end) == (date(2027, 1, 1), date(2027, 12, 31))
    ended = C(starts_on=date(2022, 6, 1), ends_on=date(2024, 5, 31))
    last = dates.commitment_window(ended, "year", TODAY)
    assert (last.start, last.end) == (date(2023, 6, 1), date(2024, 5, 31))
    assert dates.commitment_window(C(ends_on=None), "term", TODAY) is None
