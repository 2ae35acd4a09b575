"""JSON API for proposals: the same services as the pages (so the same approvals, the
same credit check before sending, the same audit), under the same visibility."""

from datetime import date, datetime
from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import field_validator

from openkam.accounts import access
from openkam.core import bounds
from openkam.core.schemas import WRITE_ERRORS, Money, not_null
from openkam.ledger.models import Product
from openkam.opportunities.models import Opportunity
from openkam.pricing.models import MAX_QUANTITY
from openkam.proposals import approval_flow, outcomes, selectors, services
from openkam.proposals.models import (
    ApprovalRequest,
    Language,
    Proposal,
    ProposalLine,
    RejectReason,
)
from openkam.proposals.models import (
    Status as ProposalStatus,
)

PAGE_SIZE = 50

router = Router(tags=["proposals"])


class ProposalLineOut(Schema):
    id: int
    product_id: int
    quantity: Decimal
    discount_pct: Decimal
    tier: str
    list_unit_price: Decimal
    total_before_discount: Money
    net_unit_price: Money
    net_total: Money
    allowed_discount_pct: Decimal
    discount_rule: str
    margin_pct: Decimal | None
    rebate_pct: Decimal


class ProposalApprovalOut(Schema):
    id: int
    rule: str
    metric: str
    sequence: int
    observed: Decimal | None
    status: str
    escalated_at: datetime | None
    decided_by_id: int | None
    decided_at: datetime | None
    note: str

    @staticmethod
    def resolve_rule(request: ApprovalRequest) -> str:
        return request.rule.name

    @staticmethod
    def resolve_metric(request: ApprovalRequest) -> str:
        return request.rule.metric


class ProposalOut(Schema):
    id: int
    account_id: int
    opportunity_id: int
    number: str
    version: int
    title: str
    currency: str
    language: str
    status: str
    priced_on: date
    valid_until: date
    customer_note: str
    internal_note: str
    total_before_discount: Money
    total: Money
    margin_pct: Decimal | None
    sent_on: date | None
    decided_on: date | None
    reject_reason: str
    reject_note: str
    lines: list[ProposalLineOut]
    approvals: list[ProposalApprovalOut]
    send_refusals: list[str] = Field(description="Why it may not be sent today; empty: it may")

    @staticmethod
    def resolve_lines(proposal: Proposal) -> list[ProposalLine]:
        return list(proposal.lines.all())

    @staticmethod
    def resolve_approvals(proposal: Proposal) -> list[ApprovalRequest]:
        return list(selectors.chain_of(proposal))

    @staticmethod
    def resolve_send_refusals(proposal: Proposal) -> list[str]:
        return outcomes.send_refusals(proposal)


class ProposalIn(Schema):
    opportunity_id: bounds.Id
    title: str = Field("", max_length=200)
    valid_until: bounds.ApiDate | None = None
    language: Language | None = None
    customer_note: str = Field("", max_length=4000)
    internal_note: str = Field("", max_length=4000)


class ProposalPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    valid_until: bounds.ApiDate | None = None
    language: Language | None = None
    customer_note: str | None = Field(None, max_length=4000)
    internal_note: str | None = Field(None, max_length=4000)

    _not_null = field_validator(
        "title", "valid_until", "language", "customer_note", "internal_note"
    )(not_null)


class ProposalLineIn(Schema):
    product_id: bounds.Id
    quantity: Decimal = Field(gt=0, le=MAX_QUANTITY, decimal_places=3)
    discount_pct: Decimal = Field(Decimal(0), ge=0, le=100, decimal_places=2)


class ProposalLinePatch(Schema):
    quantity: Decimal | None = Field(None, gt=0, le=MAX_QUANTITY, decimal_places=3)
    discount_pct: Decimal | None = Field(None, ge=0, le=100, decimal_places=2)

    _not_null = field_validator("quantity", "discount_pct")(not_null)


class ProposalDecisionIn(Schema):
    decision: str = Field(pattern="^(approve|reject)$")
    note: str = Field("", max_length=2000)


class ProposalCustomerNoIn(Schema):
    reason: RejectReason
    note: str = Field("", max_length=2000)


class ProposalListQuery(Schema):
    account_id: bounds.Id | None = None
    status: str | None = Field(None, pattern="^(" + "|".join(ProposalStatus.values) + ")$")


def _fresh(proposal: Proposal) -> Proposal:
    return Proposal.objects.prefetch_related("lines").get(pk=proposal.pk)


def _visible(request, proposal_id: int) -> Proposal:
    return selectors.proposal_or_404(request.auth, proposal_id)


def _editable(request, proposal_id: int) -> Proposal:
    proposal = _visible(request, proposal_id)
    if not services.may_propose(request.auth, proposal.account):
        raise HttpError(403, _("Your role may not change this account's proposals."))
    return proposal


@router.get("/", response=list[ProposalOut], url_name="proposals_list")
@paginate(bounds.Pages, page_size=PAGE_SIZE)
def proposals_list(request, filters: Query[ProposalListQuery]):
    rows = selectors.proposals_for(request.auth)
    if filters.account_id is not None:
        rows = rows.filter(account_id=filters.account_id)
    if filters.status is not None:
        rows = rows.filter(status=filters.status)
    return rows.prefetch_related("lines").order_by("-created_at", "-pk")


@router.get("/approvals", response=list[ProposalApprovalOut], url_name="proposal_approvals")
def approvals_waiting(request):
    """The requests waiting for the caller's decision."""
    return selectors.waiting_for(request.auth)


