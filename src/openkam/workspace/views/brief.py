"""The meeting brief page: printable, readable on a phone."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from openkam.accounts import access
from openkam.accounts.models import Account
from openkam.core import bounds
from openkam.ledger import figures
from openkam.users import permissions
from openkam.workspace.brief import meeting_brief


@login_required
def brief(request, pk: int):
    user = request.user
    accounts = figures.with_trailing_revenue(Account.objects.all())
    account = access.visible_or_404(accounts, user, pk=pk)
    data = meeting_brief(
        user=user,
        account=account,
        today=permissions.today(),
        activity_id=bounds.id_or_none(request.GET.get("activity")),
    )
    return render(
        request, "workspace/brief.html", {"nav": "accounts", "account": account, "brief": data}
    )
