"""An account's activities: the workspace tab."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from openkam.accounts import access
from openkam.accounts.models import Account
from openkam.activities import selectors
from openkam.activities.forms import ListFilterForm
from openkam.core import bounds
from openkam.users import permissions

PAGE_SIZE = 50


@login_required
def account_activities(request, pk: int):
    user = request.user
    account = access.visible_or_404(Account, user, pk=pk)
    filters = ListFilterForm(request.GET or None)
    kind = status = ""
    if filters.is_valid():
        kind, status = filters.cleaned_data["kind"], filters.cleaned_data["status"]
    activities = selectors.account_activities(user=user, account=account, kind=kind, status=status)
    page = Paginator(activities, PAGE_SIZE).get_page(bounds.page_number(request.GET.get("page")))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "nav": "accounts",
        "account": account,
        "filters": filters,
        "page": page,
        "query": query.urlencode(),
        "may_edit": permissions.can_edit_account_work(user),
    }
    return render(request, "activities/account_activities.html", context)
