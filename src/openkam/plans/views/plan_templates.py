"""Plan templates per segment: everyone may read them; heads and administrators edit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from openkam.accounts import access
from openkam.plans import selectors, services
from openkam.plans.forms import TemplateForm
from openkam.plans.models import PlanTemplate
from openkam.users import permissions


@login_required
def template_list(request):
    context = {
        "nav": "plans",
        "templates": selectors.template_list(include_archived=True),
        "may_manage": permissions.can_manage_portfolios(request.user),
    }
    return render(request, "plans/template_list.html", context)


def _template_form(request, template: PlanTemplate | None):
    permissions.portfolio_manager_or_404(request.user)
    initial = TemplateForm.initial_for(template) if template else {}
    form = TemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.service_fields()
        try:
            if template is None:
                services.template_create(actor=request.user, **data)
            else:
                services.template_update(actor=request.user, template=template, **data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Template saved."))
            return redirect("plans:templates")
    context = {"nav": "plans", "form": form, "template": template}
    return render(request, "plans/template_form.html", context)


@login_required
def template_create(request):
    return _template_form(request, None)


@login_required
def template_edit(request, pk: int):
    permissions.portfolio_manager_or_404(request.user)
    return _template_form(request, access.one_or_404(PlanTemplate, pk=pk))
