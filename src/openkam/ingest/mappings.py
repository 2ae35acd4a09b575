"""Saved column mappings: an ERP's headers are mapped once per source and kind.

Every import of that source applies the saved mapping first; a mapping given with
the import (the page's form, `--map`) adds to it and wins where both name a header.
"""

from __future__ import annotations

from django.db import transaction

from openkam.core import audit
from openkam.core.models import AuditEntry
from openkam.ingest import columns as cols
from openkam.ingest.models import ColumnMapping


def saved_mapping(source: str, kind: str) -> dict[str, str]:
    row = ColumnMapping.objects.filter(source=source, kind=kind).first()
    return dict(row.mapping) if row else {}


def effective_mapping(source: str, kind: str, given: dict[str, str]) -> dict[str, str]:
    """The saved mapping with the given pairs on top."""
    return _merged(saved_mapping(source, kind), given)


def _merged(saved: dict[str, str], given: dict[str, str]) -> dict[str, str]:
    """`saved` with `given` on top, a header written differently counting as the same."""
    by_key = {cols.header_key(header): (header, column) for header, column in saved.items()}
    by_key.update({cols.header_key(header): (header, column) for header, column in given.items()})
    return dict(by_key.values())


@transaction.atomic
def save_mapping(*, source: str, kind: str, mapping: dict[str, str], actor) -> ColumnMapping:
    """Add `mapping` to the saved one of (source, kind); audited. ValueError if it names
    a column the kind does not have."""
    cols.check_mapping(kind, mapping)
    row, _created = ColumnMapping.objects.select_for_update().get_or_create(
        source=source, kind=kind
    )
    before = dict(row.mapping)
    row.mapping = _merged(before, mapping)
    row.updated_by = actor if getattr(actor, "pk", None) else None
    row.save()
    if row.mapping != before:
        audit.build_entry(
            actor=row.updated_by,
            instance=row,
            action=AuditEntry.Action.UPDATE,
            changes={"mapping": [before, row.mapping]},
            via="import",
        ).save()
    return row


@transaction.atomic
def forget_mapping(*, pk: int, actor) -> None:
    row = ColumnMapping.objects.select_for_update().filter(pk=pk).first()
    if row is None:
        return
    audit.build_entry(
        actor=actor if getattr(actor, "pk", None) else None,
        instance=row,
        action=AuditEntry.Action.DELETE,
        changes={"mapping": [row.mapping, None]},
        via="web",
    ).save()
    row.delete()
