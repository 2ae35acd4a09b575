"""Tender pages: the list (with the deadline alerts and its XLSX) at /tenders/, a tender
at /tenders/<id>/ with its checklist and the past prices of its issuer, and one account's
tenders at /accounts/<id>/tenders/ (namespace "account_tenders")."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openkam.accounts import access
from openkam.accounts.models import Account
from openkam.tenders import exports, selectors, services
from openkam.tenders.account_panels import panel_rows
from openkam.tenders.forms import DocumentForm, MoveForm, TenderFilterForm, TenderForm
from openkam.tenders.models import Tender, TenderDocument
from openkam.tenders.selectors import TenderFilter
from openkam.users.selectors import work_owners

LISTED = 500


def _filter(request) -> tuple[TenderFilterForm, TenderFilter]:
    form = TenderFilterForm(request.GET or None, owners=work_owners())
    if not form.is_valid():
        return form, TenderFilter()
    data = form.cleaned_data
    return form, TenderFilter(
        status=data["status"],
        owner=data["owner"].pk if data["owner"] else None,
        due_within=data["due_within"],
    )


@login_required
def list_view(request):
    form, flt = _filter(request)
    now = timezone.now()
    rows = selectors.tenders_for(request.user, flt, now=now).order_by("deadline", "pk")
    if request.GET.get("format") == "xlsx":
        return exports.tenders_xlsx(rows.prefetch_related("lines", "documents"))
    context = {
        "nav": "pipeline", "form": form, "tenders": rows[:LISTED],
        "alerts": selectors.deadline_alerts(request.user, now),
        "alert_days": selectors.alert_days(), "query": request.GET.urlencode(),
    }  # fmt: skip
    return render(request, "tenders/list.html", context)


def _account_page(request, account: Account, form=None, status: int = 200):
    rows = selectors.tenders_for(request.user).filter(account=account)
    context = {
        "nav": "accounts",
        "account": account,
        "tenders": rows.order_by("-deadline", "pk"),
        "alerts": selectors.deadline_alerts(request.user, timezone.now(), account=account),
        "alert_days": selectors.alert_days(),
        "can_edit": services.may_edit(request.user, account),
        "form": form or TenderForm(account=account, initial={"currency": account.currency}),
    }
    return render(request, "tenders/account.html", context, status=status)


@login_required
def account_list(request, pk: int):
    account = access.visible_or_404(Account, request.user, pk=pk)
    if request.GET.get("panel") == "1":  # the rows of the account page's section
        context = {"account": account, **panel_rows(request.user, account)}
        return render(request, "tenders/_account_panel_rows.html", context)
    return _account_page(request, account)


def _service_fields(data: dict) -> dict:
    fields = dict(data)
    if fields.get("owner") is None:
        fields.pop("owner", None)
    return fields


@login_required
@require_POST
def create(request, pk: int):
    account = access.visible_or_404(Account, request.user, pk=pk)
    if not services.may_edit(request.user, account):
        raise Http404
    form = TenderForm(request.POST, account=account)
    if form.is_valid():
        try:
            tender = services.tender_create(
                actor=request.user, account=account, **_service_fields(form.cleaned_data)
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Tender added."))
            return redirect("tenders:detail", tender.pk)
    return _account_page(request, account, form=form, status=400)


def _detail_page(request, tender: Tender, status: int = 200, **forms):
    account = tender.account
    lines = list(tender.lines.all())
    context = {
        "nav": "pipeline",
        "tender": tender,
        "account": account,
        "lines": lines,
        "can_edit": services.may_edit(request.user, account),
        "past": selectors.past_prices(
            request.user, account, [line.product_line for line in lines], exclude=tender
        ),
        "edit_form": forms.get("edit_form")
        or TenderForm(account=account, initial=TenderForm.initial_for(tender)),
        "move_form": forms.get("move_form")
        or MoveForm(account=account, initial={"status": tender.status}),
        "document_form": forms.get("document_form") or DocumentForm(),
    } | _checklist(tender)
    return render(request, "tenders/detail.html", context, status=status)


def _checklist(tender: Tender) -> dict:
    documents = list(tender.documents.select_related("responsible", "done_by"))
    return {"documents": documents, "open_documents": sum(not d.is_done for d in documents)}


@login_required
def detail(request, tender_id: int):
    tender = access.visible_or_404(Tender.objects.select_related("account"), request.user,
                                   pk=tender_id)  # fmt: skip
    return _detail_page(request, tender)


def _editable(request, tender_id: int) -> Tender:
    tender = access.visible_or_404(Tender, request.user, pk=tender_id)
    if not services.may_edit(request.user, tender.account):
        raise Http404
    return tender


@login_required
@require_POST
def edit(request, tender_id: int):
    tender = _editable(request, tender_id)
    form = TenderForm(request.POST, account=tender.account)
    if form.is_valid():
        fields = _service_fields(form.cleaned_data)
        lines, rivals = fields.pop("lines"), fields.pop("competitors")
        try:
            services.tender_update(
                actor=request.user, tender=tender, lines=lines, competitors=rivals, **fields
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Tender saved."))
            return redirect("tenders:detail", tender.pk)
    tender.refresh_from_db()
    return _detail_page(request, tender, status=400, edit_form=form)


@login_required
@require_POST
def move(request, tender_id: int):
    tender = _editable(request, tender_id)
    form = MoveForm(request.POST, account=tender.account)
    if form.is_valid():
        try:
            services.tender_move(actor=request.user, tender=tender, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Tender moved to “%(status)s”.")
                             % {"status": tender.get_status_display()})  # fmt: skip
            return redirect("tenders:detail", tender.pk)
    tender.refresh_from_db()
    return _detail_page(request, tender, status=400, move_form=form)


@login_required
@require_POST
def document_add(request, tender_id: int):
    tender = _editable(request, tender_id)
    form = DocumentForm(request.POST)
    if form.is_valid():
        try:
            services.document_add(actor=request.user, tender=tender, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if _htmx(request):
                return _checklist_fragment(request, tender)
            return redirect("tenders:detail", tender.pk)
    return _detail_page(request, tender, status=400, document_form=form)


@login_required
@require_POST
def document_toggle(request, tender_id: int, document_id: int):
    tender = _editable(request, tender_id)
    document = access.visible_or_404(
        TenderDocument.objects.filter(tender=tender), request.user, pk=document_id
    )
    services.document_toggle(actor=request.user, document=document)
    if _htmx(request):
        return _checklist_fragment(request, tender)
    return redirect("tenders:detail", tender.pk)


def _checklist_fragment(request, tender: Tender):
    context = {"tender": tender, "can_edit": True, "document_form": DocumentForm()}
    return render(request, "tenders/_checklist.html", context | _checklist(tender))


def _htmx(request) -> bool:
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request
