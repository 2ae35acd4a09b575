"""Refusals from proposals and tenders (registered in ReturnsConfig.ready): a proposal the
customer said no to, and a tender lost. Lost opportunities are `refusals`' own source."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy

from openkam.proposals.models import Status as ProposalStatus
from openkam.proposals.selectors import proposals_for
from openkam.returns.filters import Span
from openkam.returns.refusals import RefusalRow, no_reason, register_source
from openkam.tenders.models import Status as TenderStatus
from openkam.tenders.models import Tender
from openkam.users.permissions import AnyUser


def rejected_proposals(user: AnyUser, span: Span) -> Iterable[RefusalRow]:
    """Proposals the customer said no to in the span, at their net total."""
    rejected = proposals_for(user).filter(
        status=ProposalStatus.REJECTED, decided_on__gte=span.start, decided_on__lt=span.end
    )
    for proposal in rejected.order_by("decided_on", "pk"):
        if proposal.decided_on is None:  # never, by the filter above; for the types
            continue
        yield RefusalRow(
            source="proposal", key=f"proposal:{proposal.pk}",
            account_id=proposal.account_id, day=proposal.decided_on,
            reason=proposal.reject_reason,
            reason_label=proposal.get_reject_reason_display() or no_reason(),
            competitor=None, value=proposal.total, currency=proposal.currency,
            url=reverse("proposals:detail", args=[proposal.pk]), title=str(proposal),
        )  # fmt: skip


def lost_tenders(user: AnyUser, span: Span) -> Iterable[RefusalRow]:
    """Tenders lost in the span, at our price, with the winner as the competitor."""
    lost = (
        Tender.objects.visible_to(user)
        .filter(status=TenderStatus.LOST, decided_on__gte=span.start, decided_on__lt=span.end)
        .select_related("winner")
        .order_by("decided_on", "pk")
    )
    for tender in lost:
        if tender.decided_on is None:
            continue
        yield RefusalRow(
            source="tender", key=f"tender:{tender.pk}",
            account_id=tender.account_id, day=tender.decided_on,
            reason=tender.outcome_reason,
            reason_label=tender.get_outcome_reason_display() or no_reason(),
            competitor=tender.winner_label or None,
            value=tender.our_total or tender.estimated_value or Decimal(0), currency=tender.currency,
            url=reverse("tenders:detail", args=[tender.pk]), title=tender.title,
        )  # fmt: skip


def register() -> None:
    register_source("proposal", gettext_lazy("Proposals the customer refused"), rejected_proposals)
    register_source("tender", gettext_lazy("Lost tenders"), lost_tenders)
