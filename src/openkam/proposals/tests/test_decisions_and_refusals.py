"""Who may still decide, what a decision saves, when an earlier approval is reused, how
a line is priced in the proposal's own currency and rebate, and the words of each refusal
(what the pages and the API show)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openkam.core.models import AuditEntry
from openkam.opportunities import services as opportunity_services
from openkam.pricing.models import DiscountRule
from openkam.proposals import approval_flow, outcomes, services
from openkam.proposals.models import Proposal, RequestStatus, Status
from openkam.proposals.tests import factories


@pytest.fixture
def catalogue(company):
    return factories.priced_catalogue()


def test_a_decided_request_or_an_inactive_user_decides_nothing(company, catalogue):
    proposal = factories.proposal(company, catalogue[0], discount="14")
    approval_flow.submit(actor=company["owner"], proposal=proposal)
    request = proposal.approvals.get()
    head = company["head"]
    head.is_active = False
    head.save()
    assert not approval_flow.may_decide(head, request)
    head.is_active = True
    head.save()
    approval_flow.approve(actor=head, request=request)
    assert not approval_flow.may_decide(head, request)
    with pytest.raises(PermissionDenied) as refused:
        approval_flow.approve(actor=head, request=request)
    assert str(refused.value) == "This approval is not yours to give."


@pytest.mark.parametrize(
    "decide,status",
    [
        (lambda head, request: approval_flow.approve(actor=head, request=request), Status.APPROVED),
        (
            lambda head, request: approval_flow.reject(actor=head, request=request, note="Too deep"),
            Status.DRAFT,
        ),
    ],
    ids=["approve", "reject"],
)
def test_a_decision_saves_the_status_not_a_stale_header(company, catalogue, decide, status):
    proposal = factories.proposal(company, catalogue[0], discount="14")
    approval_flow.submit(actor=company["owner"], proposal=proposal)
    request = proposal.approvals.get()
    assert request.proposal.customer_note == ""
    Proposal.objects.filter(pk=proposal.pk).update(customer_note="Written meanwhile")
    decide(company["head"], request)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.customer_note) == (status, "Written meanwhile")


def test_a_rejected_figure_is_asked_again_and_an_approved_one_reused(company, catalogue):
    factories.rule("Unused", "total", "999999", currency="PLN",
                   steps=(("admin", None, 1, None), ("admin", None, 2, None)))  # fmt: skip
    factories.rule("Chain", "max_discount", "5",
                   steps=(("finance", None, 1, None), ("admin", None, 2, None)))  # fmt: skip
    proposal = factories.proposal(company, catalogue[0], discount="14")
    approval_flow.submit(actor=company["owner"], proposal=proposal)
    default = proposal.approvals.get(rule__name="Discount above the discount rule")
    approval_flow.reject(actor=company["head"], request=default, note="No")
    proposal.refresh_from_db()
    approval_flow.submit(actor=company["owner"], proposal=proposal)  # the same figures
    assert proposal.status == Status.AWAITING
    for request in proposal.approvals.filter(status=RequestStatus.PENDING):
        who = "head" if request.rule.name != "Chain" else "finance"
        approval_flow.approve(actor=company[who], request=request)
    approval_flow.approve(
        actor=company["admin"], request=proposal.approvals.get(status=RequestStatus.PENDING)
    )
    proposal.refresh_from_db()
    assert proposal.status == Status.APPROVED
    asked = proposal.approvals.count()
    services.proposal_update(actor=company["owner"], proposal=proposal, customer_note="May")
    approval_flow.submit(actor=company["owner"], proposal=proposal)
    assert (proposal.status, proposal.approvals.count()) == (Status.APPROVED, asked)


def test_a_line_is_priced_in_the_proposals_currency(company, catalogue):
    opportunity = opportunity_services.opportunity_create(
        actor=company["owner"], account=company["a"], title="Export", value=Decimal(1),
        currency="EUR", expected_close=company["today"] + timedelta(days=30),
    )  # fmt: skip
    proposal = services.proposal_create(actor=company["owner"], opportunity=opportunity)
    with pytest.raises(ValidationError) as error:
        services.line_add(
            actor=company["owner"], proposal=proposal, product=catalogue[0], quantity=Decimal(1)
        )
    (message,) = error.value.message_dict["product"]
    assert "EUR" in message
    assert not proposal.lines.exists()


def test_with_no_discount_rule_nothing_is_allowed_and_no_rule_named(company, catalogue):
    DiscountRule.objects.all().delete()
    proposal = factories.proposal(company, catalogue[0], discount="0")
    line = proposal.lines.get()
    assert (line.allowed_discount_pct, line.discount_rule) == (Decimal("0.00"), "")


def test_the_expected_rebate_is_the_products_own(company, catalogue):
    from openkam.promotions.tests.factories import promotion, sell

    flour, sugar = catalogue
    promotion("Sugar bonus", threshold_amount=Decimal("2000"), products=[sugar])
    sell(company["a"], date(2026, 11, 5), sugar, "1", "1604.94")  # on pace to reach it
    proposal = factories.proposal(company, flour)
    services.line_add(actor=company["owner"], proposal=proposal, product=sugar, quantity=Decimal(1))
    rebates = {line.product: line.rebate_pct for line in proposal.lines.all()}
    assert rebates == {flour: Decimal("0.00"), sugar: Decimal("3.00")}


def test_a_line_change_is_audited_on_the_proposal_with_its_actor_and_channel(company, catalogue):
    proposal = factories.proposal(company, catalogue[0])
    services.line_update(
        actor=company["deputy"], line=proposal.lines.get(), quantity=Decimal(2), via="api"
    )
    entry = AuditEntry.objects.filter(
        model="proposals.Proposal", object_id=str(proposal.pk), action="update"
    ).latest("pk")
    assert (entry.actor, entry.via) == (company["deputy"], "api")
    assert entry.changes["total"] == ["1000.00", "200.00"]


def test_each_refusal_says_why(company, catalogue):
    proposal = factories.proposal(company, catalogue[0])
    with pytest.raises(PermissionDenied) as refused:
        services.proposal_update(actor=company["other_kam"], proposal=proposal, title="Mine")
    assert str(refused.value) == "You may not change the proposals of this account."
    with pytest.raises(ValidationError) as not_sent:
        outcomes.accept(actor=company["owner"], proposal=proposal)
    assert not_sent.value.messages == ["Only a sent proposal gets the customer's answer."]
    approval_flow.submit(actor=company["owner"], proposal=proposal)
    outcomes.send(actor=company["owner"], proposal=proposal)
    with pytest.raises(ValidationError) as sent:
        services.proposal_update(actor=company["owner"], proposal=proposal, title="Late")
    assert sent.value.messages == ["A proposal that is sent cannot be changed: make a new version."]
