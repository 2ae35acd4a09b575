"""Periods: whole calendar months, the one definition of every period-bound figure."""

from __future__ import annotations

from datetime import date

from django.utils import translation

from openkam.ledger.periods import Period, add_months, first_of_month, month_index


def test_months_are_counted_across_years():
    assert month_index(date(2026, 1, 31)) - month_index(date(2025, 12, 1)) == 1
    assert first_of_month(month_index(date(2026, 1, 31))) == date(2026, 1, 1)
    assert first_of_month(month_index(date(2025, 12, 9))) == date(2025, 12, 1)


def test_periods_end_with_the_month_before_today():
    assert Period.ending_before(date(2026, 11, 23), 12) == Period(
        start=date(2025, 11, 1), end=date(2026, 11, 1), prev_start=date(2024, 11, 1), months=12
    )
    assert Period.ending_before(date(2026, 1, 15), 3) == Period(
        start=date(2025, 10, 1), end=date(2026, 1, 1), prev_start=date(2025, 7, 1), months=3
    )


def test_last_12_months_on_7_december_are_december_to_november():
    period = Period.trailing(date(2026, 12, 7))
    assert (period.start, period.last_day) == (date(2025, 12, 1), date(2026, 11, 30))
    assert period.end == date(2026, 12, 1) and period.months == 12


def test_the_first_of_the_month_does_not_count_the_new_month():
    assert Period.trailing(date(2026, 12, 1)) == Period.trailing(date(2026, 12, 31))


def test_trailing_defaults_to_today_on_the_fixed_clock():
    # The suite's clock is 2026-12-02 (conftest.FIXED_NOW).
    assert Period.trailing().start == date(2025, 12, 1)


def test_add_months_crosses_years_both_ways():
    assert add_months(date(2026, 11, 1), 3) == date(2027, 2, 1)
    assert add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)


def test_the_label_names_the_first_and_the_last_day():
    period = Period.trailing(date(2026, 12, 7))
    with translation.override("pl"):
        assert period.label == "2025-12-01 – 2026-11-30"
        assert str(period) == period.label
