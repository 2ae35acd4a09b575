"""The demo's proposals: every step of the flow is there, the head has approvals waiting,
every line is priced from a price list, and the demo deletes them again."""

from __future__ import annotations

import importlib
from datetime import date

import pytest
from django.db.models import F

from openkam.demo.build import build_demo
from openkam.demo.opportunities import build_opportunities
from openkam.demo.pricing import build_pricing
from openkam.demo.proposals import (
    MARGIN_RULE,
    RULE_NAMES,
    THIN_MARGIN,
    build_proposals,
    proposals_exist,
)
from openkam.demo.reset import delete_demo
from openkam.opportunities.models import Opportunity
from openkam.proposals import selectors
from openkam.proposals.models import (
    ApprovalRequest,
    ApprovalRule,
    Proposal,
    ProposalLine,
    RequestStatus,
    Status,
)
from openkam.users.models import User

TODAY = date(2026, 12, 2)  # the tests' fixed clock: the services price on that day
SEED = 11

pytestmark = pytest.mark.django_db


def _migrations_data() -> None:
    """The default stages and approval rule, in case a live-server test flushed them."""
    from django.apps import apps

    for module in (
        "openkam.opportunities.migrations.0002_default_stages",
        "openkam.proposals.migrations.0002_default_rule",
    ):
        importlib.import_module(module).create(apps, None)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _migrations_data()
        build_demo(lines=20_000, accounts=300, seed=SEED, today=TODAY)
        build_pricing(today=TODAY)
        build_opportunities(today=TODAY, seed=SEED)
        counts = build_proposals(today=TODAY, seed=SEED)
        yield counts
        delete_demo()


def test_proposals_at_every_step_of_the_flow(demo):
    statuses = set(Proposal.objects.values_list("status", flat=True))
    assert {
        Status.DRAFT, Status.AWAITING, Status.APPROVED, Status.SENT, Status.ACCEPTED,
        Status.REJECTED, Status.SUPERSEDED,
    } <= statuses  # fmt: skip
    assert 25 <= Proposal.objects.count() <= 35
    assert sum(demo.values()) == Proposal.objects.count()
    # Every proposal meant for the customer got there: each was sized to the customer's
    # credit room, so the credit check did not stop it at approved.
    assert (demo[Status.ACCEPTED], demo[Status.REJECTED]) == (4, 4)
    assert demo[Status.SENT] >= 5
    assert proposals_exist()


def test_one_to_four_priced_lines_each(demo):
    for proposal in Proposal.objects.prefetch_related("lines"):
        lines = list(proposal.lines.all())
        assert 1 <= len(lines) <= 4, proposal
        assert all(line.list_unit_price > 0 and line.tier for line in lines)
        assert proposal.total == sum(line.net_total for line in lines)
        assert proposal.currency == proposal.opportunity.currency
    assert not ProposalLine.objects.filter(net_total__gt=F("total_before_discount")).exists()


def test_the_head_has_approvals_waiting_and_decided_some(demo):
    head = User.objects.get(username="head")
    waiting = selectors.waiting_for(head)
    assert len(waiting) >= 3
    assert any(r.rule.name == "Discount above the discount rule" for r in waiting)
    decided = ApprovalRequest.objects.filter(decided_by=head)
    assert decided.filter(status=RequestStatus.APPROVED).exists()
    rejected = decided.get(status=RequestStatus.REJECTED)
    assert rejected.note and rejected.proposal.status == Status.DRAFT


def test_the_demos_own_rules_and_a_large_proposal_in_a_chain(demo):
    assert set(RULE_NAMES) <= set(ApprovalRule.objects.values_list("name", flat=True))
    chain = ApprovalRequest.objects.filter(rule__name=RULE_NAMES[0])
    assert chain.exists()
    assert chain.filter(sequence=2, step__role="admin").exists()  # from 500,000 PLN


def test_nothing_went_out_on_a_thin_margin_without_the_heads_yes(demo):
    """Some products earn little: a discount within its rule may still sell near or below
    cost, and then the head has said yes to that margin before the customer saw it."""
    out = Proposal.objects.filter(sent_on__isnull=False)
    thin = [p for p in out if p.margin_pct is not None and p.margin_pct < THIN_MARGIN]
    for proposal in thin:
        approved = proposal.approvals.filter(rule__name=MARGIN_RULE, status=RequestStatus.APPROVED)
        assert approved.exists(), proposal
    rule = ApprovalRule.objects.get(name=MARGIN_RULE)
    assert (rule.metric, rule.threshold, rule.is_active) == ("margin", THIN_MARGIN, True)
    assert list(rule.steps.values_list("role", flat=True)) == ["head"]


def test_the_customers_answers(demo):
    rejected = Proposal.objects.filter(status=Status.REJECTED)
    assert all(p.reject_reason and p.decided_on for p in rejected)
    for accepted in Proposal.objects.filter(status=Status.ACCEPTED).select_related(
        "opportunity__stage"
    ):
        assert accepted.opportunity.stage.outcome == "won"
        assert accepted.opportunity.value == accepted.total
    sent = Proposal.objects.filter(sent_on__isnull=False)
    assert all(p.sent_on is not None and p.sent_on < TODAY for p in sent)


def test_a_proposal_revised_into_a_second_version(demo):
    second = Proposal.objects.get(version=2)
    first = Proposal.objects.get(number=second.number, version=1)
    assert first.status == Status.SUPERSEDED
    assert second.status in (Status.AWAITING, Status.APPROVED)


def test_the_demo_deletes_its_proposals(django_db_blocker, demo):
    """Last in the module: delete_demo must get past the proposals holding opportunities."""
    # (The module fixture deletes again at teardown; a second delete is a no-op.)
    with django_db_blocker.unblock():
        delete_demo()
    assert not Proposal.objects.exists()
    assert not Opportunity.objects.exists()
    assert not ApprovalRule.objects.filter(name__in=RULE_NAMES).exists()

