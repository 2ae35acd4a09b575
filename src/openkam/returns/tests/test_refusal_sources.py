"""Refusals from proposals the customer said no to and from lost tenders, beside lost
opportunities, each only for who sees the account."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from openkam.proposals import approval_flow, outcomes
from openkam.proposals.tests import factories as proposal_factories
from openkam.returns.filters import Span
from openkam.returns.refusals import RefusalFilter, by_reason, refusal_rows
from openkam.tenders import services as tender_services


def test_refused_proposals_and_lost_tenders_are_refusals(company):
    flour = proposal_factories.priced_catalogue()[0]
    proposal = proposal_factories.proposal(company, flour, quantity="3")
    approval_flow.submit(actor=company["owner"], proposal=proposal)
    outcomes.send(actor=company["owner"], proposal=proposal)
    outcomes.customer_reject(actor=company["owner"], proposal=proposal, reason="terms")
    tender = tender_services.tender_create(
        actor=company["other_kam"], account=company["b"], title="Przetarg 7/2026",
        deadline=timezone.now() + timedelta(days=3), currency="PLN",
        our_total=Decimal("5000.00"),
    )  # fmt: skip
    tender_services.tender_move(actor=company["other_kam"], tender=tender, status="submitted")
    tender_services.tender_move(
        actor=company["other_kam"], tender=tender, status="lost", outcome_reason="price",
        winner_name="Hurtownia Tania", winning_total=Decimal("4700.00"),
    )  # fmt: skip
    span = Span.trailing(company["today"] + timedelta(days=31))
    rows = refusal_rows(company["head"], RefusalFilter(span=span))
    found = {(row.source, row.reason, row.competitor, row.value) for row in rows}
    assert ("proposal", "terms", None, Decimal("300.00")) in found
    assert ("tender", "price", "Hurtownia Tania", Decimal("5000.00")) in found
    assert {"terms", "price"} <= {tally.key for tally in by_reason(rows)}
    mine = refusal_rows(company["owner"], RefusalFilter(span=span))
    assert {row.source for row in mine} == {"proposal"}  # the tender is on b, not theirs
