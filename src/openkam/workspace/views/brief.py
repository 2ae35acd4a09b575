"""The meeting brief page: printable, readable on a phone."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from openkam.accounts import selectors as account_selectors
from openkam.accounts.models import Account
from openkam.users import permissions
from openkam.workspace.brief import meeting_brief


def _activity_id(raw) -> int | None:
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


@login_required
def brief(request, pk: int):
    user = request.user
    account = get_object_or_404(
        account_selectors.with_trailing_revenue(Account.objects.visible_to(user)), pk=pk
    )
    data = meeting_brief(
        user=user,
        account=account,
        today=permissions.today(),
        activity_id=_activity_id(request.GET.get("activity")),
    )
    return render(
        request, "workspace/brief.html", {"nav": "accounts", "account": account, "brief": data}
    )
