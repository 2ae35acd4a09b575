"""The user's own settings: deputies for absences and personal API tokens."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openkam.core import bounds
from openkam.users import permissions, services
from openkam.users.forms import DeputyForm, TokenForm
from openkam.users.models import KAM_ROLES, ApiToken, Deputy, User


def _principals_for(user):
    if permissions.can_manage_portfolios(user):
        return User.objects.filter(is_active=True, role__in=KAM_ROLES)
    if user.role in KAM_ROLES:
        return User.objects.filter(pk=user.pk)
    return User.objects.none()


def _visible_deputies(user):
    rows = Deputy.objects.select_related("principal", "deputy")
    if permissions.can_manage_portfolios(user):
        return rows
    return rows.filter(Q(principal=user) | Q(deputy=user))


@login_required
def deputies(request):
    principals = _principals_for(request.user)
    form = DeputyForm(request.POST or None, principals=principals)
    if request.method == "POST":
        if not principals.exists():
            raise Http404
        if form.is_valid():
            try:
                services.deputy_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, _("Deputy saved."))
                return redirect("users:deputies")
    today = timezone.localdate()
    rows = _visible_deputies(request.user).filter(ends_on__gte=today - timedelta(days=90))
    return render(
        request,
        "users/deputies.html",
        {
            "nav": "deputies",
            "form": form if principals.exists() else None,
            "rows": rows,
            "today": today,
        },
    )


@login_required
@require_POST
def deputy_end(request, pk: int):
    row = bounds.one_or_404(_visible_deputies(request.user), pk=pk)
    if not permissions.can_manage_deputies_for(request.user, row.principal):
        raise Http404
    services.deputy_end(actor=request.user, row=row, on=timezone.localdate())
    messages.success(request, _("Deputy ended."))
    return redirect("users:deputies")


@login_required
def tokens(request):
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        new_token = services.token_issue(actor=request.user, name=form.cleaned_data["name"])
        form = TokenForm()
    rows = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    return render(
        request,
        "users/tokens.html",
        {"nav": "tokens", "form": form, "rows": rows, "new_token": new_token},
    )


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = bounds.one_or_404(ApiToken.objects.filter(user=request.user), pk=pk)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token revoked."))
    return redirect("users:tokens")
