"""Credit pages: an account's credit at /accounts/<id>/credit/ (namespace
"account_credit"), the credit desk and exceptions at /credit/."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openkam.accounts import access
from openkam.accounts.models import Account
from openkam.credit import evidence, selectors, services
from openkam.credit.forms import CheckForm, DecisionForm, LimitForm
from openkam.credit.models import CreditException, ExceptionStatus, LimitScope
from openkam.users import permissions


def _keepable_account(request, pk: int) -> Account:
    account = access.visible_or_404(Account, request.user, pk=pk)
    if not services.may_keep_credit(request.user, account):
        raise Http404
    return account


def _account_page(request, account: Account, status: int = 200, **forms):
    today = permissions.today()
    keeps = services.may_keep_credit(request.user, account)
    context = {
        "nav": "accounts",
        "account": account,
        "credit": selectors.account_credit(user=request.user, account=account, today=today),
        "can_keep": keeps,
        "limit_form": forms.get("limit_form")
        or LimitForm(
            initial={"currency": account.currency, "valid_from": today, "scope": LimitScope.ACCOUNT}
        ),  # fmt: skip
        "check_form": forms.get("check_form") or CheckForm(initial={"checked_on": today}),
    }
    return render(request, "credit/account.html", context, status=status)


@login_required
def account_view(request, pk: int):
    return _account_page(request, access.visible_or_404(Account, request.user, pk=pk))


@login_required
@require_POST
def limit_create(request, pk: int):
    account = _keepable_account(request, pk)
    form = LimitForm(request.POST)
    if form.is_valid():
        try:
            services.limit_set(actor=request.user, account=account, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Credit limit set."))
            return redirect(reverse("account_credit:account", args=[account.pk]) + "#limits")
    return _account_page(request, account, status=400, limit_form=form)


@login_required
@require_POST
def check_create(request, pk: int):
    account = _keepable_account(request, pk)
    form = CheckForm(request.POST)
    if form.is_valid():
        try:
            services.check_record(actor=request.user, account=account, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Credit check recorded."))
            return redirect(reverse("account_credit:account", args=[account.pk]) + "#checks")
    return _account_page(request, account, status=400, check_form=form)


@login_required
def desk_view(request):
    """Exceptions awaiting a decision and credit reviews falling due."""
    user = request.user
    today = permissions.today()
    context = {
        "nav": "receivables",
        "pending": selectors.pending_exceptions(user),
        "decided": selectors.exceptions_for(user).exclude(status=ExceptionStatus.PENDING)[:30],
        "reviews": selectors.reviews_due(user, today),
        "today": today,
    }
    return render(request, "credit/desk.html", context)


def _exception_page(request, exception: CreditException, status: int = 200, form=None):
    context = {
        "nav": "receivables",
        "exception": exception,
        "evidence_steps": evidence.steps_of(exception.evidence),
        "account": exception.account,
        "can_decide": services.may_decide(request.user, exception)
        and exception.status == ExceptionStatus.PENDING,
        "can_withdraw": access.may_edit(request.user, exception.account)
        and exception.status == ExceptionStatus.PENDING,
        "form": form or DecisionForm(),
    }
    return render(request, "credit/exception.html", context, status=status)


@login_required
def exception_view(request, exception_id: int):
    exception = access.visible_or_404(
        selectors.exceptions_for(request.user), request.user, pk=exception_id
    )
    return _exception_page(request, exception)


@login_required
@require_POST
def exception_decide(request, exception_id: int):
    exception = access.visible_or_404(CreditException, request.user, pk=exception_id)
    if not services.may_decide(request.user, exception):
        raise Http404
    form = DecisionForm(request.POST)
    approve = request.POST.get("decision") == "approve"
    if form.is_valid():
        try:
            services.exception_decide(
                actor=request.user, exception=exception, approve=approve,
                note=form.cleaned_data["note"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request, _("Exception approved.") if approve else _("Exception rejected.")
            )
            return redirect("credit:exception", exception.pk)
    return _exception_page(request, exception, status=400, form=form)


@login_required
@require_POST
def exception_withdraw(request, exception_id: int):
    exception = access.visible_or_404(CreditException, request.user, pk=exception_id)
    if not access.may_edit(request.user, exception.account):
        raise Http404
    try:
        services.exception_withdraw(actor=request.user, exception=exception)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Request withdrawn."))
    return redirect("credit:exception", exception.pk)
