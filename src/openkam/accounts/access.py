"""The one gate: which accounts a user may see and change, and every record's way through it.

Every page, API route, export, chart, search and background report reaches records through
this module:

- `Model.objects.visible_to(user)` (the querysets below) for lists and counts;
- `visible_or_404` for one record a page or route names by id (`one_or_404` for records
  that are no account's work: own tokens, import jobs, templates, reviews);
- `editable_or_404` for one record a page changes (read-only roles get the same 404 as
  for a record they cannot see);
- `api_editable_or_404` for the API, which documents 403 "read-only" for a record the
  caller sees but may not change, and 404 for one they cannot see;
- `require_edit` for services: the actor may change *that very account's* work, not just
  hold a role that edits somewhere.

Who sees which account (the "commercial secret" duty):

- administrator, head of key accounts, finance and viewer see every account;
- a KAM (any grade) sees the accounts assigned to them today (owner, support or junior),
  and every subsidiary of a group whose root is assigned to them;
- a senior KAM also sees what is assigned to their juniors;
- a deputy sees, inside the date range only, what the absent KAM sees;
- anyone else (inactive, anonymous, no role) sees nothing. Fail closed.

The role vocabulary (who edits, who manages portfolios, who deputises for whom) lives in
`openkam.users.permissions`; this module joins it with assignments.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import HttpError

from openkam.core.bounds import one_or_404
from openkam.users import permissions
from openkam.users.permissions import AnyUser

if TYPE_CHECKING:
    from openkam.accounts.models import Account

M = TypeVar("M", bound=models.Model)


def account_visibility_q(user: AnyUser | None, on: date | None = None) -> Q | None:
    """A Q over Account for what `user` may see on a day; None means "everything".

    Returns a Q that matches nothing for users without access.
    """
    from openkam.accounts.models import Assignment

    if permissions.sees_all_accounts(user):
        return None
    if not permissions.is_active_user(user) or not permissions.works_accounts(user):
        return Q(pk__in=[])
    acting = permissions.acting_for_users(user, on).values("pk")
    assigned = Assignment.objects.active(on or permissions.today()).filter(user_id__in=acting)
    account_ids = assigned.values("account_id")
    return Q(pk__in=account_ids) | Q(group_root_id__in=account_ids)


class AccountVisibleQuerySet(models.QuerySet["Account"]):
    """For the Account model itself."""

    def visible_to(self, user: AnyUser | None) -> Self:
        rule = account_visibility_q(user)
        return self.all() if rule is None else self.filter(rule)


class AccountChildQuerySet(models.QuerySet[M]):
    """For records that hang off an account (contacts, invoices, plans...).

    `account_path` is the lookup from the record to its account; records inherit the
    account's visibility through it. A record that joins records of several accounts (a
    participant: an activity and a person; a link between two people) names the others in
    `extra_account_paths` and is visible only when every one of them is.
    """

    account_path = "account"
    extra_account_paths: tuple[str, ...] = ()

    @classmethod
    def account_paths(cls) -> tuple[str, ...]:
        """The lookups from this record to each account it belongs to, its own first."""
        return (cls.account_path, *cls.extra_account_paths)

    def visible_to(self, user: AnyUser | None) -> Self:
        from openkam.accounts.models import Account

        if permissions.sees_all_accounts(user):
            return self.all()
        visible = Account.objects.visible_to(user).values("pk")
        return self.filter(**{f"{path}__in": visible for path in self.account_paths()})


def _queryset(model_or_queryset: type[M] | QuerySet[M]) -> QuerySet[M]:
    if isinstance(model_or_queryset, QuerySet):
        return model_or_queryset
    return model_or_queryset._default_manager.all()


def visible(model_or_queryset: type[M] | QuerySet[M], user: AnyUser | None) -> QuerySet[M]:
    """What `user` may see of a model (or of a queryset already narrowed)."""
    queryset = _queryset(model_or_queryset)
    if not isinstance(queryset, AccountVisibleQuerySet | AccountChildQuerySet):
        raise TypeError(f"{queryset.model.__name__} has no visibility rule")
    return queryset.visible_to(user)


def visible_or_404(
    model_or_queryset: type[M] | QuerySet[M], user: AnyUser | None, **lookup: Any
) -> M:
    """One record the user may see, or the 404 a missing record gets."""
    return one_or_404(visible(model_or_queryset, user), **lookup)


def editable_or_404(
    model_or_queryset: type[M] | QuerySet[M], user: AnyUser | None, **lookup: Any
) -> M:
    """For pages that change a record: read-only roles get the 404 of a hidden record."""
    if not permissions.can_edit_account_work(user):
        raise Http404
    return visible_or_404(model_or_queryset, user, **lookup)


def require_edit_role_or_404(user: AnyUser | None) -> None:
    """For pages that create work before an account is chosen (the planner's form)."""
    if not permissions.can_edit_account_work(user):
        raise Http404


def api_editable_or_404(
    model_or_queryset: type[M] | QuerySet[M], user: AnyUser | None, **lookup: Any
) -> M:
    """For API writes: 404 for a record the caller cannot see; 403 "read-only" for one they
    see but may not change (the documented difference from pages)."""
    record = visible_or_404(model_or_queryset, user, **lookup)
    require_api_edit_role(user)
    return record


def require_api_edit_role(user: AnyUser | None) -> None:
    """For API writes that name no record yet: a read-only role gets the documented 403."""
    if not permissions.can_edit_account_work(user):
        raise HttpError(403, _("Your role may read account work but not change it."))


def account_of(record: models.Model) -> Account:
    """The account a record belongs to, following its queryset's `account_path`."""
    from openkam.accounts.models import Account

    if isinstance(record, Account):
        return record
    path = getattr(type(record)._default_manager.all(), "account_path", "account")
    value: Any = record
    for step in path.split("__"):
        value = getattr(value, step)
    return value


def may_edit(user: AnyUser | None, record: models.Model) -> bool:
    """May `user` change the work on this record's account (role and visibility)?"""
    from openkam.accounts.models import Account

    if not permissions.can_edit_account_work(user):
        return False
    account = account_of(record)
    return Account.objects.visible_to(user).filter(pk=account.pk).exists()


def require_edit(actor: AnyUser | None, record: models.Model, message: str | None = None) -> None:
    """For services: refuse an actor who may not change this very account's work.

    `actor=None` is the system itself (imports, the demo generator) and is always allowed.
    The refusal reads the same for a hidden account as for a read-only role.
    """
    if actor is None:
        return
    if not may_edit(actor, record):
        raise PermissionDenied(message or _("You may not change the work on this account."))
