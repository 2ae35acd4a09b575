"""Portfolio pages: analysis, the ABC-XYZ cell list, exports, scoring models, settings,
recompute with progress, manual scores. Reads go through selectors that take the user."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openkam.accounts import access
from openkam.accounts.models import Account
from openkam.core import bounds
from openkam.portfolio import exports, selectors, services
from openkam.portfolio.forms import (
    AnalysisSettingsForm,
    CriterionFormSet,
    ManualScoreForm,
    ScoringModelForm,
    criterion_initial,
    put_service_errors,
)
from openkam.portfolio.jobs import latest_recompute_job
from openkam.portfolio.models import DEFAULT_METRIC, AnalysisSettings, ScoringModel
from openkam.users import permissions

PER_PAGE = 50


def _base(request, **extra) -> dict:
    return {
        "nav": "portfolio",
        "is_head": permissions.can_manage_portfolios(request.user),
        "sees_all": permissions.sees_all_accounts(request.user),
        **extra,
    }


@login_required
def analysis(request):
    filters = selectors.Filters.from_params(request.GET)
    summary = selectors.summary(user=request.user, filters=filters)
    context = _base(
        request,
        filters=filters,
        summary=summary,
        models=selectors.visible_models().filter(is_active=True),
        job=latest_recompute_job(),
        thresholds=AnalysisSettings.current(),
        chart={
            "pareto": summary.pareto,
            "share80": summary.share_for_80,
            "scatter": summary.scatter,
            "accountUrl": reverse("accounts:detail", args=[0]).replace("/0/", "/{id}/"),
        },
    )
    return render(request, "portfolio/analysis.html", context)


@login_required
def accounts(request):
    filters = selectors.Filters.from_params(request.GET)
    cutoffs = selectors.visible_cutoffs(user=request.user, filters=filters)
    rows = selectors.metrics_list(user=request.user, filters=filters, cutoffs=cutoffs)
    page = Paginator(rows, PER_PAGE).get_page(bounds.page_number(request.GET.get("page")))
    context = _base(
        request,
        filters=filters,
        page=page,
        rows=list(selectors.with_classes(page.object_list, cutoffs=cutoffs, basis=filters.basis)),
        run=selectors.latest_run(),
        model=selectors.chosen_model(filters.model_id),
        group=Account.objects.visible_to(request.user).filter(pk=filters.group).first()
        if filters.group
        else None,
    )
    return render(request, "portfolio/accounts.html", context)


def _export_name(filters: selectors.Filters) -> str:
    cell = f"-{filters.abc}{filters.xyz}" if filters.abc or filters.xyz else ""
    return f"portfolio-{filters.scope}{cell}"


def _export_args(request) -> tuple:
    filters = selectors.Filters.from_params(request.GET)
    cutoffs = selectors.visible_cutoffs(user=request.user, filters=filters)
    rows = selectors.metrics_list(user=request.user, filters=filters, cutoffs=cutoffs)
    return rows, cutoffs, filters.basis, _export_name(filters)


@login_required
def export_csv(request):
    return exports.csv_response(*_export_args(request))


@login_required
def export_xlsx(request):
    return exports.xlsx_response(*_export_args(request))


# --- recompute -------------------------------------------------------------------------


@login_required
@require_POST
def recompute(request):
    permissions.portfolio_manager_or_404(request.user)
    services.recompute_start(actor=request.user)
    if getattr(request, "htmx", None):
        return recompute_progress(request)
    messages.success(request, _("Recompute started."))
    return redirect("portfolio:analysis")


@login_required
def recompute_progress(request):
    permissions.portfolio_manager_or_404(request.user)
    return render(
        request,
        "portfolio/_recompute.html",
        _base(request, job=latest_recompute_job(), run=selectors.latest_run(), polled=True),
    )


# --- settings --------------------------------------------------------------------------


@login_required
def analysis_settings(request):
    permissions.portfolio_manager_or_404(request.user)
    current = AnalysisSettings.current()
    form = AnalysisSettingsForm(
        request.POST or None, initial=AnalysisSettingsForm.initial_for(current)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.analysis_settings_update(actor=request.user, **form.values())
        except ValidationError as error:
            for key, errors in error.message_dict.items():
                form.add_error(key if key in form.fields else None, errors)
        else:
            messages.success(request, _("Settings saved. Recompute to apply them."))
            return redirect("portfolio:analysis")
    return render(request, "portfolio/settings.html", _base(request, form=form))


# --- scoring models --------------------------------------------------------------------


@login_required
def model_list(request):
    return render(
        request, "portfolio/model_list.html", _base(request, models=selectors.visible_models())
    )


@login_required
def model_create(request):
    permissions.portfolio_manager_or_404(request.user)
    return _model_form(request, None)


@login_required
def model_edit(request, pk: int):
    model = access.one_or_404(selectors.visible_models(), pk=pk)
    if not permissions.can_manage_portfolios(request.user):
        if request.method == "POST":
            raise Http404
        return render(request, "portfolio/model_view.html", _base(request, model=model))
    return _model_form(request, model)


def _model_form(request, model: ScoringModel | None):
    form = ScoringModelForm(request.POST or None, initial=ScoringModelForm.initial_for(model))
    formset = CriterionFormSet(
        request.POST or None, initial=criterion_initial(model), prefix="criteria"
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        used = [f for f in formset.forms if not f.is_blank]
        try:
            saved = services.scoring_model_save(
                actor=request.user,
                model=model,
                criteria=[f.spec() for f in used],
                **form.cleaned_data,
            )
        except ValidationError as error:
            put_service_errors(form, formset, error, used)
        else:
            messages.success(request, _("Scoring model saved. Recompute to score with it."))
            return redirect("portfolio:model_edit", pk=saved.pk)
    context = _base(
        request,
        model=model,
        form=form,
        formset=formset,
        default_metrics={str(k): str(v) for k, v in DEFAULT_METRIC.items()},
    )
    return render(request, "portfolio/model_form.html", context)


# --- manual scores ---------------------------------------------------------------------


@login_required
@require_POST
def manual_score(request, pk: int):
    user = request.user
    account = access.editable_or_404(Account, user, pk=pk)
    form = ManualScoreForm(request.POST)
    target = reverse("accounts:detail", args=[account.pk]) + "#score"
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(map(str, errors))}")
        return redirect(target)
    try:
        services.manual_score_enter(actor=user, account=account, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("Points saved; they count from the next recompute."))
    return redirect(target)
