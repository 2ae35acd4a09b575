"""After approval: send to the customer (the credit check applies), the customer's
answer, and what an accepted proposal does to its opportunity (won, at the proposal's
total) and to the opportunity's other proposals (withdrawn)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from openkam.core import audit
from openkam.credit.assessment import check_order
from openkam.opportunities import services as opportunity_services
from openkam.opportunities.models import Opportunity, Outcome, Stage
from openkam.proposals.models import OPEN, Proposal, Status
from openkam.proposals.services import cancel_open_requests, require_propose
from openkam.users import permissions
from openkam.users.permissions import Actor


def send_refusals(proposal: Proposal) -> list[str]:
    """Why the proposal may not go to the customer today (empty: it may)."""
    if proposal.status == Status.AWAITING:
        return [_("The proposal is waiting for approval.")]
    if proposal.status == Status.DRAFT:
        return [_("Submit the proposal for approval first.")]
    if proposal.status != Status.APPROVED:
        return [
            _("A proposal that is %(status)s cannot be sent.")
            % {"status": proposal.get_status_display()}
        ]
    today = permissions.today()
    if proposal.valid_until < today:
        return [_("The proposal expired: change its validity date first.")]
    # No credit exception covers a proposal (exceptions release orders), so the check's
    # reasons are the whole verdict: none means it passed.
    return check_order(proposal.account, proposal.currency, proposal.total, today).reasons


@transaction.atomic
def send(*, actor: Actor, proposal: Proposal, via: str = "web") -> Proposal:
    require_propose(actor, proposal.account)
    refusals = send_refusals(proposal)
    if refusals:
        raise ValidationError(refusals)
    before = audit.snapshot(proposal)
    proposal.status, proposal.sent_on = Status.SENT, permissions.today()
    proposal.save()
    audit.record_update(actor=actor, instance=proposal, before=before, via=via)
    return proposal


def _require_sent(proposal: Proposal) -> None:
    if proposal.status != Status.SENT:
        raise ValidationError(_("Only a sent proposal gets the customer's answer."))


@transaction.atomic
def accept(*, actor: Actor, proposal: Proposal, via: str = "web") -> Proposal:
    """The customer said yes: the opportunity is won, at the proposal's total, and its
    other proposals are withdrawn (none of them can be sent or accepted any more)."""
    require_propose(actor, proposal.account)
    # One deal, one winner: two proposals of an opportunity accepted at once take turns.
    Opportunity.objects.select_for_update().filter(pk=proposal.opportunity_id).first()
    proposal.refresh_from_db()
    _require_sent(proposal)
    before = audit.snapshot(proposal)
    proposal.status, proposal.decided_on = Status.ACCEPTED, permissions.today()
    proposal.save()
    audit.record_update(actor=actor, instance=proposal, before=before, via=via)
    _withdraw_the_others(actor, proposal, via)
    opportunity = proposal.opportunity
    opportunity_services.opportunity_update(
        actor=actor, opportunity=opportunity, value=proposal.total, currency=proposal.currency,
        via=via,
    )  # fmt: skip
    won = Stage.objects.filter(is_active=True, outcome=Outcome.WON).first()
    if won is not None:
        opportunity_services.opportunity_move(
            actor=actor, opportunity=opportunity, stage=won, via=via
        )
    return proposal


def _withdraw_the_others(actor: Actor, accepted: Proposal, via: str) -> None:
    # The accepted one is no longer open, so it is not among them.
    others = Proposal.objects.filter(opportunity=accepted.opportunity_id, status__in=OPEN)
    for other in others:
        before = audit.snapshot(other)
        cancel_open_requests(other)
        other.status = Status.WITHDRAWN
        other.save()
        audit.record_update(actor=actor, instance=other, before=before, via=via)


@transaction.atomic
def customer_reject(
    *, actor: Actor, proposal: Proposal, reason: str, note: str = "", via: str = "web"
) -> Proposal:
    require_propose(actor, proposal.account)
    _require_sent(proposal)
    if not reason:
        raise ValidationError({"reject_reason": _("Say why the customer said no.")})
    before = audit.snapshot(proposal)
    proposal.status, proposal.decided_on = Status.REJECTED, permissions.today()
    proposal.reject_reason, proposal.reject_note = reason, note.strip()
    try:
        proposal.full_clean()
    except ValidationError:
        proposal.refresh_from_db()
        raise
    proposal.save()
    audit.record_update(actor=actor, instance=proposal, before=before, via=via)
    return proposal
