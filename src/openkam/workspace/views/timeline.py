"""The account timeline page: a filterable, paged list of everything that happened."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from openkam.accounts import access
from openkam.accounts.models import Account
from openkam.core import bounds
from openkam.workspace.timeline import SOURCES, selected_kinds, timeline_page


@login_required
def timeline(request, pk: int):
    user = request.user
    account = access.visible_or_404(Account, user, pk=pk)
    asked = request.GET.getlist("type")
    kinds = selected_kinds(asked)
    page = timeline_page(
        user=user, account=account, kinds=kinds, page=bounds.page_number(request.GET.get("page"))
    )
    context = {
        "nav": "accounts",
        "account": account,
        "page": page,
        "filters": [
            (name, label, name in kinds and bool(asked)) for name, (label, _) in SOURCES.items()
        ],
        "type_query": "".join(f"&type={kind}" for kind in kinds) if asked else "",
    }
    template = (
        "workspace/_timeline_list.html" if _is_partial(request) else "workspace/timeline.html"
    )
    return render(request, template, context)


def _is_partial(request) -> bool:
    htmx = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not htmx.history_restore_request and not htmx.boosted
