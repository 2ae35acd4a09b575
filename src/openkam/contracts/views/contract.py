"""One contract: its page, the form that starts one on an account, and its edit form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from openkam.accounts import access
from openkam.accounts.models import Account
from openkam.accounts.selectors import audit_history
from openkam.contracts import selectors, services
from openkam.contracts.forms import ContractFileForm, ContractForm
from openkam.contracts.models import Contract, ContractFile
from openkam.users import permissions

HISTORY_ENTRIES = 500  # of the account's, read to find the contract's own


def contracts():
    return Contract.objects.select_related("account")


def _about(entry, contract: Contract) -> bool:
    """Whether a history entry is about the contract or one of its files (a file's
    entries record its contract: the new value when added, the old one when removed)."""
    if entry.model == Contract._meta.label:
        return entry.object_id == str(contract.pk)
    if entry.model == ContractFile._meta.label:
        pair = (entry.changes or {}).get("contract") or []
        return contract.pk in pair
    return False


def contract_history(user, contract: Contract) -> list:
    """The contract's entries (and its files') in the account's history, newest first."""
    entries = audit_history(user=user, account=contract.account, limit=HISTORY_ENTRIES)
    return [entry for entry in entries if _about(entry, contract)]


def detail_context(request, contract: Contract, **extra) -> dict:
    user = request.user
    today = permissions.today()
    return {
        "nav": "accounts",
        "account": contract.account,
        "contract": selectors.contract_detail(user=user, contract=contract, today=today),
        "files": selectors.contract_files(user=user, contract=contract),
        "history": contract_history(user, contract),
        "today": today,
        "may_edit": permissions.can_edit_account_work(user),
        "file_form": extra.pop("file_form", None) or ContractFileForm(),
        **extra,
    }


@login_required
def contract_detail(request, pk: int):
    contract = access.visible_or_404(contracts(), request.user, pk=pk)
    return render(request, "contracts/detail.html", detail_context(request, contract))


@login_required
def contract_create(request, pk: int):
    """A new contract on the account (KAMs who may change the account's work)."""
    user = request.user
    account = access.editable_or_404(Account, user, pk=pk)
    initial = {"starts_on": permissions.today(), "commitment_currency": account.currency}
    form = ContractForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.contract_create(actor=user, account=account, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Contract created."))
            return redirect("contracts:detail", pk=contract.pk)
    context = {"nav": "accounts", "account": account, "form": form, "contract": None}
    status = 422 if form.errors else 200
    return render(request, "contracts/form.html", context, status=status)


@login_required
def contract_edit(request, pk: int):
    user = request.user
    contract = access.editable_or_404(contracts(), user, pk=pk)
    form = ContractForm(request.POST or None, initial=ContractForm.initial_for(contract))
    if request.method == "POST" and form.is_valid():
        try:
            services.contract_update(actor=user, contract=contract, **form.cleaned_data)
        except ValidationError as error:
            contract.refresh_from_db()
            form.add_service_error(error)
        else:
            messages.success(request, _("Contract saved."))
            return redirect("contracts:detail", pk=contract.pk)
    context = {"nav": "accounts", "account": contract.account, "form": form, "contract": contract}
    status = 422 if form.errors else 200
    return render(request, "contracts/form.html", context, status=status)
