"""Account list, account page and the dossier edit form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from openkam.accounts import access, extensions, selectors, services
from openkam.accounts.forms import AccountDossierForm
from openkam.accounts.models import Account, KeyStatusChange, Tier
from openkam.core import bounds
from openkam.users import permissions

PER_PAGE = 50
ARCHIVED_CHOICES = ("active", "archived", "all")


def filters_from(params) -> selectors.AccountFilters:
    archived = params.get("archived", "active")
    sort = params.get("sort", "name")
    return selectors.AccountFilters(
        q=bounds.search_text(params.get("q")),
        tier=params.get("tier", "") if params.get("tier") in Tier.values else "",
        segment=params.get("segment", "")[:100],
        country=params.get("country", "")[:2],
        region=params.get("region", "")[:100],
        owner=bounds.id_or_none(params.get("owner")),
        archived=archived if archived in ARCHIVED_CHOICES else "active",
        sort=sort if sort in selectors.SORTS else "name",
    )


def _is_partial(request) -> bool:
    htmx = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not htmx.history_restore_request and not htmx.boosted


@login_required
def account_list(request):
    filters = filters_from(request.GET)
    accounts = selectors.account_list(user=request.user, filters=filters)
    page = Paginator(accounts, PER_PAGE).get_page(bounds.page_number(request.GET.get("page")))
    context = {
        "nav": "accounts",
        "filters": filters,
        "page": page,
        "rows": extensions.figures().attach_group_revenue(
            selectors.attach_owners(page.object_list), user=request.user
        ),
        "tiers": Tier.choices,
        "revenue_period": extensions.figures().trailing_period(),
    }
    if _is_partial(request):
        return render(request, "accounts/_table.html", context)
    context.update(selectors.filter_choices(user=request.user))
    context["owners"] = selectors.owners_for_filter(user=request.user)
    return render(request, "accounts/list.html", context)


@login_required
def account_detail(request, pk: int):
    user = request.user
    figures = extensions.figures()
    accounts = figures.with_trailing_revenue(Account.objects.all())
    account = access.visible_or_404(accounts, user, pk=pk)
    hierarchy = selectors.group_hierarchy(user=user, account=account)
    whole_group = bool(hierarchy.subtree.children) and not hierarchy.ancestors
    may_edit = permissions.can_edit_account_work(user)
    series = figures.revenue_series(user=user, account=account, whole_group=whole_group)
    context = {
        "nav": "accounts",
        "account": account,
        "revenue_period": figures.trailing_period(),
        "assignments": selectors.assignments_of(user=user, account=account),
        "hierarchy": hierarchy,
        "chart_is_group": whole_group,
        "chart_data": [
            {"month": f"{row.month:%Y-%m}", "revenue": str(row.revenue), "margin": str(row.margin)}
            for row in series
        ],
        "status_changes": KeyStatusChange.objects.visible_to(user)
        .filter(account=account)
        .select_related("decided_by")[:20],
        "history": selectors.audit_history(user=user, account=account),
        "may_edit": may_edit,
        "panels": extensions.render_panels(request, account, may_edit=may_edit),
    }
    return render(request, "accounts/detail.html", context)


@login_required
def account_edit(request, pk: int):
    user = request.user
    account = access.editable_or_404(Account, user, pk=pk)
    form = AccountDossierForm(request.POST or None, initial=AccountDossierForm.initial_for(account))
    if request.method == "POST" and form.is_valid():
        try:
            services.account_update(actor=user, account=account, **form.cleaned_data)
        except ValidationError as error:
            account.refresh_from_db()
            form.add_service_error(error)
        else:
            messages.success(request, _("Account saved."))
            return redirect("accounts:detail", pk=account.pk)
    return render(
        request, "accounts/edit.html", {"nav": "accounts", "account": account, "form": form}
    )
