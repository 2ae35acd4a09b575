"""Writes to contacts: keyword-only, atomic, validated, audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from openkam.accounts.models import Account
from openkam.core import audit
from openkam.stakeholders.models import Contact
from openkam.users import permissions

EDITABLE_FIELDS = (
    "first_name",
    "last_name",
    "position",
    "department",
    "email",
    "phone",
    "is_archived",
)


def _require_edit(actor) -> None:
    if actor is not None and not permissions.can_edit_account_work(actor):
        raise PermissionDenied(_("You may not change contacts."))


def _check_fields(fields: dict[str, Any], where: str) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"{where} got unknown fields: {sorted(unknown)}")


@transaction.atomic
def contact_create(
    *, actor, account: Account, last_name: str, via: str = "web", **fields: Any
) -> Contact:
    _require_edit(actor)
    _check_fields(fields, "contact_create")
    contact = Contact(account=account, last_name=last_name, **fields)
    contact.full_clean()
    contact.save()
    audit.record_create(actor=actor, instance=contact, via=via)
    return contact


@transaction.atomic
def contact_update(*, actor, contact: Contact, via: str = "web", **fields: Any) -> Contact:
    """Change a contact; records each field's old and new value."""
    _require_edit(actor)
    _check_fields(fields, "contact_update")
    before = audit.snapshot(contact, list(fields))
    for name, value in fields.items():
        setattr(contact, name, value)
    contact.full_clean()
    contact.save()
    audit.record_update(actor=actor, instance=contact, before=before, via=via)
    return contact
