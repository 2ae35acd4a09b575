"""The figures of a proposal that approval rules look at (models.Metric), read once per
submission: from its lines, and the customer's payment behaviour from the credit
assessment of the money issue (`credit.assessment.assess`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from openkam.credit.assessment import assess
from openkam.proposals.models import Metric, Proposal, ProposalLine

HUNDRED = Decimal(100)
CENT = Decimal("0.01")

Facts = dict[str, Decimal | None]


def after_rebate_pct(line: ProposalLine) -> Decimal:
    """The discount the customer really gets once the expected rebate is paid back:
    1 - (1 - discount) x (1 - rebate), in %."""
    kept = (HUNDRED - line.discount_pct) * (HUNDRED - line.rebate_pct) / HUNDRED
    return (HUNDRED - kept).quantize(CENT)


def line_facts(proposal: Proposal, lines: Sequence[ProposalLine]) -> Facts:
    margins = [line.margin_pct for line in lines]
    return {
        Metric.OVER_ALLOWANCE: max((line.over_allowance for line in lines), default=Decimal(0)),
        Metric.MAX_DISCOUNT: max((line.discount_pct for line in lines), default=Decimal(0)),
        Metric.TOTAL: proposal.total,
        Metric.MARGIN: proposal.margin_pct,
        # Unknown when a line's cost is unknown: the rule then asks (fail closed).
        Metric.LINE_MARGIN: None if None in margins else min(margins, default=None),  # type: ignore[type-var]
        Metric.NET_AFTER_REBATES: max(
            (after_rebate_pct(line) for line in lines), default=Decimal(0)
        ),
    }


def payment_facts(proposal: Proposal, on: date) -> Facts:
    assessment = assess(proposal.account, proposal.currency, on)
    return {
        Metric.OVERDUE: assessment.overdue,
        Metric.DAYS_LATE: Decimal(str(round(assessment.average_days_late, 2))),
    }


PAYMENT_METRICS = frozenset({Metric.OVERDUE, Metric.DAYS_LATE})


def facts_of(proposal: Proposal, on: date, metrics: Iterable[str] = PAYMENT_METRICS) -> Facts:
    """The figures for the rules' `metrics`; the customer's payment behaviour (a credit
    assessment, the costly part) only when a rule looks at it."""
    facts = line_facts(proposal, list(proposal.lines.all()))
    if PAYMENT_METRICS & set(metrics):
        facts |= payment_facts(proposal, on)
    return facts
