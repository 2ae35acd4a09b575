"""Which approval rules a proposal triggers, and which of their steps apply to it.

Pure decisions over `facts.Facts`; the services store and run the requests.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from openkam.proposals.facts import Facts
from openkam.proposals.models import BELOW_METRICS, MONEY_METRICS, ApprovalRule, ApprovalStep


@dataclass(frozen=True)
class Triggered:
    rule: ApprovalRule
    observed: Decimal | None  # None: the figure is unknown (a cost is missing)
    steps: tuple[ApprovalStep, ...]


def applies_to_currency(rule: ApprovalRule, currency: str) -> bool:
    """An amount rule is written in one currency and judges only proposals in it."""
    return rule.metric not in MONEY_METRICS or rule.currency.upper() == currency.upper()


def triggers(rule: ApprovalRule, observed: Decimal | None) -> bool:
    if observed is None:
        return True  # unknown margin: ask rather than wave it through
    if rule.metric in BELOW_METRICS:
        return observed < rule.threshold
    return observed > rule.threshold


def steps_for(steps: Iterable[ApprovalStep], total: Decimal) -> tuple[ApprovalStep, ...]:
    """The rule's steps that join at this total (a step with a minimum joins from it on)."""
    return tuple(step for step in steps if step.min_total is None or total >= step.min_total)


def triggered(
    rules: Iterable[ApprovalRule], facts: Facts, currency: str, total: Decimal
) -> list[Triggered]:
    found = []
    for rule in rules:
        if not rule.is_active or not applies_to_currency(rule, currency):
            continue
        observed = facts.get(rule.metric)
        if not triggers(rule, observed):
            continue
        steps = steps_for(rule.steps.all(), total)
        if steps:
            found.append(Triggered(rule, observed, steps))
    return found
