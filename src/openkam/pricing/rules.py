"""Which discount rule applies to a line, and so how much discount needs no approval.

A rule matches a line when it is valid on the day and every criterion it sets matches;
a criterion left empty matches anything:

- tier, segment, product line: the same text, in any case (the line's price tier, the
  customer's segment, the product's line);
- minimum quantity: the line's quantity is at least it;
- minimum value (with its currency): the line is in that currency and its value before
  discount is at least it.

Of the rules that match, one wins, by (each step decides only a tie of the one before):

1. the highest priority;
2. the most criteria set (of tier, segment, product line, minimum quantity, minimum value);
3. the larger minimum quantity, then the larger minimum value;
4. the later start of validity;
5. the rule entered last.

Pure: the rules come in as objects, nothing is read from the database here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol, TypeVar


class RuleLike(Protocol):
    """What matching reads of a rule (a `DiscountRule`)."""

    @property
    def pk(self) -> Any: ...
    @property
    def tier(self) -> str: ...
    @property
    def segment(self) -> str: ...
    @property
    def product_line(self) -> str: ...
    @property
    def min_quantity(self) -> Decimal | None: ...
    @property
    def min_amount(self) -> Decimal | None: ...
    @property
    def currency(self) -> str: ...
    @property
    def priority(self) -> int: ...
    @property
    def valid_from(self) -> date: ...
    @property
    def valid_to(self) -> date | None: ...


R = TypeVar("R", bound=RuleLike)


@dataclass(frozen=True)
class LineFacts:
    """What a rule is matched against: one priced line."""

    tier: str
    segment: str
    product_line: str
    quantity: Decimal
    amount: Decimal  # the line's value before discount
    currency: str
    on: date


def _same(criterion: str, value: str) -> bool:
    wanted = criterion.strip().casefold()
    return not wanted or wanted == value.strip().casefold()


def matches(rule: RuleLike, line: LineFacts) -> bool:
    if rule.valid_from > line.on or (rule.valid_to is not None and rule.valid_to < line.on):
        return False
    if not (
        _same(rule.tier, line.tier)
        and _same(rule.segment, line.segment)
        and _same(rule.product_line, line.product_line)
    ):
        return False
    if rule.min_quantity is not None and line.quantity < rule.min_quantity:
        return False
    if rule.min_amount is not None:
        same_currency = rule.currency.strip().upper() == line.currency.upper()
        if not same_currency or line.amount < rule.min_amount:
            return False
    return True


def criteria(rule: RuleLike) -> int:
    """How many criteria the rule sets: the more, the more specific."""
    texts = (rule.tier, rule.segment, rule.product_line)
    return sum(1 for text in texts if text.strip()) + sum(
        1 for minimum in (rule.min_quantity, rule.min_amount) if minimum is not None
    )


def precedence(rule: RuleLike) -> tuple:
    """The rule's rank among those that match: the largest wins (see the module's
    docstring)."""
    return (
        rule.priority,
        criteria(rule),
        rule.min_quantity or Decimal(0),
        rule.min_amount or Decimal(0),
        rule.valid_from,
        rule.pk or 0,
    )


def matching(rules: Iterable[R], line: LineFacts) -> list[R]:
    """The rules that match the line, the winner first."""
    found = [rule for rule in rules if matches(rule, line)]
    return sorted(found, key=precedence, reverse=True)


def winning_rule(rules: Iterable[R], line: LineFacts) -> R | None:
    found = matching(rules, line)
    return found[0] if found else None
