"""The figures approval rules look at: from the lines (the largest discount and excess over
the discount rule, the total, the margin and the thinnest line's margin from the last
year's unit costs) and, only when a rule asks, the customer's payment behaviour (overdue
debt, average days late)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from openkam.proposals import approval_flow, services
from openkam.proposals.facts import after_rebate_pct, facts_of
from openkam.proposals.models import Metric, ProposalLine, Status
from openkam.proposals.tests import factories
from openkam.receivables.tests.ledgers import invoice, payment

LINE_METRICS = {
    Metric.OVER_ALLOWANCE, Metric.MAX_DISCOUNT, Metric.TOTAL, Metric.MARGIN,
    Metric.LINE_MARGIN, Metric.NET_AFTER_REBATES,
}  # fmt: skip


@pytest.fixture
def catalogue(company):
    return factories.priced_catalogue()



def _two_lines(company, catalogue):
    flour, sugar = catalogue
    proposal = factories.proposal(company, flour, discount="14", quantity="10")  # 860.00
    services.line_add(
        actor=company["owner"], proposal=proposal, product=sugar, quantity=Decimal(10),
        discount_pct=Decimal(2),
    )  # fmt: skip
    proposal.refresh_from_db()
    return proposal


def test_the_line_figures_with_every_cost_known(company, catalogue):
    flour, sugar = catalogue
    day = company["today"] - timedelta(days=30)
    factories.sale(company["b"], flour, day, "10", "800.00")  # 80.0000 a unit
    factories.sale(company["b"], sugar, day, "4", "146.00")  # 36.5000 a unit
    proposal = _two_lines(company, catalogue)
    assert proposal.total == Decimal("1252.00")  # 860.00 + 392.00
    assert proposal.cost == Decimal("1165.00")  # 800.00 + 365.00
    facts = facts_of(proposal, company["today"], {Metric.TOTAL})
    assert facts == {
        Metric.OVER_ALLOWANCE: Decimal("4.00"),  # flour: 14 % where the rule allows 10 %
        Metric.MAX_DISCOUNT: Decimal("14.00"),
        Metric.TOTAL: Decimal("1252.00"),
        Metric.MARGIN: Decimal("6.95"),  # 87.00 of 1,252.00
        Metric.LINE_MARGIN: Decimal("6.89"),  # sugar: 27.00 of 392.00 (flour 6.98)
        Metric.NET_AFTER_REBATES: Decimal("14.00"),  # no rebate expected
    }


def test_one_unknown_cost_leaves_both_margins_unknown(company, catalogue):
    flour, _sugar = catalogue
    factories.sale(company["b"], flour, company["today"] - timedelta(days=30), "10", "800.00")
    proposal = _two_lines(company, catalogue)  # sugar was never sold: its cost is unknown
    assert proposal.cost is None
    facts = facts_of(proposal, company["today"], {Metric.MARGIN})
    assert (facts[Metric.MARGIN], facts[Metric.LINE_MARGIN]) == (None, None)


def test_a_draft_with_no_line_has_no_discount_and_no_known_margin(company, catalogue):
    proposal = services.proposal_create(
        actor=company["owner"], opportunity=factories.opportunity(company)
    )
    assert facts_of(proposal, company["today"], {Metric.TOTAL}) == {
        Metric.OVER_ALLOWANCE: Decimal(0),
        Metric.MAX_DISCOUNT: Decimal(0),
        Metric.TOTAL: Decimal(0),
        Metric.MARGIN: None,
        Metric.LINE_MARGIN: None,
        Metric.NET_AFTER_REBATES: Decimal(0),
    }


def test_the_payment_figures_only_when_a_rule_looks_at_them(company, catalogue):
    a, today = company["a"], company["today"]
    for number, (days_ago, paid_late) in enumerate(((100, 1), (90, 0), (80, -5)), start=1):
        issued = today - timedelta(days=days_ago)
        paid = invoice(a, f"FV/PAID/{number}", issued, "100.00")
        assert paid.due_on is not None
        payment(a, paid.due_on + timedelta(days=paid_late), "100.00", invoice=paid)
    invoice(a, "FV/LATE", today - timedelta(days=50), "400.00")  # 20 days overdue
    proposal = factories.proposal(company, catalogue[0])
    assert set(facts_of(proposal, today, {Metric.TOTAL, Metric.MARGIN})) == LINE_METRICS
    for asked in ({Metric.OVERDUE}, {Metric.DAYS_LATE}, None):
        facts = facts_of(proposal, today) if asked is None else facts_of(proposal, today, asked)
        assert set(facts) == LINE_METRICS | {Metric.OVERDUE, Metric.DAYS_LATE}
        # Days late 1, 0 and 0 (early counts as on time): 0.33 on average.
        assert (facts[Metric.OVERDUE], facts[Metric.DAYS_LATE]) == (
            Decimal("400.00"),
            Decimal("0.33"),
        )


def test_a_days_late_rule_sees_the_rounded_average(company, catalogue):
    a, today = company["a"], company["today"]
    for number, paid_late in enumerate((3, 2, 2), start=1):  # 2.333... days
        paid = invoice(a, f"FV/{number}", today - timedelta(days=100 - number), "10.00")
        assert paid.due_on is not None
        payment(a, paid.due_on + timedelta(days=paid_late), "10.00", invoice=paid)
    factories.rule("Slow payer", "days_late", "2", steps=(("finance", None, 1, None),))
    proposal = factories.proposal(company, catalogue[0])
    approval_flow.submit(actor=company["owner"], proposal=proposal)
    assert proposal.status == Status.AWAITING
    assert proposal.approvals.get().observed == Decimal("2.33")


@pytest.mark.parametrize(
    ("discount", "rebate", "expected"),
    [("0", "0", "0.00"), ("10", "0", "10.00"), ("0", "3", "3.00"), ("8", "3", "10.76")],
)
def test_the_discount_after_rebates_compounds_both(discount, rebate, expected):
    line = ProposalLine(discount_pct=Decimal(discount), rebate_pct=Decimal(rebate))
    assert after_rebate_pct(line) == Decimal(expected)
