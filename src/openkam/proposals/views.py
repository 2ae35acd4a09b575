"""Proposal pages: the list at /proposals/, the approvals waiting for the reader at
/proposals/approvals/, a proposal at /proposals/<id>/ (lines, approvals, sending, the
customer's answer, versions, the PDF), one account's at /accounts/<id>/proposals/."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openkam.accounts import access
from openkam.accounts.models import Account
from openkam.opportunities.models import Opportunity
from openkam.proposals import approval_flow, outcomes, selectors, services
from openkam.proposals.account_panels import panel_rows
from openkam.proposals.forms import (
    CustomerRejectForm,
    DecisionForm,
    HeaderForm,
    LineChangeForm,
    LineForm,
    ListFilterForm,
)
from openkam.proposals.models import ApprovalRequest, Proposal, ProposalLine, Status
from openkam.users import permissions

LISTED = 300


@login_required
def proposal_list(request):
    form = ListFilterForm(request.GET or None)
    rows = selectors.proposals_for(request.user).exclude(status=Status.SUPERSEDED)
    if form.is_valid() and form.cleaned_data["status"]:
        rows = rows.filter(status=form.cleaned_data["status"])
    context = {
        "nav": "pipeline", "form": form, "proposals": rows[:LISTED],
        "waiting": selectors.waiting_for(request.user),
    }  # fmt: skip
    return render(request, "proposals/list.html", context)


@login_required
def approvals(request):
    context = {"nav": "pipeline", "waiting": selectors.waiting_for(request.user)}
    return render(request, "proposals/approvals.html", context)


@login_required
def account_list(request, pk: int):
    account = access.visible_or_404(Account, request.user, pk=pk)
    if request.GET.get("panel") == "1":  # the rows of the account page's section
        context = {"account": account, **panel_rows(request.user, account)}
        return render(request, "proposals/_account_panel_rows.html", context)
    context = {
        "nav": "accounts", "account": account,
        "proposals": selectors.proposals_for(request.user).filter(account=account),
        "opportunities": account.opportunities.open().select_related("stage"),
        "can_propose": services.may_propose(request.user, account),
    }  # fmt: skip
    return render(request, "proposals/account.html", context)


@login_required
@require_POST
def create(request, opportunity_id: int):
    opportunity = access.visible_or_404(Opportunity, request.user, pk=opportunity_id)
    if not services.may_propose(request.user, opportunity.account):
        raise Http404
    try:
        proposal = services.proposal_create(actor=request.user, opportunity=opportunity)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("opportunities:detail", opportunity.pk)
    messages.success(request, _("Proposal started: add its lines."))
    return redirect("proposals:detail", proposal.pk)


def _detail_page(request, proposal: Proposal, status: int = 200, **forms):
    user = request.user
    can_propose = services.may_propose(user, proposal.account)
    chain = list(selectors.chain_of(proposal))
    context = {
        "nav": "pipeline",
        "proposal": proposal,
        "account": proposal.account,
        "lines": proposal.lines.select_related("product"),
        "chain": chain,
        "mine": {r.pk for r in chain if approval_flow.may_decide(user, r)},
        "versions": selectors.versions_of(user, proposal),
        "promotions": selectors.promotions_on(proposal, permissions.today()),
        "can_propose": can_propose,
        "send_refusals": outcomes.send_refusals(proposal) if can_propose else [],
        "line_form": forms.get("line_form") or LineForm(),
        "header_form": forms.get("header_form") or HeaderForm(initial=_header(proposal)),
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "reject_form": forms.get("reject_form") or CustomerRejectForm(),
    }
    return render(request, "proposals/detail.html", context, status=status)


def _header(proposal: Proposal) -> dict:
    return {name: getattr(proposal, name) for name in services.HEADER_FIELDS}


@login_required
def detail(request, proposal_id: int):
    return _detail_page(request, selectors.proposal_or_404(request.user, proposal_id))


def _editable(request, proposal_id: int) -> Proposal:
    proposal = selectors.proposal_or_404(request.user, proposal_id)
    if not services.may_propose(request.user, proposal.account):
        raise Http404
    return proposal


def _done(request, proposal: Proposal, message: str):
    messages.success(request, message)
    return redirect("proposals:detail", proposal.pk)


def _refused(request, proposal: Proposal, error: ValidationError):
    for text in error.messages:
        messages.error(request, text)
    return redirect("proposals:detail", proposal.pk)


@login_required
@require_POST
def header(request, proposal_id: int):
    proposal = _editable(request, proposal_id)
    form = HeaderForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_update(actor=request.user, proposal=proposal, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            return _done(request, proposal, _("Proposal saved."))
    return _detail_page(request, proposal, status=400, header_form=form)


@login_required
@require_POST
def line_add(request, proposal_id: int):
    proposal = _editable(request, proposal_id)
    form = LineForm(request.POST)
    if form.is_valid():
        try:
            services.line_add(actor=request.user, proposal=proposal, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            return _done(request, proposal, _("Line added."))
    proposal.refresh_from_db()
    return _detail_page(request, proposal, status=400, line_form=form)


def _line(proposal: Proposal, line_id: int) -> ProposalLine:
    return get_object_or_404(ProposalLine, proposal=proposal, pk=line_id)


@login_required
@require_POST
def line_change(request, proposal_id: int, line_id: int):
    proposal = _editable(request, proposal_id)
    line = _line(proposal, line_id)
    form = LineChangeForm(request.POST)
    if not form.is_valid():
        return _refused(request, proposal, ValidationError(_errors(form)))
    try:
        services.line_update(actor=request.user, line=line, **form.cleaned_data)
    except ValidationError as error:
        return _refused(request, proposal, error)
    return _done(request, proposal, _("Line saved."))


@login_required
@require_POST
def line_remove(request, proposal_id: int, line_id: int):
    proposal = _editable(request, proposal_id)
    try:
        services.line_remove(actor=request.user, line=_line(proposal, line_id))
    except ValidationError as error:
        return _refused(request, proposal, error)
    return _done(request, proposal, _("Line removed."))


def _errors(form) -> list[str]:
    return [str(error) for errors in form.errors.values() for error in errors]


def _step(request, proposal_id: int, action, message: str, **kwargs):
    proposal = _editable(request, proposal_id)
    try:
        result = action(actor=request.user, proposal=proposal, **kwargs)
    except ValidationError as error:
        return _refused(request, proposal, error)
    target = result if isinstance(result, Proposal) else proposal
    return _done(request, target, message)


@login_required
@require_POST
def submit(request, proposal_id: int):
    proposal = _editable(request, proposal_id)
    try:
        approval_flow.submit(actor=request.user, proposal=proposal)
    except ValidationError as error:
        return _refused(request, proposal, error)
    if proposal.status == Status.APPROVED:
        return _done(request, proposal, _("Within every rule: approved with no one to ask."))
    return _done(request, proposal, _("Submitted: the approvers are asked."))


@login_required
@require_POST
def send(request, proposal_id: int):
    return _step(request, proposal_id, outcomes.send, _("Marked as sent to the customer."))


@login_required
@require_POST
def accept(request, proposal_id: int):
    return _step(request, proposal_id, outcomes.accept, _("Accepted: the opportunity is won."))


@login_required
@require_POST
def customer_reject(request, proposal_id: int):
    proposal = _editable(request, proposal_id)
    form = CustomerRejectForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, proposal, status=400, reject_form=form)
    return _step(
        request, proposal_id, outcomes.customer_reject, _("The customer's answer is recorded."),
        reason=form.cleaned_data["reason"], note=form.cleaned_data["note"],
    )  # fmt: skip


@login_required
@require_POST
def revise(request, proposal_id: int):
    return _step(request, proposal_id, services.proposal_revise, _("New version started."))


@login_required
@require_POST
def decide(request, proposal_id: int, request_id: int):
    proposal = selectors.proposal_or_404(request.user, proposal_id)
    approval = get_object_or_404(
        ApprovalRequest.objects.select_related("rule", "step", "proposal"),
        proposal=proposal, pk=request_id,
    )  # fmt: skip
    if not approval_flow.may_decide(request.user, approval):
        raise Http404  # a request is seen only by whoever may decide it
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, proposal, status=400, decision_form=form)
    decision = form.cleaned_data["decision"]
    try:
        if decision == "approve":
            approval_flow.approve(
                actor=request.user, request=approval, note=form.cleaned_data["note"]
            )
            message = _("Approved.")
        else:
            approval_flow.reject(
                actor=request.user, request=approval, note=form.cleaned_data["note"]
            )
            message = _("Rejected: the proposal is back in draft.")
    except ValidationError as error:
        form.add_service_error(error)
        return _detail_page(request, proposal, status=400, decision_form=form)
    return _done(request, proposal, message)


@login_required
def pdf(request, proposal_id: int):
    from openkam.proposals.pdf import proposal_pdf  # fpdf loads fonts only when asked

    proposal = selectors.proposal_or_404(request.user, proposal_id)
    response = HttpResponse(proposal_pdf(proposal), content_type="application/pdf")
    name = slugify(f"{proposal.number} v{proposal.version} {proposal.account.name}")[:80]
    response["Content-Disposition"] = f'inline; filename="{name or "proposal"}.pdf"'
    return response
