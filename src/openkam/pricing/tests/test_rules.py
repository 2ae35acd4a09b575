"""Discount rules: which match a line, and which one wins (the documented precedence)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal as D

import pytest

from openkam.pricing.rules import LineFacts, criteria, matching, winning_rule

DAY = date(2026, 12, 2)


@dataclass
class Rule:
    pk: int
    max_discount_pct: D = D("5")
    tier: str = ""
    segment: str = ""
    product_line: str = ""
    min_quantity: D | None = None
    min_amount: D | None = None
    currency: str = ""
    priority: int = 0
    valid_from: date = date(2026, 1, 1)
    valid_to: date | None = None


BASE = LineFacts(
    tier="Key", segment="Wholesale", product_line="Coffee", quantity=D("100"),
    amount=D("1000.00"), currency="PLN", on=DAY,
)  # fmt: skip


def line(**changes) -> LineFacts:
    return replace(BASE, **changes)


def test_no_rule_no_winner():
    assert winning_rule([], line()) is None


def test_a_rule_without_criteria_matches_every_line():
    anything = Rule(1)
    assert winning_rule([anything], line(tier="Detal", segment="")) is anything


def test_text_criteria_match_in_any_case_and_refuse_others():
    rule = Rule(1, tier="KEY", segment=" wholesale ", product_line="coffee")
    assert winning_rule([rule], line()) is rule
    assert winning_rule([rule], line(tier="Hurt")) is None
    assert winning_rule([rule], line(segment="")) is None
    assert winning_rule([rule], line(product_line="Tea")) is None


def test_minimum_quantity_is_inclusive():
    rule = Rule(1, min_quantity=D("100"))
    assert winning_rule([rule], line(quantity=D("100"))) is rule
    assert winning_rule([rule], line(quantity=D("99.999"))) is None


def test_minimum_value_needs_the_same_currency():
    rule = Rule(1, min_amount=D("1000.00"), currency="PLN")
    assert winning_rule([rule], line()) is rule
    assert winning_rule([rule], line(amount=D("999.99"))) is None
    assert winning_rule([rule], line(currency="EUR")) is None


def test_validity_bounds_are_inclusive():
    rule = Rule(1, valid_from=DAY, valid_to=DAY)
    assert winning_rule([rule], line()) is rule
    assert winning_rule([Rule(2, valid_to=date(2026, 12, 1))], line()) is None
    assert winning_rule([Rule(3, valid_from=date(2026, 12, 3))], line()) is None


def test_criteria_count_what_is_set():
    assert criteria(Rule(1)) == 0
    assert criteria(Rule(1, tier="Key", min_quantity=D(1), min_amount=D(0))) == 3


def test_priority_wins_over_specificity():
    general = Rule(1, priority=5)
    specific = Rule(2, tier="Key", segment="Wholesale", product_line="Coffee")
    assert winning_rule([specific, general], line()) is general


def test_with_equal_priority_the_most_specific_wins():
    general, by_tier = Rule(1, D("5")), Rule(2, D("8"), tier="Key")
    by_tier_and_line = Rule(3, D("3"), tier="Key", product_line="Coffee")
    assert winning_rule([general, by_tier, by_tier_and_line], line()) is by_tier_and_line


def test_then_the_larger_minimum_quantity_then_the_larger_minimum_value():
    small, big = Rule(1, min_quantity=D("10")), Rule(2, min_quantity=D("50"))
    assert winning_rule([big, small], line()) is big
    low = Rule(3, min_amount=D("100"), currency="PLN")
    high = Rule(4, min_amount=D("500"), currency="PLN")
    assert winning_rule([low, high], line()) is high


def test_then_the_later_start_then_the_rule_entered_last():
    older, newer = Rule(1, valid_from=date(2025, 1, 1)), Rule(2, valid_from=date(2026, 6, 1))
    assert winning_rule([newer, older], line()) is newer
    first, last = Rule(3), Rule(4)
    assert winning_rule([last, first], line()) is last


def test_matching_lists_the_winner_first():
    rules = [Rule(1), Rule(2, tier="Key"), Rule(3, tier="Hurt"), Rule(4, priority=1)]
    assert [rule.pk for rule in matching(rules, line())] == [4, 2, 1]


@pytest.mark.parametrize("tier", ["key", "KEY", "Key "])
def test_the_lines_tier_is_compared_in_any_case(tier):
    rule = Rule(1, tier="Key")
    assert winning_rule([rule], line(tier=tier)) is rule
