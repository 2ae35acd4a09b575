"""Opportunity pages: the pipeline board at /pipeline/, the list and its XLSX at
/pipeline/list/, an opportunity at /opportunities/<id>/, and one account's at
/accounts/<id>/opportunities/ (namespace "account_opportunities")."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openkam.accounts import access
from openkam.accounts.models import Account
from openkam.core import bounds
from openkam.opportunities import exports, selectors, services
from openkam.opportunities.forms import MoveForm, OpportunityForm, PipelineFilterForm
from openkam.opportunities.models import Kind, Opportunity, Outcome, Stage
from openkam.opportunities.selectors import PipelineFilter
from openkam.opportunities.whitespace import group_whitespace, product_lines
from openkam.users import permissions
from openkam.users.selectors import work_owners

LISTED = 500
MAX_VALUE = Decimal("9999999999999999.99")  # what the value column holds


def _filter(request) -> tuple[PipelineFilterForm, PipelineFilter]:
    form = PipelineFilterForm(request.GET or None, owners=work_owners())
    if not form.is_valid():
        return form, PipelineFilter()
    data = form.cleaned_data
    return form, PipelineFilter(
        owner=data["owner"].pk if data["owner"] else None,
        team=data["team"].pk if data["team"] else None,
        kind=data["kind"],
        currency=(data["currency"] or "").upper(),
        stage=data["stage"].pk if data["stage"] else None,
    )


@login_required
def board(request):
    form, flt = _filter(request)
    columns = selectors.board(request.user, flt)
    context = {
        "nav": "pipeline",
        "form": form,
        "columns": _with_move_options(columns),
        "by_owner": selectors.weighted_by(request.user, "owner", flt),
        "by_team": selectors.weighted_by(request.user, "owner__team", flt),
        "query": request.GET.urlencode(),
    }
    template = "opportunities/_board.html" if _htmx(request) else "opportunities/board.html"
    return render(request, template, context)


def _with_move_options(columns: list[selectors.Column]) -> list[tuple[selectors.Column, str]]:
    """Per open stage, the <option>s of its cards' "move to" list with that stage chosen:
    built once per column, not once per card (the board's largest cost was these lists).
    Won is offered from the board; lost needs its reason, given on the opportunity's page."""
    targets = [column.stage for column in columns]
    targets += Stage.objects.filter(is_active=True, outcome=Outcome.WON)
    return [
        (
            column,
            format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (stage.pk, mark_safe(" selected") if stage == column.stage else "", stage.label)
                    for stage in targets
                ),
            ),
        )
        for column in columns
    ]


@login_required
def list_view(request):
    form, flt = _filter(request)
    rows = selectors.opportunities_for(request.user, flt).order_by("expected_close", "pk")
    if request.GET.get("format") == "xlsx":
        return exports.pipeline_xlsx(rows.prefetch_related("product_lines"))
    context = {
        "nav": "pipeline", "form": form, "opportunities": rows[:LISTED],
        "query": request.GET.urlencode(),
    }  # fmt: skip
    return render(request, "opportunities/list.html", context)


def _account_page(request, account: Account, form=None, status: int = 200):
    rows = selectors.opportunities_for(request.user).filter(account=account)
    context = {
        "nav": "accounts",
        "account": account,
        "opportunities": rows.order_by("stage__position", "expected_close", "pk"),
        "can_sell": services.may_sell(request.user, account),
        "form": form
        or OpportunityForm(
            account=account,
            user=request.user,
            initial={"currency": account.currency, "expected_close": permissions.today()},
        ),  # fmt: skip
    }
    return render(request, "opportunities/account.html", context, status=status)


@login_required
def account_list(request, pk: int):
    return _account_page(request, access.visible_or_404(Account, request.user, pk=pk))


