"""Approval chains beyond one head: a step naming a person (and whoever stands in for
them), each rule's chain advancing on its own, what a rejection lapses, when an earlier
decision is reused, and escalation on its day."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from openkam.proposals import approval_flow, services
from openkam.proposals.models import ApprovalRule, RequestStatus, Status
from openkam.proposals.tests import factories


@pytest.fixture
def flour(company):
    return factories.priced_catalogue()[0]


def _statuses(proposal):
    return sorted(proposal.approvals.values_list("rule__name", "sequence", "status"))


def test_a_step_naming_a_person_is_theirs_and_their_deputys(company, flour):
    factories.rule("Owner signs", "max_discount", "5", steps=((None, company["owner"], 1, None),))
    proposal = factories.proposal(company, flour, discount="6", owner=company["head"])
    approval_flow.submit(actor=company["head"], proposal=proposal)
    request = proposal.approvals.get(rule__name="Owner signs")
    assert approval_flow.may_decide(company["owner"], request)
    assert approval_flow.may_decide(company["deputy"], request)  # stands in this week
    for nobody in ("past_deputy", "other_kam", "admin", "finance"):
        assert not approval_flow.may_decide(company[nobody], request)
    assert not approval_flow.may_decide(None, request)


def test_the_first_step_is_asked_now_and_the_later_ones_wait(company, flour):
    ApprovalRule.objects.all().delete()  # not the default rule
    factories.rule("One", "max_discount", "5",
                   steps=(("head", None, 1, None), ("finance", None, 3, None)))  # fmt: skip
    factories.rule("Two", "max_discount", "5",
                   steps=(("finance", None, 1, None), ("head", None, 2, None)))  # fmt: skip
    proposal = factories.proposal(company, flour, discount="6")
    before = timezone.now()
    approval_flow.submit(actor=company["owner"], proposal=proposal)
    now = proposal.submitted_at
    assert now is not None and now >= before
    assert [
        (r.rule.name, r.sequence, r.status, r.requested_at, r.observed)
        for r in proposal.approvals.order_by("rule__name", "sequence")
    ] == [
        ("One", 1, "pending", now, Decimal("6.00")),
        ("One", 3, "waiting", None, Decimal("6.00")),
        ("Two", 1, "pending", now, Decimal("6.00")),
        ("Two", 2, "waiting", None, Decimal("6.00")),
    ]
    # Each rule's chain advances on its own.
    later = now + timedelta(hours=1)
    request = proposal.approvals.get(rule__name="One", sequence=1)
    approval_flow._advance(proposal, request, later)  # nothing decided yet: nothing moves
    assert _statuses(proposal)[1] == ("One", 3, "waiting")
    assert _statuses(proposal)[3] == ("Two", 2, "waiting")
    approval_flow.approve(actor=company["head"], request=request, note="  fine  ")
    request.refresh_from_db()
    assert (request.note, request.decided_by) == ("fine", company["head"])
    assert request.decided_at is not None and request.decided_at > now
    assert _statuses(proposal) == [
        ("One", 1, "approved"), ("One", 3, "pending"), ("Two", 1, "pending"), ("Two", 2, "waiting"),
    ]  # fmt: skip
    following = proposal.approvals.get(rule__name="One", sequence=3)
    assert following.requested_at == request.decided_at
    for name, sequence, who in (("One", 3, "finance"), ("Two", 1, "finance")):
        approval_flow.approve(
            actor=company[who], request=proposal.approvals.get(rule__name=name, sequence=sequence)
        )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.approved_at) == (Status.AWAITING, None)
    last = approval_flow.approve(
        actor=company["head"], request=proposal.approvals.get(rule__name="Two", sequence=2)
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.approved_at) == (Status.APPROVED, last.decided_at)


def test_a_rejection_lapses_every_open_request_of_every_rule(company, flour):
    factories.rule("Chain", "max_discount", "5",
                   steps=(("finance", None, 1, None), ("admin", None, 2, None)))  # fmt: skip
    proposal = factories.proposal(company, flour, discount="14")
    approval_flow.submit(actor=company["owner"], proposal=proposal)
    chain = proposal.approvals.get(rule__name="Chain", sequence=1)
    approval_flow.reject(actor=company["finance"], request=chain, note="  Too deep  ")
    chain.refresh_from_db()
    assert (chain.status, chain.note, chain.decided_by) == (
        RequestStatus.REJECTED, "Too deep", company["finance"],
    )  # fmt: skip
    assert sorted(proposal.approvals.values_list("status", flat=True)) == [
        "cancelled", "cancelled", "rejected",
    ]  # fmt: skip
    proposal.refresh_from_db()
    assert (proposal.status, proposal.approved_at) == (Status.DRAFT, None)


def test_only_a_draft_with_lines_is_submitted(company, flour):
    empty = services.proposal_create(
        actor=company["owner"], opportunity=factories.opportunity(company)
    )
    with pytest.raises(ValidationError, match="at least one line"):
        approval_flow.submit(actor=company["owner"], proposal=empty)
    proposal = factories.proposal(company, flour)
    approval_flow.submit(actor=company["owner"], proposal=proposal)
    assert proposal.status == Status.APPROVED
    assert proposal.approved_at == proposal.submitted_at is not None
    with pytest.raises(ValidationError, match="Only a draft"):
        approval_flow.submit(actor=company["owner"], proposal=proposal)


def test_an_unknown_figure_or_a_half_approved_chain_is_asked_again(company, flour):
    factories.rule("Thin margin", "margin", "15")  # the cost is unknown: always asks
    factories.rule("Chain", "max_discount", "5",
                   steps=(("finance", None, 1, None), ("admin", None, 2, None)))  # fmt: skip
    proposal = factories.proposal(company, flour, discount="14")
    approval_flow.submit(actor=company["owner"], proposal=proposal)
    for request in proposal.approvals.filter(status=RequestStatus.PENDING):
        who = "finance" if request.rule.name == "Chain" else "head"
        approval_flow.approve(actor=company[who], request=request)
    services.proposal_update(actor=company["owner"], proposal=proposal, customer_note="May")
    approval_flow.submit(actor=company["owner"], proposal=proposal)
    assert proposal.status == Status.AWAITING
    asked = proposal.approvals.filter(status__in=(RequestStatus.PENDING, RequestStatus.WAITING))
    assert sorted(asked.values_list("rule__name", "sequence")) == [
        ("Chain", 1), ("Chain", 2), ("Thin margin", 1),
    ]  # fmt: skip


def test_escalation_is_due_on_the_day_and_only_where_a_rule_says_so(company, flour):
    factories.rule("Now", "max_discount", "5", escalate_after_days=0, escalate_to="admin")
    factories.rule("Never", "max_discount", "5", escalate_to="admin")
    factories.rule("Nowhere", "max_discount", "5", escalate_after_days=0)
    proposal = factories.proposal(company, flour, discount="14")  # and the default rule
    approval_flow.submit(actor=company["owner"], proposal=proposal)
    now = timezone.now()
    assert approval_flow.escalate_due(now) == 1
    assert list(proposal.approvals.exclude(escalated_at=None).values_list("rule__name")) == [
        ("Now",)
    ]
    two_days = now + timedelta(days=2)
    assert approval_flow.escalate_due(two_days - timedelta(seconds=1)) == 0
    assert approval_flow.escalate_due(two_days) == 1  # the default rule, on its day
    assert sorted(
        proposal.approvals.exclude(escalated_at=None).values_list("rule__name", "escalated_at")
    ) == [("Discount above the discount rule", two_days), ("Now", now)]
    never = proposal.approvals.get(rule__name="Never")
    assert not approval_flow.may_decide(company["admin"], never)
