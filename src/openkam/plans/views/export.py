"""The plan to print (a page with print styles) and as a PDF file."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from openkam.accounts import access
from openkam.plans.document import Audience, plan_document
from openkam.plans.views.common import plans
from openkam.users import permissions


def _document(request, pk: int):
    plan = access.visible_or_404(plans(), request.user, pk=pk)
    audience = Audience.of(request.GET.get("for"))
    return plan, plan_document(
        user=request.user, plan=plan, today=permissions.today(), audience=audience
    )


@login_required
def plan_print(request, pk: int):
    plan, doc = _document(request, pk)
    return render(request, "plans/print.html", {"doc": doc, "plan": plan})


@login_required
def plan_pdf_file(request, pk: int):
    from openkam.plans.pdf import plan_pdf  # fpdf loads fonts: only when a PDF is asked for

    plan, doc = _document(request, pk)
    response = HttpResponse(plan_pdf(doc), content_type="application/pdf")
    suffix = "" if doc.is_internal else f" {_('for the client')}"
    name = slugify(f"{plan.account.name} {plan.title}{suffix}")[:80] or "plan"
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response
