"""The plan page, its full edit form, in-place section edits and the review log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openkam.accounts import access
from openkam.plans import services
from openkam.plans.document import SECTIONS, plan_document, section_heading
from openkam.plans.forms import PlanEditForm, ReviewForm, SectionForm, without_empty_owner
from openkam.plans.models import ActionStatus
from openkam.plans.views.common import back_to_plan, is_partial, plans
from openkam.users import permissions


def detail_context(request, plan, **extra) -> dict:
    user = request.user
    return {
        "nav": "accounts",
        "account": plan.account,
        "doc": plan_document(user=user, plan=plan, today=permissions.today()),
        "may_edit": permissions.can_edit_account_work(user),
        "review_form": extra.pop("review_form", None) or ReviewForm(),
        "action_statuses": ActionStatus.choices,
        **extra,
    }


@login_required
def plan_detail(request, pk: int):
    plan = access.visible_or_404(plans(), request.user, pk=pk)
    return render(request, "plans/detail.html", detail_context(request, plan))


@login_required
def plan_edit(request, pk: int):
    """Every field of the plan on one page (the plan page edits sections in place)."""
    plan = access.editable_or_404(plans(), request.user, pk=pk)
    form = PlanEditForm(request.POST or None, initial=PlanEditForm.initial_for(plan))
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(
                actor=request.user, plan=plan, **without_empty_owner(form.cleaned_data)
            )
        except ValidationError as error:
            plan.refresh_from_db()
            form.add_service_error(error)
        else:
            messages.success(request, _("Plan saved."))
            return back_to_plan(plan)
    context = {"nav": "accounts", "account": plan.account, "plan": plan, "form": form}
    return render(request, "plans/edit.html", context)


@login_required
def section_edit(request, pk: int, section: str):
    """One text section: htmx swaps the form in and the saved text back."""
    if section not in SECTIONS:
        raise Http404
    plan = access.editable_or_404(plans(), request.user, pk=pk)
    initial = {section: getattr(plan, section)}
    form = SectionForm(request.POST or None, section=section, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as error:
            plan.refresh_from_db()
            form.add_service_error(error)
        else:
            if not is_partial(request):
                return back_to_plan(plan, section)
            context = {
                "plan": plan,
                "name": section,
                "heading": _heading(section),
                "text": getattr(plan, section),
                "may_edit": True,
            }
            return render(request, "plans/_section.html", context)
    context = {"plan": plan, "form": form, "name": section, "heading": _heading(section)}
    template = "plans/_section_form.html" if is_partial(request) else "plans/section_edit.html"
    return render(request, template, context | {"nav": "accounts", "account": plan.account})


def _heading(section: str) -> str:
    return section_heading(section)


@login_required
@require_POST
def review_create(request, pk: int):
    """The KAM or the head records a review; the plan's health follows it."""
    plan = access.editable_or_404(plans(), request.user, pk=pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review_record(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Review recorded."))
            return back_to_plan(plan, "reviews")
    context = detail_context(request, plan, review_form=form)
    return render(request, "plans/detail.html", context, status=422)
