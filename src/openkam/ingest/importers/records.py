"""Importers for record-per-row files (contacts, products, payments; accounts build on it).

The whole file is validated first; only a clean file is written, with bulk inserts and
updates, and a record whose fields all match the file is left alone ("unchanged").
A column missing from the file leaves that field of stored records as it is. A payment
row without an ERP id is keyed by its content (`PaymentImporter.derived_key`).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from contextlib import nullcontext
from datetime import date
from typing import Generic, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.accounts.models import Account
from openkam.core import audit
from openkam.core.models import AuditEntry, SourcedModel
from openkam.ingest.importers.base import (
    BATCH,
    CURRENCY_RE,
    ImportContext,
    check_code,
    external_id_map,
    iter_rows,
    money,
)
from openkam.ingest.importers.customers import Customers
from openkam.ledger.models import Invoice, Payment, Product
from openkam.stakeholders.models import Contact

S = TypeVar("S", bound=SourcedModel)
# A payment without an ERP id is keyed by its content (PaymentImporter.derived_key).
DERIVED_PREFIX = "pay-"
DERIVED_HEX = 24


class RecordImporter(Generic[S]):
    model: type[S]
    key_column = "external_id"
    audited = False
    # Defaults for a new record when its column is absent from the file.
    defaults: dict = {}

    def __init__(self, ctx: ImportContext):
        self.ctx = ctx
        self.staged: dict[str, tuple[int, dict]] = {}
        self.stored: dict[str, S] = {}
        self.changes: dict[S, dict] = {}
        self.created: list[S] = []

    # --- hooks -----------------------------------------------------------
    def clean(self, line: int, row: dict) -> dict | None:
        """Model field values of a parsed row; None (after reporting) if it is bad.

        Also called for a row with bad cells (left out of `row`), so that every problem
        of a row is reported at once: an unknown account next to a bad amount."""
        raise NotImplementedError

    def check_all(self) -> None:
        """Checks that need the whole file (references between rows)."""

    def after_write(self) -> None:
        """Work that needs the primary keys of every record in the file."""

    def derived_key(self, fields: dict) -> str | None:
        """The key of a clean row without one in the file (None: it needs one)."""
        return None

    # --- the run ---------------------------------------------------------
    def read(self) -> None:
        """Parse and check the whole file; nothing is written (run outside the transaction)."""
        self.prepare()
        first_line: dict[str, int] = {}
        for line, row, ok in iter_rows(self.ctx):
            key = row.get(self.key_column)
            if key and key in first_line:
                self.ctx.errors.add(
                    line, self.key_column, "duplicate_id",
                    _("%(key)s is also on line %(line)d") % {"key": key, "line": first_line[key]},
                )  # fmt: skip
                continue
            if key:
                first_line[key] = line
            fields = self.clean(line, row)
            if ok and fields is not None and not key:
                key = self.derived_key(fields)
            if ok and key and fields is not None:
                self.staged[key] = (line, fields)
        self.check_all()

    def write_all(self) -> dict[str, int]:
        """Write a clean file (inside the import's transaction); the counts."""
        self.write()
        self.after_write()
        if self.audited and not self.ctx.errors:
            self.write_audit()
        return self.counts()

    def cleanup(self) -> None:
        """Nothing to release: record importers keep their rows in memory."""

    def write_conditions(self):
        """Connection settings around the write's transaction (none here)."""
        return nullcontext()

    def prepare(self) -> None:
        """Load what the rows refer to (before reading them)."""

    def load_stored(self) -> None:
        keys = list(self.staged)
        for start in range(0, len(keys), BATCH):
            chunk = keys[start : start + BATCH]
            query = self.model._default_manager.filter(
                source=self.ctx.source, external_id__in=chunk
            )
            self.stored.update({obj.external_id: obj for obj in query})

    def write(self) -> None:
        self.load_stored()
        now = timezone.now()
        updated: list[S] = []
        update_fields: set[str] = set()
        for key, (_line, fields) in self.staged.items():
            obj = self.stored.get(key)
            if obj is None:
                values = {**self.defaults, **fields}
                obj = self.model(source=self.ctx.source, external_id=key, **values)
                self.created.append(obj)
                continue
            before = audit.snapshot(obj, list(fields))
            for name, value in fields.items():
                setattr(obj, name, value)
            diff = audit.diff(before, audit.snapshot(obj, list(fields)))
            if diff:
                obj.updated_at = now
                update_fields.update(diff)
                updated.append(obj)
                self.changes[obj] = diff
        self.model._default_manager.bulk_create(self.created, batch_size=BATCH)
        if updated:
            self.model._default_manager.bulk_update(
                updated, sorted(update_fields | {"updated_at"}), batch_size=BATCH
            )

    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.created),
            "updated": len(self.changes),
            "unchanged": len(self.staged) - len(self.created) - len(self.changes),
        }

    def write_audit(self) -> None:
        entries = [
            audit.build_entry(
                actor=self.ctx.actor,
                instance=obj,
                action=AuditEntry.Action.IMPORT,
                changes={name: [None, value] for name, value in audit.snapshot(obj).items()},
                via="import",
            )
            for obj in self.created
        ]
        entries += [
            audit.build_entry(
                actor=self.ctx.actor,
                instance=obj,
                action=AuditEntry.Action.IMPORT,
                changes=diff,
                via="import",
            )
            for obj, diff in self.changes.items()
        ]
        AuditEntry.objects.bulk_create(entries, batch_size=BATCH)

    # --- helpers for subclasses -------------------------------------------
    def present(self, row: dict, names: tuple[str, ...]) -> dict:
        """The row's values for the columns that are in the file (and parsed)."""
        return {name: row[name] for name in names if self.ctx.has(name) and name in row}

    def account_pk(self, line: int, external_id, column: str = "account_id") -> int | None:
        """The stored account's pk; an unknown one is reported (an empty or bad cell
        already was)."""
        if not external_id:
            return None
        pk = self.accounts.get(external_id)
        if pk is None:
            self.ctx.errors.add(
                line, column, "unknown_account",
                _("no account %(account)s from source %(source)s")
                % {"account": repr(external_id), "source": repr(self.ctx.source)},
            )  # fmt: skip
        return pk

    def load_accounts(self) -> None:
        self.accounts = external_id_map(Account, self.ctx.source)


