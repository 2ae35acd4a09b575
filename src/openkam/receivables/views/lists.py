"""Receivables across accounts: the finance view (stored aging, per account or per group,
with an XLSX export), the collections worklist, and the recompute."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openkam.core.jobs import job_create
from openkam.receivables import collections, exports, finance
from openkam.receivables.jobs import REFRESH_KIND, refresh_title
from openkam.receivables.models import CollectionPolicy
from openkam.users import permissions

PAGE_SIZE = 50


@login_required
def finance_view(request):
    user = request.user
    query = finance.FinanceQuery.from_params(request.GET)
    # The reader's accounts once, for every query below (see finance.Seen).
    seen = finance.Seen.of(user)
    policy = CollectionPolicy.current()
    rows = finance.finance_rows(seen=seen, query=query, policy=policy)
    if request.GET.get("format") == "xlsx":
        return exports.finance_xlsx(rows, query)
    # The totals, the currencies and the as-of day in one statement.
    totals = finance.totals(seen=seen, query=query, policy=policy)
    if query.by_group:
        paginator = Paginator(rows, PAGE_SIZE)  # groups: counted by the paginator
    else:  # a row per account and currency: the totals have counted them
        paginator = finance.CountedPaginator(rows, PAGE_SIZE, count=totals.count)
    context = {
        "nav": "receivables",
        "query": query,
        "page": paginator.get_page(request.GET.get("page")),
        "totals": totals.rows,
        "as_of": totals.as_of,
        "today": permissions.today(),
        "policy": policy,
        "kams": finance.kam_choices(seen),
        "currencies": totals.currencies,
        "can_refresh": permissions.keeps_receivables(user),
    }
    return render(request, "receivables/finance.html", context)


@login_required
def worklist_view(request):
    today = permissions.today()
    work = collections.worklist(user=request.user, today=today)
    due = [item for item in work if item.due_today]
    waiting = [item for item in work if not item.due_today]
    context = {"nav": "receivables", "due": due, "waiting": waiting, "today": today}
    return render(request, "receivables/worklist.html", context)


@login_required
@require_POST
def refresh_view(request):
    if not permissions.keeps_receivables(request.user):
        raise Http404
    params = {"as_of": permissions.today().isoformat()}
    job = job_create(
        kind=REFRESH_KIND, created_by=request.user, params=params, title=refresh_title(params)
    )
    messages.success(request, job.display_title)
    return redirect("receivables:list")
