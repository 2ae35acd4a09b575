"""Records a customer numbers (its contracts, its orders), written through their app's
services: what the contract and order importers share.

A row names its customer by ERP id or tax id (`customers`) and is matched to a stored
record by (account, number); the same pair twice in a file is a duplicate. Each row goes
through the services inside the import's one transaction: a refusal is reported on the
row's line and the file's column, and the import then keeps nothing.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied, ValidationError

from openkam.accounts.models import Account
from openkam.ingest.importers.base import ImportContext, iter_rows
from openkam.ingest.importers.customers import Customers


class NumberedImporter:
    model: ClassVar[Any]  # a model with `account` and `number` (Contract, Order)
    column_of_field: ClassVar[dict[str, str]] = {}  # a service's field -> the file's column
    count_names: ClassVar[tuple[str, ...]] = ("created", "updated", "unchanged")

    def __init__(self, ctx: ImportContext):
        self.ctx = ctx
        self.customers = Customers(ctx.source)
        self.staged: list[tuple[int, int, dict[str, Any]]] = []  # (line, account pk, fields)
        self.counts = dict.fromkeys(self.count_names, 0)

    # --- what each kind says ----------------------------------------------------
    def _fields(self, line: int, row: dict) -> dict[str, Any] | None:
        """The service's fields of a parsed row (with "number"), or None after reporting."""
        raise NotImplementedError

    def _duplicate(self, number: str, first_line: int) -> str:
        raise NotImplementedError

    def _write_one(self, account: Account, stored: Any, fields: dict) -> Any:
        """Create or update one record through the services; return it."""
        raise NotImplementedError

    def _written(self, record: Any) -> None:
        """Count what a kind counts beyond created / updated / unchanged."""

    # --- reading ------------------------------------------------------------
    def read(self) -> None:
        """Parse and check every row; nothing is written."""
        first_line: dict[tuple[int, str], int] = {}
        for line, row, ok in iter_rows(self.ctx):
            account = self.customers.find(self.ctx.errors, line, row, self.ctx.has)
            fields = self._fields(line, row)
            if not ok or account is None or fields is None:
                continue
            key = (account, fields["number"])
            if key in first_line:
                self.ctx.errors.add(
                    line,
                    "number",
                    "duplicate_id",
                    self._duplicate(fields["number"], first_line[key]),
                )
                continue
            first_line[key] = line
            self.staged.append((line, account, fields))

    # --- writing ------------------------------------------------------------
    def write_all(self) -> dict[str, int]:
        """Each row through the services (inside the import's transaction); a refusal is
        a row error, and the import is then rolled back."""
        accounts = Account.objects.in_bulk({account for _line, account, _f in self.staged})
        stored = self._stored()
        for line, account, fields in self.staged:
            try:
                record = self._write_one(
                    accounts[account], stored.get((account, fields["number"])), fields
                )
            except ValidationError as exc:
                self._report(line, exc)
            except PermissionDenied as exc:
                column = "account_id" if self.ctx.has("account_id") else "account_tax_id"
                self.ctx.errors.add(line, column, "not_allowed", str(exc))
            else:
                self._written(record)
        return dict(self.counts)

    def _stored(self) -> dict[tuple[int, str], Any]:
        accounts = {account for _line, account, _fields in self.staged}
        query = self.model.objects.filter(account_id__in=accounts).select_related("account")
        return {(record.account_id, record.number): record for record in query}

    def _report(self, line: int, error: ValidationError) -> None:
        """Each refusal on the file's column it is about."""
        for name, messages in error.message_dict.items():
            column = self.column_of_field.get(name, name if name != "__all__" else "")
            for message in messages:
                self.ctx.errors.add(line, column, "bad_value", message)

    def write_conditions(self):
        return nullcontext()

    def cleanup(self) -> None:
        """Nothing to release: the rows are in memory."""
