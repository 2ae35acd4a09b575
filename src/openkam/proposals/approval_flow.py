"""Running approvals: submit a proposal, approve or reject a request, escalate what waits
too long. Decisions are audited with their reason. A proposal no rule asks about is
approved at once, with no human step."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.accounts import access
from openkam.core import audit
from openkam.proposals import approval_rules
from openkam.proposals.facts import facts_of
from openkam.proposals.models import (
    ApprovalRequest,
    ApprovalRule,
    Proposal,
    RequestStatus,
    Status,
)
from openkam.proposals.services import cancel_open_requests, require_propose
from openkam.users import permissions
from openkam.users.models import User
from openkam.users.permissions import Actor, AnyUser

OPEN = (RequestStatus.PENDING, RequestStatus.WAITING)


def _reusable(proposal: Proposal, found: approval_rules.Triggered) -> bool:
    """Every step of the rule already approved on the same figure: no need to ask again."""
    approved = proposal.approvals.filter(
        rule=found.rule, status=RequestStatus.APPROVED, observed=found.observed
    ).values_list("step_id", flat=True)
    return found.observed is not None and {s.pk for s in found.steps} <= set(approved)


def _ask(proposal: Proposal, found: approval_rules.Triggered, now: datetime) -> int:
    first = min(step.sequence for step in found.steps)
    for step in found.steps:
        ApprovalRequest.objects.create(
            proposal=proposal, rule=found.rule, step=step, sequence=step.sequence,
            observed=found.observed,
            status=RequestStatus.PENDING if step.sequence == first else RequestStatus.WAITING,
            requested_at=now if step.sequence == first else None,
        )  # fmt: skip
    return len(found.steps)


@transaction.atomic
def submit(*, actor: Actor, proposal: Proposal, via: str = "web") -> Proposal:
    require_propose(actor, proposal.account)
    if proposal.status != Status.DRAFT:
        raise ValidationError(_("Only a draft is submitted for approval."))
    if not proposal.lines.exists():
        raise ValidationError(_("Add at least one line first."))
    before = audit.snapshot(proposal)
    now = timezone.now()
    rules = list(ApprovalRule.objects.filter(is_active=True).prefetch_related("steps"))
    facts = facts_of(proposal, permissions.today(), {rule.metric for rule in rules})
    asked = 0
    for found in approval_rules.triggered(rules, facts, proposal.currency, proposal.total):
        if not _reusable(proposal, found):
            asked += _ask(proposal, found, now)
    proposal.submitted_at = now
    if asked:
        proposal.status = Status.AWAITING
    else:
        proposal.status, proposal.approved_at = Status.APPROVED, now
    proposal.save()
    audit.record_update(actor=actor, instance=proposal, before=before, via=via)
    return proposal


def may_decide(user: AnyUser | None, request: ApprovalRequest) -> bool:
    """The step's approver (or whoever stands in for them), someone of the step's role, or
    of the escalation role once escalated; never the one who prepared the proposal."""
    if not permissions.is_active_user(user) or request.status != RequestStatus.PENDING:
        return False
    proposal = request.proposal
    if (
        proposal.created_by_id == user.pk
        or not access.visible(
            type(proposal.account).objects.filter(pk=proposal.account_id), user
        ).exists()
    ):
        return False
    step, rule = request.step, request.rule
    if step.user_id is not None and step.user_id in permissions.acting_for_user_ids(user):
        return True
    if step.role and user.role == step.role:
        return True
    return bool(request.escalated_at and rule.escalate_to and user.role == rule.escalate_to)


def _require_decider(actor: User, request: ApprovalRequest) -> None:
    if not may_decide(actor, request):
        raise PermissionDenied(_("This approval is not yours to give."))


def _advance(proposal: Proposal, request: ApprovalRequest, now: datetime) -> None:
    """Once a step is done, the rule's next step is asked; once all are, it is approved."""
    same_step = proposal.approvals.filter(
        rule=request.rule, sequence=request.sequence, status=RequestStatus.PENDING
    )
    if not same_step.exists():
        waiting = proposal.approvals.filter(rule=request.rule, status=RequestStatus.WAITING)
        following = waiting.aggregate(first=Min("sequence"))["first"]
        if following is not None:
            waiting.filter(sequence=following).update(
                status=RequestStatus.PENDING, requested_at=now
            )
    if not proposal.approvals.filter(status__in=OPEN).exists():
        proposal.status, proposal.approved_at = Status.APPROVED, now
        proposal.save(update_fields=["status", "approved_at", "updated_at"])


@transaction.atomic
def approve(*, actor: User, request: ApprovalRequest, note: str = "", via: str = "web"):
    _require_decider(actor, request)
    proposal = request.proposal
    before, before_proposal = audit.snapshot(request), audit.snapshot(proposal)
    now = timezone.now()
    request.status, request.decided_by, request.decided_at = RequestStatus.APPROVED, actor, now
    request.note = note.strip()
    request.save()
    _advance(proposal, request, now)
    audit.record_update(actor=actor, instance=request, before=before, via=via)
    audit.record_update(actor=actor, instance=proposal, before=before_proposal, via=via)
    return request


@transaction.atomic
def reject(*, actor: User, request: ApprovalRequest, note: str, via: str = "web"):
    """Back to draft with the reason; the other open requests lapse."""
    _require_decider(actor, request)
    if not note.strip():
        raise ValidationError({"note": _("Say why the proposal is rejected.")})
    proposal = request.proposal
    before, before_proposal = audit.snapshot(request), audit.snapshot(proposal)
    now = timezone.now()
    request.status, request.decided_by, request.decided_at = RequestStatus.REJECTED, actor, now
    request.note = note.strip()
    request.save()
    cancel_open_requests(proposal)
    proposal.status, proposal.approved_at = Status.DRAFT, None
    # Only what the decision changes: a header edited meanwhile is not written back.
    proposal.save(update_fields=["status", "approved_at", "updated_at"])
    audit.record_update(actor=actor, instance=request, before=before, via=via)
    audit.record_update(actor=actor, instance=proposal, before=before_proposal, via=via)
    return request


@transaction.atomic
def escalate_due(now: datetime | None = None) -> int:
    """Pending requests past their rule's days go also to its escalation role."""
    now = now or timezone.now()
    count = 0
    pending = ApprovalRequest.objects.filter(
        status=RequestStatus.PENDING, escalated_at__isnull=True,
        rule__escalate_after_days__isnull=False,
    ).exclude(rule__escalate_to="").select_related("rule")  # fmt: skip
    for request in pending:
        days = request.rule.escalate_after_days or 0
        if request.requested_at and request.requested_at + timedelta(days=days) <= now:
            before = audit.snapshot(request)
            request.escalated_at = now
            request.save(update_fields=["escalated_at"])
            audit.record_update(actor=None, instance=request, before=before, via="system")
            count += 1
    return count
