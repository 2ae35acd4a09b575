"""One account's receivables: aging as of any day, open items, promises, disputes, steps,
and the split of a payment across invoices."""

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
from openkam.ledger.models import Invoice, Payment
from openkam.receivables import selectors, services
from openkam.receivables.forms import (
    AsOfForm,
    DisputeForm,
    PromiseForm,
    ResolveForm,
    SplitForm,
    StepForm,
)
from openkam.receivables.models import CollectionPolicy, Dispute, PromiseToPay
from openkam.stakeholders.models import Contact
from openkam.users import permissions


def _recordable_account(request, pk: int) -> Account:
    """An account the user may record collection work on; else the 404 of a missing one."""
    account = access.visible_or_404(Account, request.user, pk=pk)
    if not services.may_record_collection(request.user, account):
        raise Http404
    return account


def _contacts(user, account: Account):
    return Contact.objects.visible_to(user).filter(account=account, is_archived=False)


def _currencies(receivables, account: Account) -> list[str]:
    found = [item.currency for item in receivables.currencies]
    return found or [account.currency]


def _back(account: Account) -> str:
    return reverse("account_receivables:account", args=[account.pk])


@login_required
def account_view(request, pk: int):
    account = access.visible_or_404(Account, request.user, pk=pk)
    today = permissions.today()
    form = AsOfForm(request.GET or None)
    as_of, group = today, False
    if form.is_valid():
        as_of = form.cleaned_data["as_of"] or today
        group = form.cleaned_data["group"] and account.is_group_root
    user = request.user
    receivables = selectors.account_receivables(
        user=user, account=account, as_of=as_of, group=group
    )
    context = _context(request, account, receivables)
    context.update({"as_of_form": form, "group": group, "today": today})
    return render(request, "receivables/account.html", context)


def _context(request, account: Account, receivables, **forms) -> dict:
    user = request.user
    today = permissions.today()
    currencies = _currencies(receivables, account)
    contacts = _contacts(user, account)
    return {
        "nav": "accounts",
        "account": account,
        "receivables": receivables,
        "dso_norm": CollectionPolicy.current().dso_norm_days,
        "promises": selectors.account_promises(user=user, account=account, today=today),
        "disputes": selectors.account_disputes(user=user, account=account),
        "steps": selectors.account_steps(user=user, account=account),
        "payments": selectors.splittable_payments(user=user, account=account, today=today),
        "can_record": services.may_record_collection(user, account),
        "can_split": permissions.keeps_receivables(user),
        "promise_form": forms.get("promise_form")
        or PromiseForm(currencies=currencies, contacts=contacts),
        "step_form": forms.get("step_form")
        or StepForm(currencies=currencies, contacts=contacts, initial={"done_on": today}),
        "dispute_form": DisputeForm(),
        "resolve_form": ResolveForm(),
    }


def _invalid(request, account: Account, **forms):
    receivables = selectors.account_receivables(user=request.user, account=account)
    context = _context(request, account, receivables, **forms)
    context.update({"as_of_form": AsOfForm(), "group": False, "today": permissions.today()})
    return render(request, "receivables/account.html", context, status=400)


@login_required
@require_POST
def promise_create(request, pk: int):
    account = _recordable_account(request, pk)
    receivables = selectors.account_receivables(user=request.user, account=account)
    form = PromiseForm(
        request.POST,
        currencies=_currencies(receivables, account),
        contacts=_contacts(request.user, account),
    )
    if form.is_valid():
        try:
            services.promise_create(actor=request.user, account=account, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Promise to pay recorded."))
            return redirect(_back(account) + "#promises")
    return _invalid(request, account, promise_form=form)


@login_required
@require_POST
def promise_withdraw(request, pk: int, promise_id: int):
    account = _recordable_account(request, pk)
    promise = access.visible_or_404(PromiseToPay, request.user, pk=promise_id, account=account)
    services.promise_withdraw(actor=request.user, promise=promise)
    messages.success(request, _("Promise withdrawn."))
    return redirect(_back(account) + "#promises")


@login_required
@require_POST
def step_create(request, pk: int):
    account = _recordable_account(request, pk)
    receivables = selectors.account_receivables(user=request.user, account=account)
    form = StepForm(
        request.POST,
        currencies=_currencies(receivables, account),
        contacts=_contacts(request.user, account),
    )
    if form.is_valid():
        try:
            services.step_record(actor=request.user, account=account, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Collection step recorded."))
            return redirect(_back(account) + "#steps")
    return _invalid(request, account, step_form=form)


@login_required
@require_POST
def dispute_open(request, pk: int, invoice_id: int):
    account = _recordable_account(request, pk)
    invoice = access.visible_or_404(Invoice, request.user, pk=invoice_id, account=account)
    form = DisputeForm(request.POST)
    if form.is_valid():
        try:
            services.dispute_open(actor=request.user, invoice=invoice, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Invoice %(number)s disputed.") % {"number": invoice.number}
            )
    else:
        messages.error(request, _("Choose the reason of the dispute."))
    return redirect(_back(account) + "#disputes")


@login_required
@require_POST
def dispute_resolve(request, pk: int, dispute_id: int):
    account = _recordable_account(request, pk)
    dispute = access.visible_or_404(
        Dispute.objects.select_related("invoice__account"),
        request.user,
        pk=dispute_id,
        invoice__account=account,
    )
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            services.dispute_resolve(actor=request.user, dispute=dispute, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Dispute resolved."))
    else:
        messages.error(request, _("Say how the dispute was resolved."))
    return redirect(_back(account) + "#disputes")


@login_required
def payment_split(request, pk: int, payment_id: int):
    account = access.visible_or_404(Account, request.user, pk=pk)
    if not permissions.keeps_receivables(request.user):
        raise Http404
    payment = access.visible_or_404(Payment, request.user, pk=payment_id, account=account)
    invoices = selectors.split_candidates(user=request.user, payment=payment)
    current = {a.invoice_id: a.amount for a in payment.allocations.all()}
    initial = {f"invoice_{pk}": amount for pk, amount in current.items()}
    form = SplitForm(request.POST or None, invoices=invoices, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.allocation_set(actor=request.user, payment=payment, shares=form.shares())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Payment split saved."))
            return redirect(_back(account) + "#payments")
    context = {"nav": "accounts", "account": account, "payment": payment, "form": form}
    return render(request, "receivables/payment_split.html", context)
