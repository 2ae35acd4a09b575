"""Promotion pages: the list at /promotions/ (running, upcoming, past), one promotion with
its accounts' progress (or lift once over) and the XLSX of the progress, the form for
heads; one account's promotions at /accounts/<id>/promotions/ ("account_promotions")."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from openkam.accounts import access
from openkam.accounts.models import Account
from openkam.core import bounds
from openkam.promotions import exports, selectors, services
from openkam.promotions.account_panels import panel_rows
from openkam.promotions.forms import PromotionForm
from openkam.promotions.models import Promotion, PromotionStatus
from openkam.users import permissions


def _base(request, **context) -> dict:
    return {
        "nav": "pricing",
        "today": permissions.today(),
        "may_edit": services.may_edit_promotions(request.user),
        **context,
    }


@login_required
def promotion_list(request):
    today = permissions.today()
    grouped = selectors.by_status(selectors.catalogue(user=request.user), today)
    sections = [
        (PromotionStatus.ACTIVE.label, grouped[PromotionStatus.ACTIVE]),
        (PromotionStatus.UPCOMING.label, grouped[PromotionStatus.UPCOMING]),
        (PromotionStatus.PAST.label, grouped[PromotionStatus.PAST]),
    ]
    return render(request, "promotions/list.html", _base(request, sections=sections))


def _promotion(request, pk: int) -> Promotion:
    return bounds.one_or_404(selectors.catalogue(user=request.user), pk=pk)


@login_required
def promotion_detail(request, pk: int):
    promotion = _promotion(request, pk)
    today = permissions.today()
    sort = request.GET.get("sort") or ""
    context = _base(request, promotion=promotion, sort=sort, status=promotion.status(today))
    context["accounts"] = selectors.eligible_accounts(user=request.user, promotion=promotion)
    if promotion.status(today) == PromotionStatus.PAST:
        rows, total = selectors.lift_rows(
            user=request.user, promotion=promotion, today=today, sort=sort or "-lift"
        )
        context.update(lift_rows=rows, lift_total=total)
    else:
        context["progress"] = selectors.progress_rows(
            user=request.user, promotion=promotion, today=today, sort=sort or "-progress"
        )
    context["chosen_accounts"] = access.visible(promotion.accounts.all(), request.user)
    return render(request, "promotions/detail.html", context)


@login_required
def promotion_export(request, pk: int):
    promotion = _promotion(request, pk)
    rows = selectors.progress_rows(
        user=request.user, promotion=promotion, today=permissions.today(),
        sort=request.GET.get("sort") or "-progress",
    )  # fmt: skip
    return exports.progress_xlsx(promotion, rows)


def _editor_or_404(request) -> None:
    if not services.may_edit_promotions(request.user):
        raise Http404


def _form_page(request, form, promotion=None, status=200):
    context = _base(request, form=form, promotion=promotion)
    return render(request, "promotions/form.html", context, status=status)


@login_required
def promotion_create(request):
    _editor_or_404(request)
    if request.method != "POST":
        today = permissions.today()
        form = PromotionForm(user=request.user, initial={"starts_on": today, "ends_on": today})
        return _form_page(request, form)
    form = PromotionForm(request.POST, user=request.user)
    if form.is_valid():
        fields = dict(form.cleaned_data)
        accounts, products = fields.pop("accounts"), fields.pop("products")
        try:
            promotion = services.promotion_create(
                actor=request.user, accounts=accounts, products=products, **fields
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Promotion added."))
            return redirect("promotions:detail", promotion.pk)
    return _form_page(request, form, status=400)


@login_required
def promotion_edit(request, pk: int):
    _editor_or_404(request)
    promotion = _promotion(request, pk)
    if request.method != "POST":
        form = PromotionForm(user=request.user, initial=PromotionForm.initial_for(promotion))
        return _form_page(request, form, promotion)
    form = PromotionForm(request.POST, user=request.user)
    if form.is_valid():
        fields = dict(form.cleaned_data)
        accounts, products = fields.pop("accounts"), fields.pop("products")
        try:
            services.promotion_update(
                actor=request.user, promotion=promotion, accounts=accounts, products=products,
                **fields,
            )  # fmt: skip
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Promotion saved."))
            return redirect("promotions:detail", promotion.pk)
    return _form_page(request, form, promotion, status=400)


@login_required
def account_promotions(request, pk: int):
    account = access.visible_or_404(Account, request.user, pk=pk)
    if request.GET.get("panel") == "1":  # the rows of the account page's section
        context = {"account": account, **panel_rows(account)}
        return render(request, "promotions/_account_panel_rows.html", context)
    today = permissions.today()
    rows = selectors.account_progress(account, today)
    current = [row for row in rows if row.promotion.status(today) != PromotionStatus.PAST]
    past = [
        (row.promotion, selectors.account_lift(account, row.promotion, today))
        for row in rows
        if row.promotion.status(today) == PromotionStatus.PAST
    ]
    context = _base(
        request, nav="accounts", account=account, current=current, past=past,
        clashes=selectors.clashes(account, today),
    )  # fmt: skip
    return render(request, "promotions/account.html", context)
