"""Review list (and starting a review), the review page, decisions by htmx, exports.

Everyone signed in may read reviews (they hold no account data; their items follow the
accounts the reader sees); only heads and administrators start, decide and close them.
Everybody else gets 404 on those URLs, the same answer as for a review that does not exist.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openkam.accounts import access
from openkam.core import bounds
from openkam.portfolio.defaults import ensure_default_scoring_model
from openkam.portfolio.jobs import latest_recompute_job
from openkam.portfolio.models import Review, ReviewItem
from openkam.portfolio.reviews import exports as review_exports
from openkam.portfolio.reviews import selectors as review_selectors
from openkam.portfolio.reviews import services as reviews
from openkam.portfolio.reviews.forms import DecisionForm, ReviewStartForm
from openkam.portfolio.services import recompute_start
from openkam.users import permissions


@login_required
def review_list(request):
    user = request.user
    may_run = permissions.can_manage_portfolios(user)
    if request.method == "POST":
        permissions.portfolio_manager_or_404(user)
    form = ReviewStartForm(request.POST or None, initial=review_selectors.review_start_defaults())
    if request.method == "POST" and form.is_valid():
        try:
            review = reviews.review_create(actor=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Review started: decide each proposal below."))
            return redirect("reviews:detail", pk=review.pk)
    model = review_selectors.default_model()
    job = latest_recompute_job() if may_run else None
    context = {
        "nav": "reviews",
        "reviews": review_selectors.review_list(user=user),
        "form": form if may_run else None,
        "may_run": may_run,
        "has_models": model is not None,
        "has_scores": model is not None and reviews.latest_run_for(model) is not None,
        "recompute_job": job,
        "recompute_running": job is not None and not job.is_finished,
    }
    return render(request, "portfolio/reviews/list.html", context)


@login_required
@require_POST
def review_recompute(request):
    """Compute scores for the review (creating the default scoring model if none exists)."""
    permissions.portfolio_manager_or_404(request.user)
    ensure_default_scoring_model(actor=request.user)
    recompute_start(actor=request.user)  # one at a time: a queued or running job is reused
    messages.success(
        request, _("Scores are being computed; the review can start when they are ready.")
    )
    return redirect("reviews:list")


def _detail_context(user, review: Review) -> dict:
    items = list(review_selectors.review_items(user=user, review=review))
    groups = review_selectors.grouped_items(items)
    return {
        "nav": "reviews",
        "review": review,
        "groups": groups,
        "sections": [
            ("promote", _("Promote"), groups.promote),
            ("demote", _("Demote"), groups.demote),
            ("keep", _("Keep"), groups.keep),
        ],
        "comparison": _comparison(user, review),
        "sees_everything": permissions.sees_all_accounts(user),
        "keep_limit": review_selectors.keep_limit(review),
        "may_decide": permissions.can_manage_portfolios(user) and review.status == "open",
        "may_manage": permissions.can_manage_portfolios(user),
    }


def _comparison(user, review: Review) -> list | None:
    found = review_selectors.review_comparison(user=user, review=review)
    if found is None:
        return None
    labels = {
        "entered": _("Entered the key list"),
        "left": _("Left the key list"),
        "stayed": _("Stayed on the key list"),
    }
    return [(key, label, found[key]) for key, label in labels.items()]


@login_required
def review_detail(request, pk: int):
    review = access.one_or_404(review_selectors.review_details(), pk=pk)
    return render(request, "portfolio/reviews/detail.html", _detail_context(request.user, review))


def _item_context(item: ReviewItem, form: DecisionForm | None = None, open_override=False):
    return {
        "item": item,
        "review": item.review,
        "form": form,
        "may_decide": item.review.status == Review.Status.OPEN,
        "open_override": open_override,
    }


@login_required
@require_POST
def item_decide(request, pk: int, item_pk: int):
    """Accept or override one item; an htmx request gets the row back, others a redirect."""
    user = request.user
    permissions.portfolio_manager_or_404(user)
    items: QuerySet[ReviewItem] = ReviewItem.objects.select_related(
        "review", "account", "decided_by"
    )
    item = access.visible_or_404(items, user, pk=item_pk, review_id=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            reviews.review_decide(
                actor=user,
                item=item,
                accept=data["accept"],
                final_tier=data["final_tier"],
                reason=data["reason"],
            )
        except ValidationError as error:
            item.refresh_from_db()
            form.add_service_error(error)
    failed = bool(form.errors)
    if not request.htmx:
        for errors in form.errors.values():
            messages.error(request, " ".join(map(str, errors)))
        return redirect("reviews:detail", pk=item.review_id)
    # Answered with 200 even on an error: htmx swaps only 2xx answers, and the row with
    # its error message is exactly what should replace the row.
    context = _item_context(item, form if failed else None, open_override=failed)
    # The summary cards (decided, key accounts after the decisions) follow out of band.
    items = review_selectors.review_items(user=user, review=item.review)
    context.update(
        review=item.review,
        groups=review_selectors.grouped_items(items),
        sees_everything=permissions.sees_all_accounts(user),
        keep_limit=review_selectors.keep_limit(item.review),
        oob=True,
    )
    return render(request, "portfolio/reviews/_decided.html", context)


@login_required
@require_POST
def review_accept_all(request, pk: int):
    user = request.user
    permissions.portfolio_manager_or_404(user)
    review = access.one_or_404(review_selectors.review_details(), pk=pk)
    pending = review_selectors.review_items(user=user, review=review).filter(
        decision=ReviewItem.Decision.PENDING
    )
    try:
        # All or nothing: a failure half-way leaves every item as it was.
        with transaction.atomic():
            count = 0
            for item in pending:
                item.review = review
                reviews.review_decide(actor=user, item=item, accept=True)
                count += 1
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(count)d proposals accepted.") % {"count": count})
    return redirect("reviews:detail", pk=review.pk)


@login_required
@require_POST
def review_close(request, pk: int):
    user = request.user
    permissions.portfolio_manager_or_404(user)
    review = access.one_or_404(review_selectors.review_details(), pk=pk)
    reviews.review_close(actor=user, review=review)
    messages.success(request, _("Review closed."))
    return redirect("reviews:detail", pk=review.pk)


@login_required
def review_export(request, pk: str, fmt: str):
    review = access.one_or_404(review_selectors.review_details(), pk=bounds.id_or_none(pk))
    items = review_selectors.review_items(user=request.user, review=review)
    return review_exports.export_response(
        fmt,
        review_exports.review_filename(review),
        _("Review"),
        review_exports.review_header(),
        review_exports.review_rows(items),
    )
