"""Competitors at an account: the list with an add form, edit and remove."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openkam.accounts import access
from openkam.accounts.models import Account
from openkam.users import permissions
from openkam.workspace import selectors, services
from openkam.workspace.forms import CompetitorAtAccountForm
from openkam.workspace.models import AccountCompetitor


@login_required
def competitors(request, pk: int):
    """GET: the competitors at the account; POST: add one (editors only)."""
    user = request.user
    account = access.visible_or_404(Account, user, pk=pk)
    may_edit = permissions.can_edit_account_work(user)
    form = CompetitorAtAccountForm()
    if request.method == "POST":
        access.require_edit_role_or_404(user)
        form = CompetitorAtAccountForm(request.POST)
        if form.is_valid() and _add(request, account, form):
            messages.success(request, _("Competitor added."))
            return redirect("account_workspace:competitors", pk=account.pk)
    context = {
        "nav": "accounts",
        "account": account,
        "rows": selectors.account_competitors(user=user, account=account),
        "names": selectors.competitor_names(user=user) if may_edit else [],
        "form": form,
        "may_edit": may_edit,
    }
    return render(request, "workspace/competitors.html", context)


def _add(request, account, form) -> bool:
    data = form.cleaned_data
    try:
        competitor = services.competitor_get_or_create(actor=request.user, name=data["name"])
        services.account_competitor_add(
            actor=request.user,
            account=account,
            competitor=competitor,
            product_lines=data["product_lines"],
            share_of_wallet=data["share_of_wallet"],
            notes=data["notes"],
        )
    except ValidationError as error:
        form.add_service_error(error)
        return False
    return True


@login_required
def competitor_edit(request, pk: int):
    user = request.user
    rows = AccountCompetitor.objects.select_related("competitor", "account")
    row = access.editable_or_404(rows, user, pk=pk)
    form = CompetitorAtAccountForm(
        request.POST or None, with_name=False, initial=CompetitorAtAccountForm.initial_for(row)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.account_competitor_update(
                actor=user, account_competitor=row, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Competitor saved."))
            return redirect("account_workspace:competitors", pk=row.account_id)
    context = {"nav": "accounts", "account": row.account, "row": row, "form": form}
    return render(request, "workspace/competitor_edit.html", context)


@require_POST
@login_required
def competitor_remove(request, pk: int):
    user = request.user
    rows = AccountCompetitor.objects.select_related("competitor", "account")
    row = access.editable_or_404(rows, user, pk=pk)
    services.account_competitor_remove(actor=user, account_competitor=row)
    messages.success(request, _("Competitor removed from the account."))
    return redirect("account_workspace:competitors", pk=row.account_id)
