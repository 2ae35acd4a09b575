"""Open items from an ERP that keeps the ledger (its receivables or settlements report),
stored as the source's snapshot of the day through `receivables.snapshots`.

A row is one open document: the customer (ERP id or tax id), the document number, its
date and due date, what is left to pay (negative for the customer's credit) and the
currency. The day the file is a snapshot of comes from an `as_of` column (one day for
the whole file) or, without one, is the day of the import. The file is the whole of the
source's open items on that day: a customer of the source missing from it owes nothing.
Sending the same file again replaces the day's snapshot with the same items.
"""

from __future__ import annotations

from contextlib import nullcontext
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.ingest.importers.base import CURRENCY_RE, ImportContext, check_code, iter_rows
from openkam.ingest.importers.customers import Customers
from openkam.receivables.snapshots import ItemIn, ledger_differences, snapshot_replace


class OpenItemImporter:
    def __init__(self, ctx: ImportContext):
        self.ctx = ctx
        self.customers = Customers(ctx.source)
        self.items: list[ItemIn] = []
        self.as_of: tuple[date, int] | None = None  # the file's day, the line that said it

    def read(self) -> None:
        """Parse and check every row; nothing is written."""
        for line, row, _ok in iter_rows(self.ctx):
            account = self.customers.find(self.ctx.errors, line, row, self.ctx.has)
            currency = check_code(self.ctx, line, row, "currency", CURRENCY_RE, self.ctx.currency)
            self._check_dates(line, row)
            if self.ctx.errors:
                continue  # a file with an error writes nothing: only the errors matter now
            assert account is not None  # else `find` reported an error
            if Decimal(row["amount"]) == 0:
                continue  # a settled document some reports still list
            self.items.append(
                ItemIn(
                    account_id=account,
                    document=row["document_number"],
                    issued_on=_day(row.get("document_date")),
                    due_on=_day(row.get("due_date")),
                    currency=currency,
                    amount=Decimal(row["amount"]),
                )  # fmt: skip
            )

    def _check_dates(self, line: int, row: dict) -> None:
        as_of = _day(row.get("as_of"))
        if as_of is None:
            pass
        elif self.as_of is None:
            self.as_of = (as_of, line)
        elif as_of != self.as_of[0]:
            self.ctx.errors.add(
                line, "as_of", "bad_value",
                _("a file is the open items of one day: this row says %(day)s, line "
                  "%(line)d said %(first)s") % {
                    "day": as_of.isoformat(), "line": self.as_of[1],
                    "first": self.as_of[0].isoformat(),
                },
            )  # fmt: skip
        amount = row.get("amount")
        if amount and Decimal(amount) > 0 and not (row.get("due_date") or row.get("document_date")):
            present = "due_date" if self.ctx.has("due_date") else "document_date"
            self.ctx.errors.add(
                line, present, "missing_required",
                _("an amount owed needs its due date or at least the document's date"),
            )  # fmt: skip

    def write_all(self) -> dict[str, int]:
        as_of = self.as_of[0] if self.as_of else timezone.localdate()
        snapshot, matched = snapshot_replace(
            actor=self.ctx.actor, source=self.ctx.source, as_of=as_of, items=self.items
        )
        return {
            "items": len(self.items),
            "accounts": len({item.account_id for item in self.items}),
            "matched_invoices": matched,
            "ledger_differs": len(ledger_differences(snapshot)),
        }

    def write_conditions(self):
        return nullcontext()

    def cleanup(self) -> None:
        """Nothing to release: the rows are in memory."""


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
