"""What each role may do, and whose accounts a user works on a given day.

The gate every page, API route and service goes through is `openkam.accounts.access`; it
joins these role rules with account assignments. Here:

- administrator, head of key accounts, finance and viewer see every account;
- finance and viewer read everything but cannot edit account work;
- heads and administrators manage portfolios and run imports;
- a KAM works their own accounts, a senior KAM also their juniors', a deputy (inside the
  date range only, and until the deputyship is ended) the absent KAM's;
- anyone else (inactive, anonymous, no role) may do nothing. Fail closed.
"""

from __future__ import annotations

from datetime import date
from typing import TypeAlias, TypeGuard

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.users.models import KAM_ROLES, READ_ONLY_ROLES, Role, User

# Whoever asks: a request's user, signed in or anonymous. The rules below also take None
# (no one), and treat it like an anonymous visitor.
AnyUser: TypeAlias = User | AnonymousUser

# Who makes a change through a service: a signed-in user, or None for the system itself
# (imports, the demo generator). Pages and the API refuse anonymous visitors first.
Actor: TypeAlias = User | None


def today() -> date:
    return timezone.localdate()


def is_active_user(user: AnyUser | None) -> TypeGuard[User]:
    return bool(user is not None and user.is_authenticated and user.is_active)


# Who may own account work (a plan, an objective, an action, a relationship): the people
# who do it. Finance and viewers only read; an administrator runs the system.
WORK_OWNER_ROLES = frozenset({*KAM_ROLES, Role.HEAD})


def may_own_account_work(user: AnyUser | None) -> TypeGuard[User]:
    return is_active_user(user) and user.role in WORK_OWNER_ROLES


def sees_all_accounts(user: AnyUser | None) -> bool:
    return is_active_user(user) and (user.is_superuser or user.sees_everything)


def acting_for_user_ids(user: AnyUser | None, on: date | None = None) -> set[int]:
    """Users whose accounts `user` works on the given day.

    Themselves, the KAMs they deputise for that day, and the juniors of any senior
    among those.
    """
    return set(acting_for_users(user, on).values_list("pk", flat=True))


def acting_for_users(user: AnyUser | None, on: date | None = None) -> QuerySet[User]:
    """The users of `acting_for_user_ids` as a lazy queryset, for use inside other queries.

    Visibility filters embed it as a subquery, so `visible_to` costs no queries of its own.
    """
    from openkam.users.models import Deputy

    if not is_active_user(user) or user.role not in KAM_ROLES:
        return User.objects.none()
    on = on or today()
    principals = Deputy.objects.active(on).filter(deputy=user)
    themselves_or_principals = Q(pk=user.pk) | Q(pk__in=principals.values("principal_id"))
    seniors = User.objects.filter(themselves_or_principals, role=Role.SENIOR_KAM)
    return User.objects.filter(themselves_or_principals | Q(senior__in=seniors.values("pk")))


def works_accounts(user: AnyUser | None) -> bool:
    """A KAM of any grade: sees only the accounts assigned to them (see accounts/access.py)."""
    return is_active_user(user) and user.role in KAM_ROLES


def can_edit_account_work(user: AnyUser | None) -> bool:
    """May change account records, contacts, plans and activities (on visible accounts)."""
    if not is_active_user(user):
        return False
    if user.is_superuser:
        return True
    return user.role not in READ_ONLY_ROLES


def can_manage_portfolios(user: AnyUser | None) -> bool:
    """May assign accounts, set key status and run imports."""
    return is_active_user(user) and (user.is_superuser or user.role in {Role.ADMIN, Role.HEAD})


def require_portfolio_manager(user: AnyUser | None) -> None:
    """For services: refuse, with a reason, anyone who may not manage portfolios."""
    if not can_manage_portfolios(user):
        raise PermissionDenied(_("Only a head of key accounts or an administrator may do this."))


def portfolio_manager_or_404(user: AnyUser | None) -> None:
    """For pages and the API: the same answer as for something that does not exist."""
    if not can_manage_portfolios(user):
        raise Http404


# Who keeps the money side of every account: records collection work on any visible
# account and corrects how payments are allocated, without editing plans.
MONEY_KEEPER_ROLES = frozenset({Role.FINANCE, Role.HEAD, Role.ADMIN})


def keeps_receivables(user: AnyUser | None) -> bool:
    """May allocate payments and record collection work on every account it sees."""
    return is_active_user(user) and (user.is_superuser or user.role in MONEY_KEEPER_ROLES)


def can_import(user: AnyUser | None) -> bool:
    return is_active_user(user) and (user.is_superuser or user.role in {Role.ADMIN, Role.HEAD})


def can_manage_deputies_for(user: AnyUser | None, principal: User) -> bool:
    """A KAM names their own deputy; heads and administrators can name anyone's."""
    if can_manage_portfolios(user):
        return True
    return is_active_user(user) and user.pk == principal.pk and user.role in KAM_ROLES
