"""Audit log writers: every change made through the product says who, when and what."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models

from openkam.core.models import AuditEntry


def _plain(value: Any) -> Any:
    """JSON-safe form of a field value (Decimal and dates as text, FKs as ids)."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (Decimal, date, datetime)):
        return str(value)
    return value


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The audited field values of an instance (FKs by id)."""
    names = fields or [
        f.attname
        for f in instance._meta.concrete_fields
        if f.attname not in {"id", "created_at", "updated_at"}
    ]
    return {name: _plain(getattr(instance, name)) for name in names}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def _account_id_of(instance: models.Model) -> int | None:
    if instance._meta.label == "accounts.Account":
        return instance.pk
    return getattr(instance, "account_id", None)


def build_entry(
    *,
    actor,
    instance: models.Model,
    action: str,
    changes: dict[str, list[Any]],
    via: str = "web",
) -> AuditEntry:
    return AuditEntry(
        actor=actor,
        action=action,
        model=instance._meta.label,
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        account_id=_account_id_of(instance),
        changes=changes,
        via=via,
    )


def record_create(*, actor, instance: models.Model, via: str = "web") -> AuditEntry:
    changes = {name: [None, value] for name, value in snapshot(instance).items()}
    entry = build_entry(
        actor=actor, instance=instance, action=AuditEntry.Action.CREATE, changes=changes, via=via
    )
    entry.save()
    return entry


def record_update(
    *,
    actor,
    instance: models.Model,
    before: dict[str, Any],
    via: str = "web",
    action: str = "update",
) -> AuditEntry | None:
    """Record the fields that changed since `before`; nothing if none did."""
    changes = diff(before, snapshot(instance, before.keys()))
    if not changes:
        return None
    entry = build_entry(actor=actor, instance=instance, action=action, changes=changes, via=via)
    entry.save()
    return entry
