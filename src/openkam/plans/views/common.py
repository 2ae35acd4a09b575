"""What every plan page needs: its plans' queryset for the gate, and partial answers."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import redirect

from openkam.plans import selectors
from openkam.plans.models import AccountPlan
from openkam.users import permissions


def is_partial(request) -> bool:
    htmx = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not htmx.history_restore_request and not htmx.boosted


def plans() -> QuerySet:
    """Plans with their flags, for `access.visible_or_404` / `editable_or_404`."""
    return selectors.plan_details(today=permissions.today())


def back_to_plan(plan: AccountPlan, anchor: str = ""):
    response = redirect("plans:detail", pk=plan.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response
