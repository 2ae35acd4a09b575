"""Writes to accounts: keyword-only, atomic, validated, audited."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from types import EllipsisType
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.accounts import access
from openkam.accounts.models import Account, Assignment, AssignmentRole, KeyStatusChange, Tier
from openkam.accounts.validators import normalize_tax_id
from openkam.core import audit
from openkam.users import permissions
from openkam.users.models import User
from openkam.users.permissions import Actor

EDITABLE_FIELDS = (
    "name",
    "legal_form",
    "tax_id",
    "kpp",
    "country",
    "region",
    "city",
    "industry",
    "segment",
    "currency",
)


def _require_edit_role(actor: Actor) -> None:
    """Creating an account: any role that edits account work."""
    if actor is not None and not permissions.can_edit_account_work(actor):
        raise PermissionDenied(_("You may not change account records."))


def _require_edit(actor: Actor, account: Account) -> None:
    """The actor may change this very account (see accounts/access)."""
    access.require_edit(actor, account, _("You may not change account records."))


def _require_portfolio(actor: Actor) -> None:
    if actor is not None:  # None: the system itself (imports, the demo)
        permissions.require_portfolio_manager(actor)


def group_root_for(parent: Account | None) -> Account | None:
    return None if parent is None else (parent.group_root or parent)


def _check_parent(account: Account, parent: Account | None) -> None:
    node = parent
    while node is not None:
        if account.pk is not None and node.pk == account.pk:
            raise ValidationError({"parent": _("An account cannot be its own ancestor.")})
        node = node.parent


def refresh_group_roots(account: Account) -> int:
    """Re-point the group root of an account's whole subtree after its parent changed."""
    root = account.group_root or account
    changed = 0
    frontier = [account.pk]
    while frontier:
        changed += (
            Account.objects.filter(parent_id__in=frontier)
            .exclude(group_root_id=root.pk)
            .update(group_root_id=root.pk)
        )
        frontier = list(Account.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
    return changed


@transaction.atomic
def account_create(
    *,
    actor: Actor,
    name: str,
    country: str = "PL",
    parent: Account | None = None,
    source: str = "manual",
    external_id: str = "",
    **fields: Any,
) -> Account:
    _require_edit_role(actor)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"account_create got unknown fields: {sorted(unknown)}")
    fields["tax_id"] = normalize_tax_id(fields.get("tax_id", ""), country)
    account = Account(
        name=name, country=country, parent=parent, source=source, external_id=external_id, **fields
    )
    _check_parent(account, parent)
    account.full_clean(exclude=["group_root"])
    account.save()
    account.group_root = group_root_for(parent) or account
    account.save(update_fields=["group_root"])
    audit.record_create(actor=actor, instance=account)
    return account


@transaction.atomic
def account_update(
    *, actor: Actor, account: Account, parent: Account | None | EllipsisType = ..., **fields: Any
) -> Account:
    """Change dossier fields (and optionally the parent); records each field's old and new value."""
    _require_edit(actor, account)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"account_update got unknown fields: {sorted(unknown)}")
    tracked = list(fields) + (["parent_id"] if parent is not ... else [])
    before = audit.snapshot(account, [_attname(name) for name in tracked])
    for name, value in fields.items():
        setattr(account, name, value)
    if "tax_id" in fields or "country" in fields:
        account.tax_id = normalize_tax_id(account.tax_id, account.country)
    if parent is not ...:
        _check_parent(account, parent)
        account.parent = parent
        account.group_root = group_root_for(parent) or account
    account.full_clean(exclude=["group_root"])
    account.save()
    if parent is not ...:
        refresh_group_roots(account)
    audit.record_update(actor=actor, instance=account, before=before)
    return account


def _attname(name: str) -> str:
    return "parent_id" if name == "parent" else name


@transaction.atomic
def account_set_archived(*, actor: Actor, account: Account, archived: bool) -> Account:
    _require_edit(actor, account)
    before = audit.snapshot(account, ["is_archived"])
    account.is_archived = archived
    account.save(update_fields=["is_archived", "updated_at"])
    audit.record_update(
        actor=actor, instance=account, before=before, action="archive" if archived else "update"
    )
    return account


@transaction.atomic
def account_set_tier(
    *,
    actor: Actor,
    account: Account,
    tier: str,
    reason: str = "",
    decided_at: datetime | None = None,
) -> KeyStatusChange:
    """Decide an account's tier; the decision is a history row and an audit entry."""
    _require_portfolio(actor)
    if tier not in Tier.values:
        raise ValidationError({"tier": _("Unknown tier %(tier)s") % {"tier": tier}})
    before = audit.snapshot(account, ["tier"])
    change = KeyStatusChange.objects.create(
        account=account,
        tier=tier,
        previous_tier=account.tier,
        reason=reason,
        decided_by=actor,
        decided_at=decided_at or timezone.now(),
    )
    account.tier = tier
    account.save(update_fields=["tier", "updated_at"])
    audit.record_update(actor=actor, instance=account, before=before)
    return change


@transaction.atomic
def assignment_start(
    *,
    actor: Actor,
    account: Account,
    user: User,
    role: str = AssignmentRole.OWNER,
    starts_on: date | None = None,
) -> Assignment:
    """Assign a user to an account; an owner replaces the previous owner from that day."""
    _require_portfolio(actor)
    starts_on = starts_on or timezone.localdate()
    if role == AssignmentRole.OWNER:
        for previous in Assignment.objects.active(starts_on).filter(
            account=account, role=AssignmentRole.OWNER
        ):
            assignment_hand_over(actor=actor, assignment=previous, on=starts_on)
    assignment = Assignment.objects.create(
        account=account, user=user, role=role, starts_on=starts_on, created_by=actor
    )
    audit.record_create(actor=actor, instance=assignment)
    return assignment


def assignment_hand_over(*, actor: Actor, assignment: Assignment, on: date) -> None:
    """Someone else takes over `assignment` from `on`: its holder's last day is the day
    before, so no day counts the account under both (board load, KPIs, access). One that
    began that same day never held a day of its own and is removed (audited)."""
    if assignment.starts_on >= on:
        audit.record_delete(actor=actor, instance=assignment)
        assignment.delete()
        return
    assignment_end(actor=actor, assignment=assignment, ends_on=on - timedelta(days=1))


@transaction.atomic
def assignment_end(
    *, actor: Actor, assignment: Assignment, ends_on: date | None = None
) -> Assignment:
    _require_portfolio(actor)
    before = audit.snapshot(assignment, ["ends_on"])
    assignment.ends_on = max(ends_on or timezone.localdate(), assignment.starts_on)
    assignment.save(update_fields=["ends_on", "updated_at"])
    audit.record_update(actor=actor, instance=assignment, before=before)
    return assignment
