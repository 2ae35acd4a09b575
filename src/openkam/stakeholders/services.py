"""Writes to contacts and the stakeholder map: keyword-only, atomic, validated, audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from openkam.accounts import access
from openkam.accounts.models import Account
from openkam.core import audit
from openkam.core.models import AuditEntry
from openkam.stakeholders.models import Attitude, AttitudeChange, Contact, ContactLink, LinkKind
from openkam.users import permissions
from openkam.users.permissions import Actor

EDITABLE_FIELDS = (
    "first_name",
    "last_name",
    "position",
    "department",
    "email",
    "phone",
    "is_archived",
    # The stakeholder map; the attitude changes only through attitude_set (it keeps history).
    "buying_role",
    "influence",
    "relationship_strength",
    "relationship_owner",
    "left_on",
)


def _require_edit(actor: Actor, record: Account | Contact) -> None:
    """The actor may change the people of this very record's account (see accounts/access)."""
    access.require_edit(actor, record, _("You may not change contacts."))


def _check_fields(fields: dict[str, Any], where: str) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"{where} got unknown fields: {sorted(unknown)}")


@transaction.atomic
def contact_create(
    *, actor: Actor, account: Account, last_name: str, via: str = "web", **fields: Any
) -> Contact:
    _require_edit(actor, account)
    _check_fields(fields, "contact_create")
    contact = Contact(account=account, last_name=last_name, **fields)
    _check_owner(contact)
    contact.full_clean()
    contact.save()
    audit.record_create(actor=actor, instance=contact, via=via)
    return contact


@transaction.atomic
def contact_update(*, actor: Actor, contact: Contact, via: str = "web", **fields: Any) -> Contact:
    """Change a contact; records each field's old and new value."""
    _require_edit(actor, contact)
    _check_fields(fields, "contact_update")
    before = audit.snapshot(contact, list(fields))
    for name, value in fields.items():
        setattr(contact, name, value)
    _check_owner(contact)
    contact.full_clean()
    contact.save()
    audit.record_update(actor=actor, instance=contact, before=before, via=via)
    return contact


def _check_owner(contact: Contact) -> None:
    """The relationship owner on our side is an active user who works accounts."""
    owner = contact.relationship_owner
    if owner is not None and not permissions.may_own_account_work(owner):
        raise ValidationError(
            {
                "relationship_owner": _(
                    "The relationship owner must be an active user who works accounts."
                )
            }
        )


@transaction.atomic
def attitude_set(
    *, actor: Actor, contact: Contact, attitude: str, note: str = "", via: str = "web"
) -> AttitudeChange:
    """Record how a person sees us now: a history row, and the contact's current attitude."""
    _require_edit(actor, contact)
    if attitude not in Attitude.values:
        raise ValidationError({"attitude": _("Unknown attitude %(value)s") % {"value": attitude}})
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    change = AttitudeChange.objects.create(
        contact=contact,
        attitude=attitude,
        previous_attitude=contact.attitude,
        note=note.strip(),
        changed_by=actor,
    )
    before = audit.snapshot(contact, ["attitude"])
    contact.attitude = attitude
    contact.save(update_fields=["attitude", "updated_at"])
    entry = audit.build_entry(
        actor=actor,
        instance=contact,
        action=AuditEntry.Action.UPDATE,
        changes={"attitude": [before["attitude"], attitude], "note": [None, change.note]},
        via=via,
    )
    entry.save()
    return change


def _same_customer(one: Contact, other: Contact) -> bool:
    """Both people work at one account, or at accounts of one customer group."""
    if one.account_id == other.account_id:
        return True
    root_one = one.account.group_root_id or one.account_id
    root_other = other.account.group_root_id or other.account_id
    return root_one == root_other


@transaction.atomic
def contact_link_create(
    *,
    actor: Actor,
    source: Contact,
    target: Contact,
    kind: str,
    note: str = "",
    via: str = "web",
) -> ContactLink:
    """Link two people of one customer: `source` <kind> `target` (e.g. reports to)."""
    _require_edit(actor, source)
    _require_edit(actor, target)  # a person at a hidden subsidiary is as good as missing
    if kind not in LinkKind.values:
        raise ValidationError({"kind": _("Unknown link %(value)s") % {"value": kind}})
    if source.pk == target.pk:
        raise ValidationError({"target": _("A person cannot be linked to themselves.")})
    if not _same_customer(source, target):
        raise ValidationError(
            {"target": _("Both people must work at the same account or customer group.")}
        )
    if ContactLink.objects.filter(source=source, target=target, kind=kind).exists():
        raise ValidationError({"target": _("These two people are already linked this way.")})
    link = ContactLink(source=source, target=target, kind=kind, note=note.strip())
    link.full_clean()
    link.save()
    entry = audit.build_entry(
        actor=actor,
        instance=link,
        action=AuditEntry.Action.CREATE,
        changes={name: [None, value] for name, value in audit.snapshot(link).items()},
        via=via,
    )
    entry.account_id = source.account_id
    entry.save()
    return link


@transaction.atomic
def contact_link_delete(*, actor: Actor, link: ContactLink, via: str = "web") -> None:
    _require_edit(actor, link.source)
    entry = audit.build_entry(
        actor=actor,
        instance=link,
        action=AuditEntry.Action.DELETE,
        changes={name: [value, None] for name, value in audit.snapshot(link).items()},
        via=via,
    )
    entry.account_id = link.source.account_id
    link.delete()
    entry.save()
