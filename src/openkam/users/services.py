"""Writes about people: deputies for absences, API tokens."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from openkam.core import audit
from openkam.users import permissions
from openkam.users.models import KAM_ROLES, ApiToken, Deputy, User
from openkam.users.tokens import api_token_create


@transaction.atomic
def deputy_create(
    *, actor: User, principal: User, deputy: User, starts_on: date, ends_on: date, note: str = ""
) -> Deputy:
    """Name a deputy who sees and works `principal`'s accounts from `starts_on` to `ends_on`."""
    if not permissions.can_manage_deputies_for(actor, principal):
        raise PermissionDenied(_("You may not name a deputy for this person."))
    errors = {}
    if deputy.pk == principal.pk:
        errors["deputy"] = _("A KAM cannot be their own deputy.")
    elif deputy.role not in KAM_ROLES or not deputy.is_active:
        errors["deputy"] = _("The deputy must be an active KAM.")
    if ends_on < starts_on:
        errors["ends_on"] = _("The end date is before the start date.")
    if errors:
        raise ValidationError(errors)
    row = Deputy.objects.create(
        principal=principal,
        deputy=deputy,
        starts_on=starts_on,
        ends_on=ends_on,
        note=note,
        created_by=actor,
    )
    audit.record_create(actor=actor, instance=row)
    return row


@transaction.atomic
def deputy_end(*, actor: User, row: Deputy, on: date, via: str = "web") -> Deputy:
    """End a deputyship: from the day `on` it gives no access at all.

    History is rows: the deputyship is kept, never deleted. One already running is
    shortened to end the day before; one that has not started yet (or starts that very
    day) is cancelled and never gives access. `ended_on` says when it was ended, and the
    audit entry keeps the dates it had. Ending one that is over changes nothing.
    """
    if not permissions.can_manage_deputies_for(actor, row.principal):
        raise PermissionDenied(_("You may not change this deputy."))
    if row.ends_on < on or (row.ended_on is not None and row.ended_on <= on):
        return row
    before = audit.snapshot(row, ["ends_on", "ended_on"])
    row.ended_on = on
    row.ends_on = max(min(row.ends_on, on - timedelta(days=1)), row.starts_on)
    row.save(update_fields=["ends_on", "ended_on", "updated_at"])
    audit.record_update(actor=actor, instance=row, before=before, via=via)
    return row


@transaction.atomic
def token_issue(*, actor: User, name: str) -> str:
    """Issue a personal API token for the acting user; returns it once."""
    if not permissions.is_active_user(actor):
        raise PermissionDenied
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    return api_token_create(user=actor, name=name)


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> None:
    if token.user_id != actor.pk:
        raise PermissionDenied
    token.revoked = True
    token.save(update_fields=["revoked", "updated_at"])
