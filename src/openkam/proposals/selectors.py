"""Reading proposals through the visibility rule: a proposal is seen by whoever sees its
account, an approval request by whoever sees its proposal."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from openkam.accounts import access
from openkam.promotions.models import Promotion
from openkam.promotions.selectors import applicable
from openkam.proposals.approval_flow import may_decide
from openkam.proposals.models import ApprovalRequest, Proposal, RequestStatus
from openkam.users.permissions import AnyUser


def proposals_for(user: AnyUser | None) -> QuerySet[Proposal]:
    return access.visible(Proposal, user).select_related("account", "opportunity", "created_by")


def proposal_or_404(user: AnyUser | None, pk: int) -> Proposal:
    return access.visible_or_404(
        Proposal.objects.select_related("account", "opportunity__stage", "created_by"),
        user, pk=pk,
    )  # fmt: skip


def waiting_for(user: AnyUser | None) -> list[ApprovalRequest]:
    """The pending requests this user may decide, oldest first."""
    pending = (
        access.visible(ApprovalRequest, user)
        .filter(status=RequestStatus.PENDING)
        .select_related("proposal__account", "proposal__created_by", "rule", "step")
        .order_by("requested_at", "pk")
    )
    return [request for request in pending if may_decide(user, request)]


def chain_of(proposal: Proposal) -> QuerySet[ApprovalRequest]:
    return proposal.approvals.select_related("rule", "step__user", "decided_by").order_by(
        "rule__name", "sequence", "pk"
    )


def versions_of(user: AnyUser | None, proposal: Proposal) -> QuerySet[Proposal]:
    return proposals_for(user).filter(number=proposal.number).order_by("version")


def promotions_on(proposal: Proposal, on: date) -> list[tuple[Promotion, list[str]]]:
    """The promotions the customer gets on the proposal's products, each with the SKUs it
    applies to (the stacking rules already applied, per product)."""
    found: dict[int, tuple[Promotion, list[str]]] = {}
    for line in proposal.lines.select_related("product"):
        for promotion in applicable(proposal.account, on, product=line.product):
            found.setdefault(promotion.pk, (promotion, []))[1].append(line.product.sku)
    return list(found.values())
