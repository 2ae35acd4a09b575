"""Run one import: read, check every row, write all or nothing, record the batch."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from django.db import transaction
from django.utils import timezone

from openkam.core.models import AuditEntry, Job
from openkam.ingest import columns as cols
from openkam.ingest.defaults import Defaults, source_defaults
from openkam.ingest.errors import ErrorList, ImportFileError, RowError
from openkam.ingest.importers.accounts import AccountImporter
from openkam.ingest.importers.base import ImportContext
from openkam.ingest.importers.contracts import ContractImporter
from openkam.ingest.importers.discount_rules import DiscountRuleImporter
from openkam.ingest.importers.invoices import InvoiceImporter
from openkam.ingest.importers.open_items import OpenItemImporter
from openkam.ingest.importers.opportunities import OpportunityImporter
from openkam.ingest.importers.orders import OrderImporter
from openkam.ingest.importers.price_lists import PriceListImporter
from openkam.ingest.importers.records import ContactImporter, PaymentImporter, ProductImporter
from openkam.ingest.mappings import effective_mapping
from openkam.ingest.models import ImportBatch
from openkam.ingest.reading import open_table
from openkam.ingest.totals import SkippedRow
from openkam.receivables.refresh import refresh as receivables_refresh
from openkam.users.permissions import Actor


class Importer(Protocol):
    """What every importer does: read and check all rows, then write them."""

    def read(self) -> None: ...

    def write_all(self) -> dict[str, int]: ...

    def write_conditions(self) -> AbstractContextManager[object]: ...

    def cleanup(self) -> None: ...


IMPORTERS: dict[str, Callable[[ImportContext], Importer]] = {
    "accounts": AccountImporter,
    "contacts": ContactImporter,
    "products": ProductImporter,
    "invoices": InvoiceImporter,
    "payments": PaymentImporter,
    "open_items": OpenItemImporter,
    "contracts": ContractImporter,
    "price_lists": PriceListImporter,
    "discount_rules": DiscountRuleImporter,
    "orders": OrderImporter,
    "opportunities": OpportunityImporter,
}
DEFAULT_SOURCE = "erp"
RECEIVABLE_KINDS = frozenset({"invoices", "payments", "open_items"})


class _Rollback(Exception):
    """Undo everything written: the file had errors, or this was a dry run."""


@dataclass
class ImportOutcome:
    kind: str
    file_name: str
    dry_run: bool
    counts: dict[str, int] = field(default_factory=dict)
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    encoding: str = ""
    header_line: int = 1  # rows above it (a title, a period) were skipped
    skipped: list[SkippedRow] = field(default_factory=list)  # totals rows left out
    batch: ImportBatch | None = None

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def omitted(self) -> int:
        return self.error_count - len(self.errors)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "file_name": self.file_name,
            "dry_run": self.dry_run,
            "ok": self.ok,
            "counts": self.counts,
            "rows": self.rows,
            "errors": [error.as_dict() for error in self.errors],
            "error_count": self.error_count,
            "omitted": self.omitted,
            "encoding": self.encoding,
            "header_line": self.header_line,
            "skipped_rows": [row.as_dict() for row in self.skipped],
            "batch_id": self.batch.pk if self.batch else None,
        }


def import_file(
    *,
    kind: str,
    path: Path | str,
    actor: Actor = None,
    source: str = DEFAULT_SOURCE,
    dry_run: bool = False,
    encoding: str | None = None,
    delimiter: str | None = None,
    mapping: dict[str, str] | None = None,
    file_name: str | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    job: Job | None = None,
    use_saved_mapping: bool = True,
    defaults: dict[str, str] | None = None,
) -> ImportOutcome:
    """Import one file of `kind`; on any error nothing is written and every error is listed.

    The column mapping saved for (source, kind) applies, with `mapping` on top; so do the
    source's saved defaults (country, currency, date order), with `defaults` on top
    (ValueError for one that is not a code or a date order).
    `progress(done, total, unit)` is called every few thousand rows.
    """
    if kind not in IMPORTERS:
        raise ValueError(f"unknown import kind {kind!r}; use one of {', '.join(IMPORTERS)}")
    settings = source_defaults(source, defaults)
    if use_saved_mapping:
        mapping = effective_mapping(source, kind, mapping or {})
    path = Path(path)
    outcome = ImportOutcome(kind=kind, file_name=file_name or path.name, dry_run=dry_run)
    errors = ErrorList()
    started = timezone.now()
    run = _Run(outcome, actor, source, errors, started, job, settings)
    try:
        run.execute(path, encoding, delimiter, mapping or {}, progress)
    except ImportFileError as exc:
        for error in exc.errors:
            errors.add(error.line, error.column, error.reason, error.detail)
    outcome.errors = errors.sorted()
    outcome.error_count = errors.count
    if outcome.batch is None:
        outcome.batch = _record(outcome, actor, source, started, job, errors)
    if outcome.ok and not dry_run and kind in RECEIVABLE_KINDS:
        # Lists of receivables read a stored aging: bring it up to date with the new rows.
        receivables_refresh(timezone.localdate())
    return outcome


@dataclass
class _Run:
    outcome: ImportOutcome
    actor: Actor
    source: str
    errors: ErrorList
    started: datetime
    job: Job | None
    defaults: Defaults

    def execute(
        self,
        path: Path,
        encoding: str | None,
        delimiter: str | None,
        mapping: dict[str, str],
        progress: Callable[[int, int, str], None] | None,
    ) -> None:
        """Read and check the file outside any transaction (so progress is visible to
        other connections), then write it in one transaction, kept only if clean."""
        kind = self.outcome.kind
        try:
            cols.check_mapping(kind, mapping)
        except ValueError as exc:
            raise ImportFileError(RowError(1, "", "wrong_columns", str(exc))) from None
        table = open_table(
            path,
            errors=self.errors,
            encoding=encoding,
            delimiter=delimiter,
            rank_header=lambda cells: cols.rank_header(kind, cells, mapping),
        )
        self.outcome.encoding = table.encoding
        self.outcome.header_line = table.header_line
        importer: Importer | None = None
        try:
            ctx = ImportContext(
                kind=kind,
                source=self.source,
                actor=self.actor,
                table=table,
                positions=cols.resolve_header(kind, table.header, mapping, table.header_line),
                errors=self.errors,
                progress=(lambda done: progress(done, table.total, table.unit))
                if progress
                else None,
                defaults=self.defaults,
            )
            importer = IMPORTERS[kind](ctx)
            importer.read()
            self.outcome.rows = ctx.rows
            self.outcome.skipped = table.skipped
            if not self.errors:
                self._write(importer)
        finally:
            if importer is not None:
                importer.cleanup()
            table.close()

    def _write(self, importer: Importer) -> None:
        outcome = self.outcome
        try:
            with importer.write_conditions(), transaction.atomic():
                outcome.counts = importer.write_all()
                if self.errors or outcome.dry_run:
                    raise _Rollback
                # The batch record and its audit entry commit with the rows.
                outcome.batch = _record(
                    outcome, self.actor, self.source, self.started, self.job, self.errors
                )
                if outcome.kind in {"products", "invoices", "payments"}:
                    _audit_summary(outcome, self.actor)
        except _Rollback:
            pass


def _record(
    outcome: ImportOutcome,
    actor: Actor,
    source: str,
    started: datetime,
    job: Job | None,
    errors: ErrorList,
) -> ImportBatch:
    if errors:
        status = ImportBatch.Status.FAILED
    elif outcome.dry_run:
        status = ImportBatch.Status.DRY_RUN
    else:
        status = ImportBatch.Status.SUCCEEDED
    return ImportBatch.objects.create(
        started_at=started,
        created_by=actor,
        kind=outcome.kind,
        file_name=outcome.file_name[:255],
        source=source,
        dry_run=outcome.dry_run,
        status=status,
        rows=outcome.rows,
        counts=outcome.counts,
        error_count=errors.count,
        errors=[error.as_dict() for error in errors.sorted()],
        encoding=outcome.encoding,
        job=job,
    )


def _audit_summary(outcome: ImportOutcome, actor: Actor) -> None:
    """Ledger imports are too big for an entry per row: one entry sums up the batch."""
    assert outcome.batch is not None  # recorded just before, in the same transaction
    AuditEntry.objects.create(
        actor=actor,
        action=AuditEntry.Action.IMPORT,
        model=ImportBatch._meta.label,
        object_id=str(outcome.batch.pk),
        object_repr=str(outcome.batch)[:200],
        changes={name: [None, value] for name, value in outcome.counts.items()},
        via="import",
    )
