"""The start page: what needs the KAM this week, the team for heads, the portfolio at a glance."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render

from openkam.accounts.models import Account, Tier
from openkam.ledger import figures
from openkam.users import permissions
from openkam.users.selectors import recent_jobs
from openkam.workspace.home import kam_home

TOP = 10


@login_required
def home(request):
    user = request.user
    today = permissions.today()
    visible = Account.objects.visible_to(user).filter(is_archived=False)
    counts = visible.aggregate(
        total=Count("pk"),
        key=Count("pk", filter=Q(tier=Tier.KEY)),
        strategic=Count("pk", filter=Q(tier=Tier.STRATEGIC)),
    )
    period = figures.trailing_period(today)
    ranked = figures.with_trailing_revenue(visible, period).order_by("-revenue_12m", "name", "pk")
    context = {
        "nav": "home",
        "today": today,
        "counts": counts,
        "home": kam_home(user=user, today=today),
        "key_accounts": ranked.filter(tier__in=[Tier.KEY, Tier.STRATEGIC])[:TOP],
        "top_accounts": ranked[:TOP],
        "revenue_period": period,
        "jobs": recent_jobs(user=user) if permissions.can_import(user) else [],
        "sees_all": permissions.sees_all_accounts(user),
    }
    return render(request, "workspace/home.html", context)