@login_required
@require_POST
def create(request, pk: int):
    account = access.visible_or_404(Account, request.user, pk=pk)
    if not services.may_sell(request.user, account):
        raise Http404
    form = OpportunityForm(request.POST, account=account, user=request.user)
    if form.is_valid():
        try:
            opportunity = services.opportunity_create(
                actor=request.user, account=account, **_service_fields(form.cleaned_data)
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Opportunity added."))
            return redirect("opportunities:detail", opportunity.pk)
    return _account_page(request, account, form=form, status=400)


def _service_fields(data: dict) -> dict:
    """Form data as the services take it: empty choices mean the defaults."""
    fields = dict(data)
    for name in ("probability", "stage", "owner"):
        if fields.get(name) is None:
            fields.pop(name, None)
    return fields


def _detail_page(request, opportunity: Opportunity, status: int = 200, **forms):
    can_sell = services.may_sell(request.user, opportunity.account)
    history = opportunity.stage_changes.select_related("from_stage", "to_stage", "by")
    context = {
        "nav": "pipeline",
        "opportunity": opportunity,
        "account": opportunity.account,
        "history": history,
        "can_sell": can_sell,
        "edit_form": forms.get("edit_form")
        or OpportunityForm(
            account=opportunity.account,
            user=request.user,
            new=False,
            initial=OpportunityForm.initial_for(opportunity),
        ),  # fmt: skip
        "move_form": forms.get("move_form") or MoveForm(initial={"stage": opportunity.stage_id}),
    }
    return render(request, "opportunities/detail.html", context, status=status)


@login_required
def detail(request, opportunity_id: int):
    opportunity = access.visible_or_404(Opportunity, request.user, pk=opportunity_id)
    return _detail_page(request, opportunity)


def _editable(request, opportunity_id: int) -> Opportunity:
    opportunity = access.visible_or_404(Opportunity, request.user, pk=opportunity_id)
    if not services.may_sell(request.user, opportunity.account):
        raise Http404
    return opportunity


@login_required
@require_POST
def edit(request, opportunity_id: int):
    opportunity = _editable(request, opportunity_id)
    form = OpportunityForm(request.POST, account=opportunity.account, user=request.user, new=False)
    if form.is_valid():
        fields = _service_fields(form.cleaned_data)
        lines = fields.pop("product_lines")
        people, rivals = fields.pop("stakeholders"), fields.pop("competitors")
        if fields.get("probability") is None:
            fields["probability"] = opportunity.stage.probability
        try:
            services.opportunity_update(
                actor=request.user, opportunity=opportunity, product_lines=lines,
                stakeholders=people, competitors=rivals, **fields,
            )  # fmt: skip
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Opportunity saved."))
            return redirect("opportunities:detail", opportunity.pk)
    opportunity.refresh_from_db()
    return _detail_page(request, opportunity, status=400, edit_form=form)


@login_required
@require_POST
def move(request, opportunity_id: int):
    opportunity = _editable(request, opportunity_id)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            services.opportunity_move(
                actor=request.user, opportunity=opportunity, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if _htmx(request):
                return board(request)
            return redirect("opportunities:detail", opportunity.pk)
    if _htmx(request):
        messages.error(request, " ".join(_errors(form)))
        return board(request)
    opportunity.refresh_from_db()
    return _detail_page(request, opportunity, status=400, move_form=form)


@login_required
def whitespace(request, pk: int):
    account = access.visible_or_404(Account, request.user, pk=pk)
    ws = group_whitespace(user=request.user, account=account, today=permissions.today())
    # The rows are the members the reader sees: whoever may change account work may sell
    # to each of them (what `services.may_sell` asks), with no query per member.
    may_sell = permissions.can_edit_account_work(request.user)
    context = {
        "nav": "accounts",
        "account": account,
        "map": ws,
        "editable": {row.account.pk for row in ws.rows} if may_sell else set(),
    }
    return render(request, "opportunities/whitespace.html", context)


@login_required
@require_POST
def create_from_cell(request, pk: int):
    """One click on a white cell: a cross-sell opportunity for that member and line, at
    the first stage, valued at the peers' median when there is one; then its page."""
    group = access.visible_or_404(Account, request.user, pk=pk)
    root_id = group.group_root_id or group.pk
    member = access.visible_or_404(
        Account.objects.filter(Q(group_root_id=root_id) | Q(pk=root_id)),
        request.user, pk=bounds.id_or_none(request.POST.get("account")) or 0,
    )  # fmt: skip
    line = (request.POST.get("line") or "").strip()[:100]
    if not services.may_sell(request.user, member) or line not in product_lines():
        raise Http404
    value = request.POST.get("value") or "0"
    try:
        amount = max(Decimal(0), Decimal(value)).quantize(Decimal("0.01"))
    except ArithmeticError:
        amount = Decimal(0)
    opportunity = services.opportunity_create(
        actor=request.user, account=member, title=_("%(line)s for %(account)s") % {
            "line": line, "account": member.name},
        kind=Kind.CROSS_SELL, value=min(amount, MAX_VALUE), currency=member.currency,
        expected_close=permissions.today() + timedelta(days=90), product_lines=[line],
    )  # fmt: skip
    messages.success(
        request, _("Opportunity added from the whitespace of %(group)s.") % {"group": group.name}
    )
    return redirect("opportunities:detail", opportunity.pk)


def _errors(form) -> list[str]:
    return [str(error) for errors in form.errors.values() for error in errors]


def _htmx(request) -> bool:
    """An htmx request from the board (not a history restore)."""
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request
