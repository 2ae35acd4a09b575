"""The weekly planner and the "plan an activity" form."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from openkam.accounts import access
from openkam.activities import selectors, services
from openkam.activities.forms import ActivityForm
from openkam.activities.models import ActivityKind
from openkam.core import bounds
from openkam.users import permissions


def _week_from(raw: str, today: date) -> date:
    return selectors.monday_of(bounds.date_or_none(raw) or today)


def _days(week_start: date, activities) -> list[dict]:
    days: list[dict] = [{"day": week_start + timedelta(days=i), "activities": []} for i in range(7)]
    for activity in activities:
        index = (selectors.local_date(activity.starts_at) - week_start).days
        days[index]["activities"].append(activity)
    return days


@login_required
def planner(request):
    user = request.user
    today = permissions.today()
    week_start = _week_from(request.GET.get("week", ""), today)
    week = list(selectors.week_activities(user=user, week_start=week_start))
    # Finance and viewers read accounts but work none: no overdue list to clear, no accounts
    # to contact, no counts of their conversations, no calendar of their own plans.
    may_edit = permissions.can_edit_account_work(user)
    context = {
        "nav": "planner",
        "today": today,
        "week_start": week_start,
        "week_end": week_start + timedelta(days=6),
        "previous_week": week_start - timedelta(days=7),
        "next_week": week_start + timedelta(days=7),
        "this_week": selectors.monday_of(today),
        "days": _days(week_start, week),
        "planned_count": sum(1 for a in week if a.status == "planned"),
        "done_count": sum(1 for a in week if a.status == "done"),
        "may_edit": may_edit,
    }
    if may_edit:
        context.update(
            overdue=list(selectors.overdue_activities(user=user, today=today)),
            suggestions=selectors.contact_suggestions(user=user, today=today),
            week_counts=selectors.week_counts(user=user, week_start=week_start),
        )
    return render(request, "activities/planner.html", context)


@login_required
def activity_create(request):
    """Plan an activity; ?account=&kind=&plan_action= pre-fill it.

    The planner's "plan a visit" names the account and kind; a plan's open action names
    its account and itself.
    """
    user = request.user
    access.require_edit_role_or_404(user)
    initial = {
        "account": request.GET.get("account"),
        "kind": request.GET.get("kind") or ActivityKind.MEETING,
        "plan_action": request.GET.get("plan_action"),
    }
    form = ActivityForm(request.POST or None, user=user, initial=initial)
    if form.is_bound and form.data.get("account") and form.account is None:
        raise Http404  # an account the user may not see: as if it did not exist
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity = services.activity_create(actor=user, **data)
        except ValidationError as error:
            form.add_service_error(error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Activity planned."))
            return redirect("activities:detail", pk=activity.pk)
    context = {"nav": "planner", "form": form, "activity": None, "account": form.account}
    return render(request, "activities/form.html", context)


@login_required
def contact_options(request):
    """The stakeholder and plan-action fields for the chosen account (htmx swap)."""
    access.require_edit_role_or_404(request.user)
    form = ActivityForm(user=request.user, initial={"account": request.GET.get("account")})
    return render(request, "activities/_account_fields.html", {"form": form})
