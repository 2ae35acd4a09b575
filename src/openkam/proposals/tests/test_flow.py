"""The selling flow a KAM and a head walk: price the lines from the customer's tier,
submit, approve or reject in chains, send only once approved, the customer's answer, and
every decision in the history."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from openkam.core.models import AuditEntry
from openkam.opportunities.models import Outcome
from openkam.proposals import approval_flow, outcomes, services
from openkam.proposals.models import ApprovalRequest, Proposal, RequestStatus, Status
from openkam.proposals.tests import factories


@pytest.fixture
def flour(company):
    return factories.priced_catalogue()[0]


def test_a_line_is_priced_from_the_tier_with_the_rules_allowance(company, flour):
    proposal = factories.proposal(company, flour, discount="14", quantity="12")
    line = proposal.lines.get()
    assert (line.tier, line.list_unit_price) == ("Detal", Decimal("100.0000"))
    assert line.total_before_discount == Decimal("1200.00")
    assert line.net_total == Decimal("1032.00")
    assert line.net_unit_price == Decimal("86.00")
    assert (line.allowed_discount_pct, line.discount_rule) == (Decimal("10.00"), "Up to 10 %")
    assert line.over_allowance == Decimal("4.00")
    assert (proposal.total, proposal.total_before_discount) == (
        Decimal("1032.00"),
        Decimal("1200.00"),
    )
    assert proposal.number.startswith(f"OF/{company['today'].year}/")
    assert proposal.language == "pl"


def test_within_every_rule_it_is_approved_with_no_human_step(company, flour):
    proposal = factories.proposal(company, flour, discount="10")
    approval_flow.submit(actor=company["owner"], proposal=proposal)
    assert proposal.status == Status.APPROVED
    assert not proposal.approvals.exists()
    outcomes.send(actor=company["owner"], proposal=proposal)
    assert (proposal.status, proposal.sent_on) == (Status.SENT, company["today"])


def test_a_discount_above_the_rule_waits_for_the_head_and_cannot_be_sent(company, flour):
    proposal = factories.proposal(company, flour, discount="14")
    approval_flow.submit(actor=company["owner"], proposal=proposal)
    assert proposal.status == Status.AWAITING
    request = proposal.approvals.get()
    assert (request.status, request.observed) == (RequestStatus.PENDING, Decimal("4.00"))
    with pytest.raises(ValidationError, match="waiting for approval"):
        outcomes.send(actor=company["owner"], proposal=proposal)
    for not_theirs in ("owner", "other_kam", "finance", "senior"):
        assert not approval_flow.may_decide(company[not_theirs], request)
        with pytest.raises(PermissionDenied):
            approval_flow.approve(actor=company[not_theirs], request=request)
    approval_flow.approve(actor=company["head"], request=request, note="Key customer")
    proposal.refresh_from_db()
    assert proposal.status == Status.APPROVED
    outcomes.send(actor=company["owner"], proposal=proposal)
    assert proposal.status == Status.SENT
    decisions = AuditEntry.objects.filter(
        model="proposals.ApprovalRequest", object_id=str(request.pk)
    )
    assert decisions.get().actor == company["head"]
    statuses = [
        entry.changes["status"][1]
        for entry in AuditEntry.objects.filter(
            model="proposals.Proposal", object_id=str(proposal.pk), action="update"
        ).order_by("pk")
        if "status" in entry.changes
    ]
    assert statuses == ["awaiting", "approved", "sent"]


def test_a_head_who_prepared_it_may_not_approve_it(company, flour):
    proposal = factories.proposal(company, flour, discount="14", owner=company["head"])
    approval_flow.submit(actor=company["head"], proposal=proposal)
    assert not approval_flow.may_decide(company["head"], proposal.approvals.get())


def test_a_rejection_needs_its_reason_and_returns_the_draft(company, flour):
    proposal = factories.proposal(company, flour, discount="14")
    approval_flow.submit(actor=company["owner"], proposal=proposal)
    request = proposal.approvals.get()
    with pytest.raises(ValidationError):
        approval_flow.reject(actor=company["head"], request=request, note="  ")
    approval_flow.reject(actor=company["head"], request=request, note="12 % at most")
    proposal.refresh_from_db()
    assert proposal.status == Status.DRAFT
    assert ApprovalRequest.objects.get(pk=request.pk).note == "12 % at most"


def _approved(company, proposal):
    approval_flow.submit(actor=company["owner"], proposal=proposal)
    for request in proposal.approvals.filter(status=RequestStatus.PENDING):
        approval_flow.approve(actor=company["head"], request=request)
    proposal.refresh_from_db()
    assert proposal.status == Status.APPROVED


def test_a_change_asks_again_only_when_the_figure_the_rule_saw_changes(company, flour):
    proposal = factories.proposal(company, flour, discount="14")
    _approved(company, proposal)
    services.proposal_update(
        actor=company["owner"], proposal=proposal, customer_note="Delivery in May"
    )
    assert proposal.status == Status.DRAFT
    approval_flow.submit(actor=company["owner"], proposal=proposal)
    assert proposal.status == Status.APPROVED  # the discount the head saw is unchanged
    assert proposal.approvals.count() == 1
    line = proposal.lines.get()
    services.line_update(actor=company["owner"], line=line, discount_pct=Decimal("15"))
    proposal.refresh_from_db()
    approval_flow.submit(actor=company["owner"], proposal=proposal)
    assert proposal.status == Status.AWAITING
    assert proposal.approvals.filter(status=RequestStatus.PENDING).get().observed == Decimal("5.00")


def test_chains_run_in_sequence_in_parallel_and_by_amount(company, flour):
    factories.rule(
        "Big deals", "total", "500", currency="PLN",
        steps=(("head", None, 1, None), ("finance", None, 1, None), ("admin", None, 2, "5000")),
    )  # fmt: skip
    small = factories.proposal(company, flour, discount="0", quantity="10")  # 1,000.00
    approval_flow.submit(actor=company["owner"], proposal=small)
    assert sorted(small.approvals.values_list("step__role", "status")) == [
        ("finance", "pending"), ("head", "pending"),
    ]  # fmt: skip
    big = factories.proposal(company, flour, discount="0", quantity="60")  # 6,000.00
    approval_flow.submit(actor=company["owner"], proposal=big)
    admin_step = big.approvals.get(step__role="admin")
    assert admin_step.status == RequestStatus.WAITING
    approval_flow.approve(actor=company["head"], request=big.approvals.get(step__role="head"))
    admin_step.refresh_from_db()
    assert admin_step.status == RequestStatus.WAITING  # finance, in parallel, has not yet
    approval_flow.approve(actor=company["finance"], request=big.approvals.get(step__role="finance"))
    admin_step.refresh_from_db()
    assert admin_step.status == RequestStatus.PENDING
    approval_flow.approve(actor=company["admin"], request=admin_step)
    big.refresh_from_db()
    assert big.status == Status.APPROVED


def test_an_amount_rule_judges_only_its_currency(company, flour):
    factories.rule("Big EUR deals", "total", "1", currency="EUR")
    proposal = factories.proposal(company, flour)
    approval_flow.submit(actor=company["owner"], proposal=proposal)
    assert proposal.status == Status.APPROVED


def test_a_margin_rule_asks_below_its_threshold_and_when_the_cost_is_unknown(company, flour):
    factories.rule("Thin margin", "margin", "15")
    proposal = factories.proposal(company, flour)  # no sales yet: the cost is unknown
    assert proposal.margin_pct is None
    approval_flow.submit(actor=company["owner"], proposal=proposal)
    assert proposal.status == Status.AWAITING
    assert proposal.approvals.get().observed is None


def test_a_pending_request_escalates_after_its_days(company, flour):
    proposal = factories.proposal(company, flour, discount="14")
    approval_flow.submit(actor=company["owner"], proposal=proposal)
    request = proposal.approvals.get()
    assert not approval_flow.may_decide(company["admin"], request)
    now = timezone.now()
    assert approval_flow.escalate_due(now + timedelta(days=1)) == 0
    assert approval_flow.escalate_due(now + timedelta(days=2, minutes=1)) == 1
    request.refresh_from_db()
    assert approval_flow.may_decide(company["admin"], request)
    assert approval_flow.escalate_due(now + timedelta(days=5)) == 0  # once


def test_an_accepted_proposal_wins_its_opportunity_at_its_total(company, flour):
    proposal = factories.proposal(company, flour, quantity="7")
    _approved(company, proposal)
    outcomes.send(actor=company["owner"], proposal=proposal)
    outcomes.accept(actor=company["owner"], proposal=proposal)
    opportunity = proposal.opportunity
    opportunity.refresh_from_db()
    assert opportunity.stage.outcome == Outcome.WON
    assert opportunity.value == Decimal("700.00")


def test_a_customer_no_needs_its_reason(company, flour):
    proposal = factories.proposal(company, flour)
    _approved(company, proposal)
    outcomes.send(actor=company["owner"], proposal=proposal)
    with pytest.raises(ValidationError):
        outcomes.customer_reject(actor=company["owner"], proposal=proposal, reason="")
    outcomes.customer_reject(actor=company["owner"], proposal=proposal, reason="price", note="-3 %")
    assert proposal.status == Status.REJECTED


def test_a_sent_proposal_is_not_changed_but_revised_into_a_new_version(company, flour):
    proposal = factories.proposal(company, flour, discount="5")
    _approved(company, proposal)
    outcomes.send(actor=company["owner"], proposal=proposal)
    with pytest.raises(ValidationError, match="new version"):
        services.line_update(
            actor=company["owner"], line=proposal.lines.get(), discount_pct=Decimal("1")
        )
    following = services.proposal_revise(actor=company["owner"], proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == Status.SUPERSEDED
    assert (following.number, following.version, following.status) == (
        proposal.number,
        2,
        Status.DRAFT,
    )
    assert following.lines.get().discount_pct == Decimal("5.00")
    assert following.total == proposal.total


def test_an_expired_proposal_cannot_be_sent(company, flour):
    proposal = factories.proposal(company, flour)
    _approved(company, proposal)
    Proposal.objects.filter(pk=proposal.pk).update(valid_until=company["today"] - timedelta(days=1))
    proposal.refresh_from_db()
    assert outcomes.send_refusals(proposal) == [
        "The proposal expired: change its validity date first."
    ]


@pytest.mark.parametrize("persona", ["other_kam", "finance", "viewer"])
def test_only_who_may_change_the_account_work_may_propose(company, flour, persona):
    opportunity = factories.opportunity(company)
    with pytest.raises(PermissionDenied):
        services.proposal_create(actor=company[persona], opportunity=opportunity)


def test_the_escalation_command_reports_what_it_escalated(company, flour):
    from io import StringIO

    from django.core.management import call_command

    proposal = factories.proposal(company, flour, discount="14")
    approval_flow.submit(actor=company["owner"], proposal=proposal)
    ApprovalRequest.objects.update(requested_at=timezone.now() - timedelta(days=3))
    out = StringIO()
    call_command("escalate_approvals", stdout=out)
    assert "Escalated 1 approval requests." in out.getvalue()
    assert proposal.approvals.get().escalated_at is not None


def test_a_payment_rule_asks_finance_about_a_customer_who_owes_past_due(company, flour):
    from openkam.receivables.tests.ledgers import invoice

    factories.rule("Overdue debt", "overdue", "0", currency="PLN",
                   steps=(("finance", None, 1, None),))  # fmt: skip
    clean = factories.proposal(company, flour)
    approval_flow.submit(actor=company["owner"], proposal=clean)
    assert clean.status == Status.APPROVED
    # 20 days overdue: inside the credit hold, so only the rule stops the proposal.
    invoice(company["a"], "FV/LATE", company["today"] - timedelta(days=50), "400.00")
    late = factories.proposal(company, flour)
    approval_flow.submit(actor=company["owner"], proposal=late)
    request = late.approvals.get()
    assert (request.step.role, request.observed) == ("finance", Decimal("400.00"))
    assert approval_flow.may_decide(company["finance"], request)


def test_the_page_refuses_a_decision_it_does_not_know(client, company, flour):
    proposal = factories.proposal(company, flour, discount="14")
    approval_flow.submit(actor=company["owner"], proposal=proposal)
    request = proposal.approvals.get()
    client.force_login(company["head"])
    url = f"/proposals/{proposal.pk}/approvals/{request.pk}/"
    assert client.post(url, {"decision": "maybe"}).status_code == 400
    assert client.post(url, {}).status_code == 400
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING


def test_a_rule_on_the_price_after_rebates_counts_the_expected_volume_bonus(company, flour):
    from datetime import date

    from openkam.promotions.tests.factories import promotion, sell

    promotion("Winter bonus", threshold_amount=Decimal("2000"))  # 3 % from 2,000 PLN
    sell(company["a"], date(2026, 11, 5), flour, "1", "1604.94")  # on pace to reach it
    factories.rule("True net price", "after_rebates", "10")
    proposal = factories.proposal(company, flour, discount="8")
    line = proposal.lines.get()
    assert line.rebate_pct == Decimal("3.00")
    approval_flow.submit(actor=company["owner"], proposal=proposal)
    request = proposal.approvals.get(rule__name="True net price")
    assert request.observed == Decimal("10.76")  # 1 - 0.92 x 0.97
    assert not proposal.approvals.filter(rule__metric="over_allowance").exists()