class ContactImporter(RecordImporter[Contact]):
    model = Contact
    audited = True
    TEXT = ("first_name", "last_name", "position", "department", "email", "phone")

    def prepare(self) -> None:
        self.load_accounts()

    def clean(self, line, row):
        fields = self.present(row, self.TEXT)
        ok = True
        if fields.get("email"):
            try:
                validate_email(fields["email"])
            except ValidationError:
                self.ctx.errors.add(
                    line, "email", "bad_value",
                    _("%(value)s is not an e-mail address") % {"value": repr(fields["email"])},
                )  # fmt: skip
                ok = False
        account = self.account_pk(line, row.get("account_id"))
        fields["account_id"] = account
        return fields if ok and account is not None else None


class ProductImporter(RecordImporter[Product]):
    model = Product
    key_column = "sku"
    defaults = {"unit": "pcs"}

    def clean(self, line, row):
        fields = self.present(row, ("name", "product_line", "unit"))
        fields["sku"] = row.get("sku")
        if "unit" in fields and not fields["unit"]:
            fields["unit"] = "pcs"
        return fields


class PaymentImporter(RecordImporter[Payment]):
    """Payments by their ERP id, or, for a row without one (settlement exports often have
    no payment number), by their content: see `derived_key`."""

    model = Payment

    def prepare(self) -> None:
        self.customers = Customers(self.ctx.source)
        self.invoices: dict[str, int] = {}
        self.defaults = {"currency": self.ctx.currency}
        self.occurrences: Counter[tuple[str, ...]] = Counter()
        self._account_ids: dict[int, str] | None = None

    def clean(self, line, row):
        paid_on = row.get("payment_date")
        fields: dict[str, object] = {
            "paid_on": date.fromisoformat(paid_on) if paid_on else None,
            "amount": money(row.get("amount")),
        }
        ok = True
        if self.ctx.has("currency"):
            fields["currency"] = check_code(
                self.ctx, line, row, "currency", CURRENCY_RE, self.ctx.currency
            )
            ok = fields["currency"] is not None
        if self.ctx.has("invoice_number"):
            fields["invoice_number"] = row.get("invoice_number") or ""
        fields["account_id"] = self.customers.find(self.ctx.errors, line, row, self.ctx.has)
        return fields if ok and fields["account_id"] is not None else None

    def derived_key(self, fields: dict) -> str:
        """`pay-` and a hash of the payment's date, account (its ERP id), amount, currency,
        invoice reference and occurrence: the n-th row of the file with that same content
        is occurrence n. The same file gives the same keys every time; a file with one
        more row gives one more key."""
        if self._account_ids is None:
            self._account_ids = {pk: key for key, pk in self.customers.by_id.items()}
        content = (
            fields["paid_on"].isoformat(),
            self._account_ids.get(fields["account_id"], f"#{fields['account_id']}"),
            str(fields["amount"]),
            fields.get("currency") or self.ctx.currency,
            fields.get("invoice_number") or "",
        )
        self.occurrences[content] += 1
        text = "\x1f".join((*content, str(self.occurrences[content])))
        return DERIVED_PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()[:DERIVED_HEX]

    def check_all(self) -> None:
        """Point payments at the invoices we know; the reference text is kept either way."""
        numbers = sorted(
            {f["invoice_number"] for _l, f in self.staged.values() if f.get("invoice_number")}
        )
        for start in range(0, len(numbers), BATCH):
            chunk = numbers[start : start + BATCH]
            self.invoices.update(
                Invoice.objects.filter(source=self.ctx.source, external_id__in=chunk).values_list(
                    "external_id", "pk"
                )
            )
        if self.ctx.has("invoice_number"):
            for _line, fields in self.staged.values():
                fields["invoice_id"] = self.invoices.get(fields["invoice_number"])
