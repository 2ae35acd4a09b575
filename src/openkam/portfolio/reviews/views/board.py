"""The portfolio board: each KAM's load against capacity, reassignment, exports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from openkam.accounts.models import Account, AssignmentRole
from openkam.core import bounds
from openkam.portfolio.reviews import exports as review_exports
from openkam.portfolio.reviews import selectors as review_selectors
from openkam.portfolio.reviews.board import portfolio_reassign
from openkam.portfolio.reviews.forms import ReassignForm
from openkam.portfolio.reviews.rebalance import rebalance_apply
from openkam.users import permissions


def _reassign_form(user, data=None, initial=None) -> ReassignForm:
    accounts = Account.objects.visible_to(user).filter(is_archived=False)
    return ReassignForm(data, accounts=accounts, initial=initial or {})


def _offered_accounts(user, chosen: int | None) -> list[Account]:
    """The short list of the account select, plus the chosen account if it is not on it."""
    offered = list(review_selectors.reassignable_accounts(user=user))
    if chosen and all(account.pk != chosen for account in offered):
        extra = Account.objects.visible_to(user).filter(pk=chosen).only("pk", "name", "tier")
        offered = list(extra) + offered
    return offered


def _render_board(request, form: ReassignForm | None, status: int = 200):
    user = request.user
    chosen = bounds.id_or_none(form["account"].value()) if form is not None else None
    context = {
        "nav": "board",
        "board": review_selectors.board_for(user=user),
        "form": form,
        "offered_accounts": _offered_accounts(user, chosen) if form is not None else [],
        "chosen_account": chosen,
        "ratio": review_selectors.IMBALANCE_RATIO,
    }
    return render(request, "portfolio/board/board.html", context, status=status)


@login_required
def board(request):
    form = None
    if permissions.can_manage_portfolios(request.user):
        form = _reassign_form(request.user, initial={"account": request.GET.get("account")})
    return _render_board(request, form)


@login_required
@require_POST
def board_reassign(request):
    user = request.user
    permissions.portfolio_manager_or_404(user)
    form = _reassign_form(user, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            portfolio_reassign(
                actor=user,
                account=data["account"],
                to_user=data["to_user"],
                role=data["role"],
                from_user=data["from_user"],
                on=data["starts_on"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("%(account)s given to %(user)s as %(role)s from %(date)s.")
                % {
                    "account": data["account"].name,
                    "user": data["to_user"].get_full_name() or data["to_user"].username,
                    "role": AssignmentRole(data["role"]).label,
                    "date": data["starts_on"].isoformat(),
                },
            )
            return redirect("reviews:board")
    return _render_board(request, form, status=422)


@login_required
@require_POST
def board_rebalance(request):
    """Apply the proposed moves the head saw on the board, all or none."""
    user = request.user
    permissions.portfolio_manager_or_404(user)
    moves = [_move(value) for value in request.POST.getlist("move")]
    try:
        if not moves or None in moves:
            raise ValidationError(_("No moves to apply: look at the board again."))
        moved = rebalance_apply(actor=user, moves=[m for m in moves if m is not None])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d account moved; the history keeps who held it before.",
                "%(count)d accounts moved; the history keeps who held them before.",
                moved,
            )
            % {"count": moved},
        )
    return redirect("reviews:board")


def _move(value: str) -> tuple[int, int, int] | None:
    """ "account:from:to" ids, as the proposal form posts them."""
    parts = [bounds.id_or_none(part) for part in value.split(":")]
    if len(parts) != 3 or None in parts:
        return None
    account, from_user, to_user = parts
    return account, from_user, to_user  # type: ignore[return-value]


@login_required
def board_export(request, fmt: str):
    data = review_selectors.board_for(user=request.user)
    return review_exports.export_response(
        fmt,
        "portfolio-board",
        _("Board"),
        review_exports.board_header(),
        review_exports.board_rows(data),
    )
