"""Objectives, actions and risks of a plan: create, edit, delete; an action's status."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from openkam.accounts import access
from openkam.plans import selectors, services
from openkam.plans.forms import ActionForm, ObjectiveForm, RiskForm, without_empty_owner
from openkam.plans.models import ActionStatus, Objective, PlanAction, PlanRisk
from openkam.plans.views.common import back_to_plan, is_partial, plans
from openkam.users import permissions

if TYPE_CHECKING:
    from openkam.plans.selectors import ActionWithActivities


def _form_page(request, *, plan, form, save: Callable[[dict], object], title, anchor: str):
    """Validate, call the service, go back to the plan; or show the form with its errors."""
    if request.method == "POST" and form.is_valid():
        try:
            save(without_empty_owner(form.cleaned_data))
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Saved."))
            return back_to_plan(plan, anchor)
    context = {
        "nav": "accounts",
        "account": plan.account,
        "plan": plan,
        "form": form,
        "title": title,
    }
    return render(request, "plans/item_form.html", context)


# --- objectives ---------------------------------------------------------------------------


@login_required
def objective_create(request, pk: int):
    plan = access.editable_or_404(plans(), request.user, pk=pk)
    initial = {"due_on": plan.period_end, "owner": plan.owner}
    form = ObjectiveForm(request.POST or None, initial=initial, plan=plan)

    def save(data):
        services.objective_create(actor=request.user, plan=plan, **data)

    return _form_page(
        request,
        plan=plan,
        form=form,
        save=save,
        title=gettext_lazy("New objective"),
        anchor="objectives",
    )


@login_required
def objective_edit(request, pk: int):
    objective = access.editable_or_404(
        Objective.objects.select_related("plan__account"), request.user, pk=pk
    )
    form = ObjectiveForm(
        request.POST or None, initial=ObjectiveForm.initial_for(objective), plan=objective.plan
    )

    def save(data):
        services.objective_update(actor=request.user, objective=objective, **data)

    return _form_page(
        request,
        plan=objective.plan,
        form=form,
        save=save,
        title=gettext_lazy("Edit objective"),
        anchor="objectives",
    )


@login_required
@require_POST
def objective_delete(request, pk: int):
    objective = access.editable_or_404(
        Objective.objects.select_related("plan__account"), request.user, pk=pk
    )
    services.objective_delete(actor=request.user, objective=objective)
    messages.success(request, _("Objective deleted."))
    return back_to_plan(objective.plan, "objectives")


# --- actions ------------------------------------------------------------------------------


@login_required
def action_create(request, pk: int):
    plan = access.editable_or_404(plans(), request.user, pk=pk)
    initial = {"owner": request.user, "objective": request.GET.get("objective")}
    form = ActionForm(request.POST or None, plan=plan, initial=initial)

    def save(data):
        services.action_create(actor=request.user, plan=plan, **data)

    return _form_page(
        request, plan=plan, form=form, save=save, title=gettext_lazy("New action"), anchor="actions"
    )


@login_required
def action_edit(request, pk: int):
    action = access.editable_or_404(
        PlanAction.objects.select_related("plan__account"), request.user, pk=pk
    )
    form = ActionForm(
        request.POST or None, plan=action.plan, initial=ActionForm.initial_for(action)
    )

    def save(data):
        services.action_update(actor=request.user, action=action, today=permissions.today(), **data)

    return _form_page(
        request,
        plan=action.plan,
        form=form,
        save=save,
        title=gettext_lazy("Edit action"),
        anchor="actions",
    )


@login_required
@require_POST
def action_status(request, pk: int):
    """Move an action along (open, in progress, done, cancelled); htmx swaps its row."""
    action = access.editable_or_404(
        PlanAction.objects.select_related("plan__account"), request.user, pk=pk
    )
    today = permissions.today()
    try:
        services.action_set_status(
            actor=request.user, action=action, status=request.POST.get("status", ""), today=today
        )
    except ValidationError:
        messages.error(request, _("Unknown status."))
        action.refresh_from_db()
    if not is_partial(request):
        return back_to_plan(action.plan, "actions")
    action.is_overdue = action.status in selectors.OPEN_STATUSES and action.due_on < today
    cast("ActionWithActivities", action).activity_count = action.activities.count()
    context = {"action": action, "may_edit": True, "action_statuses": ActionStatus.choices}
    return render(request, "plans/_action_row.html", context)


@login_required
@require_POST
def action_delete(request, pk: int):
    action = access.editable_or_404(
        PlanAction.objects.select_related("plan__account"), request.user, pk=pk
    )
    services.action_delete(actor=request.user, action=action)
    messages.success(request, _("Action deleted."))
    return back_to_plan(action.plan, "actions")


def _offer_visible_competitors(form: RiskForm, user) -> None:
    """A threat names a competitor the user may see (not those only at hidden accounts)."""
    field = cast(forms.ModelChoiceField, form.fields["competitor"])
    field.queryset = selectors.competitor_choices(user=user)


# --- risks --------------------------------------------------------------------------------


@login_required
def risk_create(request, pk: int):
    plan = access.editable_or_404(plans(), request.user, pk=pk)
    form = RiskForm(request.POST or None, initial={"kind": request.GET.get("kind", "risk")})
    _offer_visible_competitors(form, request.user)

    def save(data):
        services.risk_create(actor=request.user, plan=plan, **data)

    return _form_page(
        request, plan=plan, form=form, save=save, title=gettext_lazy("New risk"), anchor="risks"
    )


@login_required
def risk_edit(request, pk: int):
    risk = access.editable_or_404(
        PlanRisk.objects.select_related("plan__account"), request.user, pk=pk
    )
    form = RiskForm(request.POST or None, initial=RiskForm.initial_for(risk))
    # The risk's own competitor is among them: it is named in a plan the user sees.
    _offer_visible_competitors(form, request.user)

    def save(data):
        services.risk_update(actor=request.user, risk=risk, **data)

    return _form_page(
        request,
        plan=risk.plan,
        form=form,
        save=save,
        title=gettext_lazy("Edit risk"),
        anchor="risks",
    )


@login_required
@require_POST
def risk_delete(request, pk: int):
    risk = access.editable_or_404(
        PlanRisk.objects.select_related("plan__account"), request.user, pk=pk
    )
    services.risk_delete(actor=request.user, risk=risk)
    messages.success(request, _("Risk deleted."))
    return back_to_plan(risk.plan, "risks")
