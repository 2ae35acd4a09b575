"""The list of plans and an account's plans (where new plans start)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from openkam.accounts import access
from openkam.accounts.models import Account
from openkam.core import bounds
from openkam.plans import cadence, selectors, services
from openkam.plans.forms import PlanCreateForm, without_empty_owner
from openkam.plans.models import PlanHealth, PlanStatus
from openkam.plans.views.common import is_partial
from openkam.users import permissions

PER_PAGE = 50


def filters_from(params) -> selectors.PlanFilters:
    status = params.get("status", "")
    health = params.get("health", "")
    return selectors.PlanFilters(
        q=bounds.search_text(params.get("q")),
        status=status if status in {*PlanStatus.values, "all"} else "",
        health=health if health in {*PlanHealth.values, "none"} else "",
        needs_review=params.get("needs_review") == "1",
        mine=params.get("mine") == "1",
    )


def _flag(plans, today: date) -> list:
    for plan in plans:
        plan.review_overdue = cadence.review_overdue(plan, today=today)
    return plans


@login_required
def plan_list(request):
    today = permissions.today()
    filters = filters_from(request.GET)
    plans = selectors.plan_list(user=request.user, today=today, filters=filters)
    page = Paginator(plans, PER_PAGE).get_page(bounds.page_number(request.GET.get("page")))
    context = {
        "nav": "plans",
        "filters": filters,
        "page": page,
        "plans": _flag(list(page.object_list), today),
        "statuses": PlanStatus.choices,
        "healths": PlanHealth.choices,
        "may_manage_templates": permissions.can_manage_portfolios(request.user),
    }
    template = "plans/_list_table.html" if is_partial(request) else "plans/list.html"
    return render(request, template, context)


def _default_period(today: date, taken: set[date]) -> tuple[date, date]:
    """This calendar year, or the first later one the account has no plan for yet."""
    year = today.year
    while date(year, 1, 1) in taken:
        year += 1
    return date(year, 1, 1), date(year, 12, 31)


@login_required
def account_plans(request, pk: int):
    """The account's plans, and the form that starts a new one (template by segment)."""
    user = request.user
    today = permissions.today()
    account = access.visible_or_404(Account, user, pk=pk)
    may_edit = permissions.can_edit_account_work(user)
    suggested = selectors.template_for_segment(account.segment)
    plans = _flag(list(selectors.account_plans(user=user, account=account, today=today)), today)
    start, end = _default_period(today, {plan.period_start for plan in plans})
    initial = {"template": suggested, "period_start": start, "period_end": end, "owner": user}
    form = PlanCreateForm(request.POST or None, initial=initial)
    if request.method == "POST":
        access.require_edit_role_or_404(user)
        if form.is_valid():
            data = without_empty_owner(form.cleaned_data)
            try:
                plan = services.plan_create(actor=user, account=account, **data)
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("Plan created."))
                return redirect("plans:detail", pk=plan.pk)
    context = {
        "nav": "accounts",
        "account": account,
        "plans": plans,
        "current": selectors.current_plan(user=user, account=account, today=today),
        "form": form,
        "may_edit": may_edit,
        "suggested_template": suggested,
    }
    return render(request, "plans/account_plans.html", context)
