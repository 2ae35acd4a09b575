"""Percentages, short sums and "days ago" as each language writes them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from openkam.core.templatetags.openkam_format import compact_money, days_ago, percent

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("language", "share", "money"),
    [
        ("en", "79.7%", f"161.2M{NBSP}PLN"),
        ("pl", "79,7%", f"161,2{NBSP}mln{NBSP}PLN"),
        ("ru", f"79,7{NBSP}%", f"161,2{NBSP}млн{NBSP}PLN"),
    ],
)
def test_shares_and_big_sums_follow_the_language(language, share, money):
    with translation.override(language):
        assert percent(Decimal("0.7971")) == share
        assert compact_money(Decimal("161233405.35"), "PLN") == money


def test_small_sums_are_written_out_and_nothing_is_a_dash():
    with translation.override("pl"):
        assert compact_money(Decimal("950"), "PLN") == f"950{NBSP}PLN"
        assert percent(None) == "—" and compact_money("", "PLN") == "—"


def test_days_ago_never_says_zero_minutes():
    today = date(2026, 12, 7)
    with translation.override("pl"):
        assert days_ago(today, today) == "dziś"
        assert days_ago(date(2026, 12, 6), today) == "wczoraj"
        assert days_ago(date(2026, 12, 2), today) == "5 dni temu"
    with translation.override("en"):
        assert days_ago(date(2026, 11, 7), today) == "30 days ago"
        assert days_ago(None, today) == ""
