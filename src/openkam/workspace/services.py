"""Writes about competitors: keyword-only, atomic, validated, audited."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from openkam.accounts import access
from openkam.accounts.models import Account
from openkam.core import audit
from openkam.core.models import AuditEntry
from openkam.users import permissions
from openkam.users.permissions import Actor
from openkam.workspace.models import AccountCompetitor, Competitor

AT_ACCOUNT_FIELDS = ("product_lines", "share_of_wallet", "notes")


def _require_edit_role(actor: Actor) -> None:
    """Naming a competitor in the shared catalogue: any role that edits account work."""
    if actor is not None and not permissions.can_edit_account_work(actor):
        raise PermissionDenied(_("You may not change competitors."))


def _require_edit(actor: Actor, record: Account | AccountCompetitor) -> None:
    """The actor may change this very account's competitors (see accounts/access)."""
    access.require_edit(actor, record, _("You may not change competitors."))


@transaction.atomic
def competitor_create(*, actor: Actor, name: str, website: str = "", notes: str = "") -> Competitor:
    """Name a competing supplier once; names are unique regardless of case."""
    _require_edit_role(actor)
    name = (name or "").strip()
    if Competitor.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("A competitor with this name already exists.")})
    competitor = Competitor(name=name, website=website, notes=notes, created_by=actor)
    competitor.full_clean()
    competitor.save()
    audit.record_create(actor=actor, instance=competitor)
    return competitor


def competitor_get_or_create(*, actor: Actor, name: str) -> Competitor:
    """The competitor of that name (any case), created when new."""
    existing = Competitor.objects.filter(name__iexact=(name or "").strip()).first()
    return existing or competitor_create(actor=actor, name=name)


@transaction.atomic
def account_competitor_add(
    *,
    actor: Actor,
    account: Account,
    competitor: Competitor,
    product_lines: str = "",
    share_of_wallet: Decimal | None = None,
    notes: str = "",
) -> AccountCompetitor:
    """Record that a competitor is present at an account (once per account)."""
    _require_edit(actor, account)
    if AccountCompetitor.objects.filter(account=account, competitor=competitor).exists():
        raise ValidationError(
            {"competitor": _("This competitor is already recorded at the account.")}
        )
    row = AccountCompetitor(
        account=account,
        competitor=competitor,
        product_lines=product_lines,
        share_of_wallet=share_of_wallet,
        notes=notes,
    )
    row.full_clean(validate_constraints=False)
    row.save()
    audit.record_create(actor=actor, instance=row)
    return row


@transaction.atomic
def account_competitor_update(
    *, actor: Actor, account_competitor: AccountCompetitor, **fields: Any
) -> AccountCompetitor:
    """Change product lines, share of wallet or notes; records old and new values."""
    _require_edit(actor, account_competitor)
    unknown = set(fields) - set(AT_ACCOUNT_FIELDS)
    if unknown:
        raise TypeError(f"account_competitor_update got unknown fields: {sorted(unknown)}")
    before = audit.snapshot(account_competitor, list(fields))
    for name, value in fields.items():
        setattr(account_competitor, name, value)
    account_competitor.full_clean(validate_constraints=False)
    account_competitor.save()
    audit.record_update(actor=actor, instance=account_competitor, before=before)
    return account_competitor


@transaction.atomic
def account_competitor_remove(*, actor: Actor, account_competitor: AccountCompetitor) -> None:
    """The competitor left the account; the audit entry keeps what was known."""
    _require_edit(actor, account_competitor)
    changes = {name: [value, None] for name, value in audit.snapshot(account_competitor).items()}
    entry = audit.build_entry(
        actor=actor,
        instance=account_competitor,
        action=AuditEntry.Action.DELETE,
        changes=changes,
    )
    account_competitor.delete()
    entry.save()
