"""After approval: what stops a proposal going to the customer (its status, its validity,
the customer's overdue debt), and the customer's answer (a yes wins the opportunity when a
won stage is in use, a no needs a reason the list knows)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from openkam.opportunities.models import Outcome, Stage
from openkam.proposals import approval_flow, outcomes
from openkam.proposals.models import Proposal, Status
from openkam.proposals.tests import factories


@pytest.fixture
def approved(company):
    flour = factories.priced_catalogue()[0]
    proposal = factories.proposal(company, flour, quantity="3")  # 300.00
    approval_flow.submit(actor=company["owner"], proposal=proposal)
    assert proposal.status == Status.APPROVED
    return proposal


def test_each_status_says_why_it_cannot_be_sent(company, approved):
    Proposal.objects.filter(pk=approved.pk).update(status=Status.DRAFT)
    approved.refresh_from_db()
    assert outcomes.send_refusals(approved) == ["Submit the proposal for approval first."]
    approved.status = Status.SENT
    assert outcomes.send_refusals(approved) == ["A proposal that is sent cannot be sent."]
    approved.status = Status.AWAITING
    assert outcomes.send_refusals(approved) == ["The proposal is waiting for approval."]


def test_it_may_be_sent_on_its_last_valid_day(company, approved):
    Proposal.objects.filter(pk=approved.pk).update(valid_until=company["today"])
    approved.refresh_from_db()
    assert outcomes.send_refusals(approved) == []
    outcomes.send(actor=company["owner"], proposal=approved)
    approved.refresh_from_db()
    assert (approved.status, approved.sent_on) == (Status.SENT, company["today"])


def test_debt_overdue_beyond_the_hold_stops_it(company, approved):
    from openkam.receivables.tests.ledgers import invoice

    invoice(company["a"], "FV/OLD", company["today"] - timedelta(days=80), "700.00")
    refusals = outcomes.send_refusals(approved)
    assert any("overdue more than 30 days" in refusal for refusal in refusals)
    with pytest.raises(ValidationError, match="overdue more than 30 days"):
        outcomes.send(actor=company["owner"], proposal=approved)
    approved.refresh_from_db()
    assert (approved.status, approved.sent_on) == (Status.APPROVED, None)


def test_only_a_sent_proposal_gets_an_answer(company, approved):
    with pytest.raises(ValidationError, match="Only a sent proposal"):
        outcomes.accept(actor=company["owner"], proposal=approved)
    with pytest.raises(ValidationError, match="Only a sent proposal"):
        outcomes.customer_reject(actor=company["owner"], proposal=approved, reason="price")


def test_a_yes_with_no_won_stage_in_use_keeps_the_opportunity_open(company, approved):
    Stage.objects.filter(outcome=Outcome.WON).update(is_active=False)
    outcomes.send(actor=company["owner"], proposal=approved)
    outcomes.accept(actor=company["owner"], proposal=approved)
    approved.refresh_from_db()
    assert (approved.status, approved.decided_on) == (Status.ACCEPTED, company["today"])
    opportunity = approved.opportunity
    opportunity.refresh_from_db()
    assert (opportunity.value, opportunity.stage.outcome) == (Decimal("300.00"), Outcome.OPEN)


def test_a_no_keeps_its_reason_and_note_and_refuses_an_unknown_reason(company, approved):
    outcomes.send(actor=company["owner"], proposal=approved)
    with pytest.raises(ValidationError):
        outcomes.customer_reject(actor=company["owner"], proposal=approved, reason="weather")
    assert (approved.status, approved.reject_reason, approved.decided_on) == (
        Status.SENT, "", None,
    )  # fmt: skip
    outcomes.customer_reject(
        actor=company["owner"], proposal=approved, reason="price", note="  3 % too dear "
    )
    approved.refresh_from_db()
    assert (approved.status, approved.reject_reason, approved.reject_note) == (
        Status.REJECTED, "price", "3 % too dear",
    )  # fmt: skip
    assert approved.decided_on == company["today"]


def test_a_yes_withdraws_the_other_proposals_of_the_deal_and_their_approvals(company, approved):
    from openkam.core.models import AuditEntry
    from openkam.proposals import services
    from openkam.proposals.models import ApprovalRequest, RequestStatus

    owner, opportunity = company["owner"], approved.opportunity
    alternative = services.proposal_create(actor=owner, opportunity=opportunity)
    flour = approved.lines.get().product
    services.line_add(
        actor=owner, proposal=alternative, product=flour, quantity=Decimal(5),
        discount_pct=Decimal(20),
    )  # fmt: skip
    factories.rule("Over 10 %", "max_discount", "10")
    approval_flow.submit(actor=owner, proposal=alternative)
    assert alternative.status == Status.AWAITING
    other_deal = factories.proposal(company, flour)
    refused = services.proposal_create(actor=owner, opportunity=opportunity)
    Proposal.objects.filter(pk=refused.pk).update(status=Status.REJECTED)
    outcomes.send(actor=owner, proposal=approved)

    outcomes.accept(actor=owner, proposal=approved, via="api")

    statuses = dict(Proposal.objects.values_list("pk", "status"))
    assert statuses == {
        approved.pk: Status.ACCEPTED, alternative.pk: Status.WITHDRAWN,
        refused.pk: Status.REJECTED,  # an answered one keeps its answer
        other_deal.pk: Status.DRAFT,  # another opportunity's
    }  # fmt: skip
    assert not ApprovalRequest.objects.filter(
        proposal=alternative, status__in=(RequestStatus.PENDING, RequestStatus.WAITING)
    ).exists()
    entry = AuditEntry.objects.filter(
        object_id=str(alternative.pk), model="proposals.Proposal", action="update"
    ).first()  # the latest
    assert entry.changes["status"] == ["awaiting", "withdrawn"]
    assert (entry.actor, entry.via) == (owner, "api")
    alternative.refresh_from_db()
    with pytest.raises(ValidationError, match="cannot be sent"):
        outcomes.send(actor=owner, proposal=alternative)
    with pytest.raises(ValidationError, match="has no next version"):
        services.proposal_revise(actor=owner, proposal=alternative)


def test_an_accepted_proposal_is_not_accepted_again_from_a_stale_copy(company, approved):
    outcomes.send(actor=company["owner"], proposal=approved)
    stale = Proposal.objects.get(pk=approved.pk)
    outcomes.accept(actor=company["owner"], proposal=approved)
    with pytest.raises(ValidationError, match="Only a sent proposal"):
        outcomes.accept(actor=company["owner"], proposal=stale)
