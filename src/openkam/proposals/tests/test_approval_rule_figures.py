"""Which rules a proposal's figures trigger, at the edges: a figure equal to the threshold
is within it (above for amounts and discounts, below for margins), an amount rule's
currency is read whatever its case, a step with a minimum total joins from that total
on, and a rule out of use or with no step that joins asks nobody."""

from __future__ import annotations

from decimal import Decimal

import pytest

from openkam.proposals import approval_rules
from openkam.proposals.models import ApprovalRule, Metric
from openkam.proposals.tests import factories


def _rule(metric: str, threshold: str, currency: str = "") -> ApprovalRule:
    return ApprovalRule(name=metric, metric=metric, threshold=Decimal(threshold), currency=currency)


@pytest.mark.parametrize(
    ("metric", "observed", "asks"),
    [
        (Metric.MAX_DISCOUNT, "9.99", False),
        (Metric.MAX_DISCOUNT, "10.00", False),
        (Metric.MAX_DISCOUNT, "10.01", True),
        (Metric.TOTAL, "10", False),
        (Metric.TOTAL, "11", True),
        (Metric.MARGIN, "10.01", False),
        (Metric.MARGIN, "10.00", False),
        (Metric.MARGIN, "9.99", True),
        (Metric.LINE_MARGIN, "10", False),
        (Metric.LINE_MARGIN, "9", True),
    ],
)
def test_a_figure_on_the_threshold_is_within_the_rule(metric, observed, asks):
    assert approval_rules.triggers(_rule(metric, "10"), Decimal(observed)) is asks


@pytest.mark.parametrize("metric", [Metric.MARGIN, Metric.TOTAL, Metric.OVER_ALLOWANCE])
def test_an_unknown_figure_always_asks(metric):
    assert approval_rules.triggers(_rule(metric, "10"), None) is True


def test_an_amount_rule_reads_its_currency_whatever_the_case():
    assert approval_rules.applies_to_currency(_rule(Metric.TOTAL, "1", "eur"), "EUR")
    assert approval_rules.applies_to_currency(_rule(Metric.OVERDUE, "1", "PLN"), "pln")
    assert not approval_rules.applies_to_currency(_rule(Metric.TOTAL, "1", "EUR"), "PLN")
    # A rule on percentages judges proposals in every currency.
    assert approval_rules.applies_to_currency(_rule(Metric.MAX_DISCOUNT, "1", "EUR"), "PLN")


def _roles(found: list[approval_rules.Triggered]) -> list[tuple[str, list[str]]]:
    return [(item.rule.name, [step.role for step in item.steps]) for item in found]


def test_a_step_with_a_minimum_joins_from_that_total_on(company):
    rule = factories.rule(
        "Big deals", "total", "100", currency="PLN",
        steps=(("head", None, 1, None), ("admin", None, 2, "5000.00")),
    )  # fmt: skip
    facts: dict[str, Decimal | None] = {Metric.TOTAL: Decimal("4999.99")}
    below = approval_rules.triggered([rule], facts, "PLN", Decimal("4999.99"))
    assert _roles(below) == [("Big deals", ["head"])]
    assert below[0].observed == Decimal("4999.99")
    at = approval_rules.triggered([rule], facts, "PLN", Decimal("5000.00"))
    assert _roles(at) == [("Big deals", ["head", "admin"])]


def test_a_rule_out_of_use_or_with_no_step_that_joins_asks_nobody(company):
    idle = factories.rule("Idle", "max_discount", "1", is_active=False)
    only_big = factories.rule("Only big", "max_discount", "1",
                              steps=(("admin", None, 1, "1000"),))  # fmt: skip
    other_currency = factories.rule("EUR deals", "total", "1", currency="EUR")
    facts: dict[str, Decimal | None] = {
        Metric.MAX_DISCOUNT: Decimal("5"), Metric.TOTAL: Decimal("500"),
    }  # fmt: skip
    rules = [other_currency, idle, only_big]  # a rule passed over does not end the search
    assert approval_rules.triggered(rules, facts, "PLN", Decimal("500")) == []
    assert _roles(approval_rules.triggered(rules, facts, "PLN", Decimal("1000"))) == [
        ("Only big", ["admin"])
    ]
    # The same figures with the idle rule in use ask its head.
    idle.is_active = True
    assert _roles(approval_rules.triggered(rules, facts, "PLN", Decimal("500"))) == [
        ("Idle", ["head"])
    ]
