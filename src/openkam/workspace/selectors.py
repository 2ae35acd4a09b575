"""Reads for the workspace: competitors and the accounts they are read for.

Every function takes the user and starts from `visible_to(user)`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Q, QuerySet, Value

from openkam.accounts.models import Account
from openkam.users import permissions
from openkam.users.permissions import AnyUser
from openkam.workspace.models import AccountCompetitor, Competitor

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    class VisibleAccounts(TypedDict):
        visible_accounts: int

    # A competitor with how many of the user's visible accounts it is present at.
    CompetitorWithCount = WithAnnotations[Competitor, VisibleAccounts]


def account_competitors(*, user: AnyUser, account: Account) -> QuerySet[AccountCompetitor]:
    """The competitors present at one visible account, largest share of wallet first."""
    return (
        AccountCompetitor.objects.visible_to(user)
        .filter(account=account)
        .select_related("competitor")
        .order_by("-share_of_wallet", "competitor__name", "pk")
    )


def competitor_list(*, user: AnyUser, q: str = "") -> QuerySet[CompetitorWithCount]:
    """The competitor names `user` may read (`Competitor.objects.visible_to`: those at
    accounts they see, in plans they see, or named by them), each with how many of their
    visible accounts it is present at. Notes about a competitor at an account stay with
    that account."""
    if not permissions.is_active_user(user):
        return Competitor.objects.annotate(visible_accounts=Value(0)).none()
    visible = AccountCompetitor.objects.visible_to(user).values("pk")
    competitors = Competitor.objects.visible_to(user).annotate(
        visible_accounts=Count("accounts", filter=Q(accounts__in=visible), distinct=True)
    )
    if q:
        competitors = competitors.filter(name__icontains=q.strip())
    return competitors.order_by("name", "pk")


def competitor_names(*, user: AnyUser) -> list[str]:
    """The names offered when typing a competitor at an account: the user's catalogue."""
    names = Competitor.objects.visible_to(user).order_by("name").values_list("name", flat=True)
    return list(names)
