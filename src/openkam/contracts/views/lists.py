"""The list of contracts across the visible accounts, and one account's contracts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import render

from openkam.accounts import access
from openkam.accounts.models import Account
from openkam.contracts import selectors
from openkam.contracts.forms import filter_choices
from openkam.contracts.models import ContractKind, ContractStatus
from openkam.core import bounds
from openkam.users import permissions

PER_PAGE = 50
ENDING_CHOICES = (30, 60, 90, 180, 365)


def is_partial(request) -> bool:
    htmx = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not htmx.history_restore_request and not htmx.boosted


def filters_from(params: QueryDict) -> selectors.ContractFilters:
    kind = params.get("kind", "")
    status = params.get("status", "")
    ending = bounds.id_or_none(params.get("ending"))
    return selectors.ContractFilters(
        q=bounds.search_text(params.get("q")),
        kind=kind if kind in ContractKind.values else "",
        status=status if status in ContractStatus.values else "",
        ending_within=min(ending, selectors.MAX_ENDING_DAYS) if ending else None,
        at_risk=params.get("at_risk") == "1",
    )


def _query(filters: selectors.ContractFilters) -> str:
    """The filters as a query string, for the pages' links."""
    params = QueryDict(mutable=True)
    for name, value in (
        ("q", filters.q),
        ("kind", filters.kind),
        ("status", filters.status),
        ("ending", filters.ending_within or ""),
        ("at_risk", "1" if filters.at_risk else ""),
    ):
        if value:
            params[name] = str(value)
    return params.urlencode()


@login_required
def contract_list(request):
    today = permissions.today()
    filters = filters_from(request.GET)
    rows = selectors.contract_rows(user=request.user, today=today, filters=filters)
    page = Paginator(rows, PER_PAGE).get_page(bounds.page_number(request.GET.get("page")))
    context = {
        "nav": "contracts",
        "filters": filters,
        "query": _query(filters),
        "page": page,
        "contracts": page.object_list,
        "today": today,
        "ending_choices": ENDING_CHOICES,
        **filter_choices(),
    }
    template = "contracts/_list_table.html" if is_partial(request) else "contracts/list.html"
    return render(request, template, context)


@login_required
def account_contracts(request, pk: int):
    user = request.user
    account = access.visible_or_404(Account, user, pk=pk)
    today = permissions.today()
    context = {
        "nav": "accounts",
        "account": account,
        "contracts": selectors.account_contracts(user=user, account=account, today=today),
        "today": today,
        "may_edit": permissions.can_edit_account_work(user),
    }
    return render(request, "contracts/account_contracts.html", context)