@router.post("/", response={201: ProposalOut, **WRITE_ERRORS}, url_name="proposal_create")
def proposal_create(request, payload: ProposalIn):
    opportunity = access.visible_or_404(Opportunity, request.auth, pk=payload.opportunity_id)
    if not services.may_propose(request.auth, opportunity.account):
        raise HttpError(403, _("Your role may not change this account's proposals."))
    fields = payload.dict(exclude={"opportunity_id"})
    fields["language"] = fields["language"] or ""
    proposal = services.proposal_create(
        actor=request.auth, opportunity=opportunity, via="api", **fields
    )
    return Status(201, _fresh(proposal))


@router.get("/{id:proposal_id}", response=ProposalOut, url_name="proposal_detail")
def proposal_detail(request, proposal_id: int):
    return _fresh(_visible(request, proposal_id))


@router.patch(
    "/{id:proposal_id}", response={200: ProposalOut, **WRITE_ERRORS}, url_name="proposal_update"
)
def proposal_update(request, proposal_id: int, payload: ProposalPatch):
    proposal = _editable(request, proposal_id)
    services.proposal_update(
        actor=request.auth, proposal=proposal, via="api", **payload.dict(exclude_unset=True)
    )
    return _fresh(proposal)


@router.post(
    "/{id:proposal_id}/lines", response={201: ProposalOut, **WRITE_ERRORS},
    url_name="proposal_line_add",
)  # fmt: skip
def line_add(request, proposal_id: int, payload: ProposalLineIn):
    proposal = _editable(request, proposal_id)
    product = Product.objects.filter(pk=payload.product_id).first()
    if product is None:
        raise HttpError(422, _("No product has that id."))
    services.line_add(
        actor=request.auth, proposal=proposal, product=product, quantity=payload.quantity,
        discount_pct=payload.discount_pct, via="api",
    )  # fmt: skip
    return Status(201, _fresh(proposal))


def _line(proposal: Proposal, line_id: int) -> ProposalLine:
    return get_object_or_404(ProposalLine, proposal=proposal, pk=line_id)


@router.patch(
    "/{id:proposal_id}/lines/{id:line_id}", response={200: ProposalOut, **WRITE_ERRORS},
    url_name="proposal_line_update",
)  # fmt: skip
def line_update(request, proposal_id: int, line_id: int, payload: ProposalLinePatch):
    proposal = _editable(request, proposal_id)
    services.line_update(
        actor=request.auth, line=_line(proposal, line_id), via="api",
        **payload.dict(exclude_unset=True),
    )  # fmt: skip
    return _fresh(proposal)


@router.delete(
    "/{id:proposal_id}/lines/{id:line_id}", response={200: ProposalOut, **WRITE_ERRORS},
    url_name="proposal_line_remove",
)  # fmt: skip
def line_remove(request, proposal_id: int, line_id: int):
    proposal = _editable(request, proposal_id)
    services.line_remove(actor=request.auth, line=_line(proposal, line_id), via="api")
    return _fresh(proposal)


def _step(request, proposal_id: int, action, **kwargs) -> Proposal:
    proposal = _editable(request, proposal_id)
    result = action(actor=request.auth, proposal=proposal, via="api", **kwargs)
    return _fresh(result if isinstance(result, Proposal) else proposal)


@router.post(
    "/{id:proposal_id}/submit", response={200: ProposalOut, **WRITE_ERRORS},
    url_name="proposal_submit",
)  # fmt: skip
def submit(request, proposal_id: int):
    return _step(request, proposal_id, approval_flow.submit)


@router.post(
    "/{id:proposal_id}/send", response={200: ProposalOut, **WRITE_ERRORS},
    url_name="proposal_send",
)  # fmt: skip
def send(request, proposal_id: int):
    """Only an approved proposal that passes the customer's credit check goes out."""
    return _step(request, proposal_id, outcomes.send)


@router.post(
    "/{id:proposal_id}/accept", response={200: ProposalOut, **WRITE_ERRORS},
    url_name="proposal_accept",
)  # fmt: skip
def accept(request, proposal_id: int):
    return _step(request, proposal_id, outcomes.accept)


@router.post(
    "/{id:proposal_id}/customer-reject", response={200: ProposalOut, **WRITE_ERRORS},
    url_name="proposal_customer_reject",
)  # fmt: skip
def customer_reject(request, proposal_id: int, payload: ProposalCustomerNoIn):
    return _step(
        request, proposal_id, outcomes.customer_reject, reason=payload.reason, note=payload.note
    )


@router.post(
    "/{id:proposal_id}/revise", response={201: ProposalOut, **WRITE_ERRORS},
    url_name="proposal_revise",
)  # fmt: skip
def revise(request, proposal_id: int):
    return Status(201, _step(request, proposal_id, services.proposal_revise))


@router.post(
    "/{id:proposal_id}/approvals/{id:request_id}", response={200: ProposalOut, **WRITE_ERRORS},
    url_name="proposal_decide",
)  # fmt: skip
def decide(request, proposal_id: int, request_id: int, payload: ProposalDecisionIn):
    """Approve or reject (a rejection needs its note); only the step's approver may."""
    proposal = _visible(request, proposal_id)
    approval = get_object_or_404(
        ApprovalRequest.objects.select_related("rule", "step", "proposal"),
        proposal=proposal, pk=request_id,
    )  # fmt: skip
    if not approval_flow.may_decide(request.auth, approval):
        raise Http404  # a request is seen only by whoever may decide it
    action = approval_flow.approve if payload.decision == "approve" else approval_flow.reject
    action(actor=request.auth, request=approval, note=payload.note, via="api")
    return _fresh(proposal)
