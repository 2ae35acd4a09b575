"""Audit entries for plan rows, pointed at the plan's account.

Objectives, actions, risks and reviews hang off the account through their plan, so the
generic writers in openkam.core.audit cannot find the account by themselves; these set it,
so the account's history shows every change to its plans.
"""

from __future__ import annotations

import json
from typing import Any

from openkam.core import audit
from openkam.core.models import AuditEntry


def _as_text(value: Any) -> Any:
    """Key figures are a list of {label, value}: kept in the trail as one line of text,
    which the account's history can show and compare like any other value."""
    if isinstance(value, list) and all(isinstance(row, dict) for row in value):
        return "; ".join(f"{row.get('label', '')}: {row.get('value', '')}" for row in value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def _entry(*, actor, instance, action: str, changes: dict, account_id: int | None, via: str):
    """Plan rows hang off the account through the plan: point the entry at the account so
    the account's history shows them."""
    changes = {name: [_as_text(old), _as_text(new)] for name, (old, new) in changes.items()}
    entry = audit.build_entry(
        actor=actor, instance=instance, action=action, changes=changes, via=via
    )
    entry.account_id = account_id
    entry.save()
    return entry


def record_create(*, actor, instance, account_id: int, via: str) -> None:
    changes = {name: [None, value] for name, value in audit.snapshot(instance).items()}
    _entry(
        actor=actor,
        instance=instance,
        action=AuditEntry.Action.CREATE,
        changes=changes,
        account_id=account_id,
        via=via,
    )


def record_update(*, actor, instance, before: dict, account_id: int, via: str) -> None:
    changes = audit.diff(before, audit.snapshot(instance, before.keys()))
    if changes:
        _entry(
            actor=actor,
            instance=instance,
            action=AuditEntry.Action.UPDATE,
            changes=changes,
            account_id=account_id,
            via=via,
        )


def record_delete(*, actor, instance, account_id: int, via: str) -> None:
    changes = {name: [value, None] for name, value in audit.snapshot(instance).items()}
    _entry(
        actor=actor,
        instance=instance,
        action=AuditEntry.Action.DELETE,
        changes=changes,
        account_id=account_id,
        via=via,
    )
