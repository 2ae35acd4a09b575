"""What every plan page needs: the visible record or 404, and the edit guard."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect

from openkam.plans import selectors
from openkam.plans.models import AccountPlan, Objective, PlanAction, PlanRisk
from openkam.users import permissions


def is_partial(request) -> bool:
    htmx = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not htmx.history_restore_request and not htmx.boosted


def require_edit(user) -> None:
    """Read-only roles get the same answer as for a record they cannot see."""
    if not permissions.can_edit_account_work(user):
        raise Http404


def plan_or_404(user, pk: int) -> AccountPlan:
    try:
        return selectors.plan_get(user=user, pk=pk, today=permissions.today())
    except AccountPlan.DoesNotExist as missing:
        raise Http404 from missing


def _child_or_404(model, user, pk: int):
    return get_object_or_404(
        model.objects.visible_to(user).select_related("plan", "plan__account"), pk=pk
    )


def objective_or_404(user, pk: int) -> Objective:
    return _child_or_404(Objective, user, pk)


def action_or_404(user, pk: int) -> PlanAction:
    return _child_or_404(PlanAction, user, pk)


def risk_or_404(user, pk: int) -> PlanRisk:
    return _child_or_404(PlanRisk, user, pk)


def back_to_plan(plan: AccountPlan, anchor: str = ""):
    response = redirect("plans:detail", pk=plan.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response
