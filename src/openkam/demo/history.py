"""Audit entries for the demo, as the product would have written them: each account
arrived by import, and each tier decision is an update of the account by the head."""

from __future__ import annotations

import json

from openkam.core.models import AuditEntry

AUDIT_MODEL = AuditEntry
AUDIT_COLUMNS = (
    "at",
    "actor_id",
    "action",
    "model",
    "object_id",
    "object_repr",
    "account_id",
    "changes",
    "via",
)


def audit_rows(plan, db_value) -> list[tuple]:
    customers, portfolio = plan.customers, plan.portfolio
    ids = customers.ids.tolist()
    imported = db_value(plan.created)
    rows = [
        (
            imported,
            None,
            AuditEntry.Action.IMPORT.value,
            "accounts.Account",
            str(pk),
            name[:200],
            pk,
            "{}",
            "demo",
        )
        for pk, name in zip(ids, customers.names, strict=True)
    ]
    for account, tier, previous, _reason, head, decided_at in portfolio.status_changes:
        pk = ids[account]
        changes = json.dumps({"tier": [previous, tier]})
        rows.append(
            (
                db_value(decided_at),
                head,
                AuditEntry.Action.UPDATE.value,
                "accounts.Account",
                str(pk),
                customers.names[account][:200],
                pk,
                changes,
                "web",
            )
        )
    return rows
