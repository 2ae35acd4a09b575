"""Order pages: a list at /orders/, one account's orders at /accounts/<id>/orders/
(namespace "account_orders"), an order at /orders/<id>/ with its credit verdict."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openkam.accounts import access
from openkam.accounts.models import Account
from openkam.credit.assessment import Verdict, check_order
from openkam.sales import selectors, services
from openkam.sales.forms import ChangeForm, CloseForm, ExceptionRequestForm, OrderFilter, OrderForm
from openkam.sales.models import Order, OrderStatus
from openkam.users import permissions


def _said(request, verdict: Verdict | None) -> None:
    if verdict is None:
        return
    if verdict.passed:
        messages.success(request, _("The order passed the credit check and is open."))
    else:
        messages.warning(request, _("The order is held for credit: %(reasons)s")
                         % {"reasons": " ".join(verdict.reasons)})  # fmt: skip


@login_required
def list_view(request):
    form = OrderFilter(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    orders = selectors.orders_for(request.user, status)[:200]
    return render(request, "sales/list.html", {"nav": "receivables", "orders": orders, "form": form})


def _account_page(request, account: Account, form=None, status: int = 200):
    context = {
        "nav": "accounts",
        "account": account,
        "orders": selectors.orders_for(request.user).filter(account=account)[:200],
        "can_order": services.may_order(request.user, account),
        "form": form
        or OrderForm(
            initial={"ordered_on": permissions.today(), "currency": account.currency}
        ),  # fmt: skip
    }
    return render(request, "sales/account.html", context, status=status)


@login_required
def account_list(request, pk: int):
    return _account_page(request, access.visible_or_404(Account, request.user, pk=pk))


@login_required
@require_POST
def order_create(request, pk: int):
    account = access.visible_or_404(Account, request.user, pk=pk)
    if not services.may_order(request.user, account):
        raise Http404
    form = OrderForm(request.POST)
    if form.is_valid():
        try:
            order, verdict = services.order_create(
                actor=request.user, account=account, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_error(error)
        except IntegrityError:
            form.add_error("number", _("This account already has an order with this number."))
        else:
            _said(request, verdict)
            return redirect("sales:detail", order.pk)
    return _account_page(request, account, form=form, status=400)


def _order_page(request, order: Order, status: int = 200, **forms):
    can = services.may_order(request.user, order.account)
    context = {
        "nav": "receivables",
        "order": order,
        "account": order.account,
        "verdict": check_order(
            order.account, order.currency, order.amount, permissions.today(), order.credit_exception
        )
        if order.status == OrderStatus.HELD
        else None,  # fmt: skip
        "can_order": can,
        "change_form": forms.get("change_form")
        or ChangeForm(initial={"amount": order.amount, "note": order.note}),
        "close_form": CloseForm(),
        "exception_form": forms.get("exception_form") or ExceptionRequestForm(),
    }
    return render(request, "sales/detail.html", context, status=status)


@login_required
def detail(request, order_id: int):
    return _order_page(request, access.visible_or_404(Order, request.user, pk=order_id))


def _editable_order(request, order_id: int) -> Order:
    order = access.visible_or_404(Order, request.user, pk=order_id)
    if not services.may_order(request.user, order.account):
        raise Http404
    return order


def _act(request, order: Order, action) -> None:
    try:
        result = action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        _said(request, result if isinstance(result, Verdict) else None)


@login_required
@require_POST
def order_change(request, order_id: int):
    order = _editable_order(request, order_id)
    form = ChangeForm(request.POST)
    if form.is_valid():
        try:
            _order, verdict = services.order_change(
                actor=request.user, order=order, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            _said(request, verdict)
            return redirect("sales:detail", order.pk)
    return _order_page(request, order, status=400, change_form=form)


@login_required
@require_POST
def order_copy(request, order_id: int):
    order = _editable_order(request, order_id)
    copy, verdict = services.order_copy(actor=request.user, order=order)
    _said(request, verdict)
    return redirect("sales:detail", copy.pk)


@login_required
@require_POST
def order_close(request, order_id: int):
    order = _editable_order(request, order_id)
    form = CloseForm(request.POST)
    if form.is_valid():
        _act(request, order, lambda: services.order_close(
            actor=request.user, order=order, status=form.cleaned_data["status"]))  # fmt: skip
    return redirect("sales:detail", order.pk)


@login_required
@require_POST
def order_reopen(request, order_id: int):
    order = _editable_order(request, order_id)
    _act(request, order, lambda: services.order_reopen(actor=request.user, order=order))
    return redirect("sales:detail", order.pk)


@login_required
@require_POST
def order_recheck(request, order_id: int):
    order = _editable_order(request, order_id)
    _act(request, order, lambda: services.order_recheck(actor=request.user, order=order))
    return redirect("sales:detail", order.pk)


@login_required
@require_POST
def order_ask_exception(request, order_id: int):
    order = _editable_order(request, order_id)
    form = ExceptionRequestForm(request.POST)
    if form.is_valid():
        try:
            services.order_ask_exception(actor=request.user, order=order, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Exception requested: a head will decide."))
            return redirect("sales:detail", order.pk)
    return _order_page(request, order, status=400, exception_form=form)
