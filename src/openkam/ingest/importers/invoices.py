"""Invoices: one row per invoice line, header fields repeated on every row (as ERPs export).

The hot path: each row is checked with a few dictionary look-ups and regular
expressions and streamed into a temporary staging table (PostgreSQL `COPY`, SQLite
`executemany`); a row that trips anything is re-parsed column by column to report
every problem. The checks that span rows (duplicate lines, conflicting headers) and
the merge into the ledger are set-based SQL over the staging table
(see `invoice_sql`). A stored invoice that is in the file is replaced by the file's
version: the file holds whole invoices, so lines missing from it are removed.

A row names its customer by ERP id (`account_id`) or by tax id (`account_tax_id`, see
`customers`); the bulk paths take a file that names them one way only and turn each
distinct cell into an account id before reading on. Lines' gross amounts, if the file
has them, are summed into the invoice's gross total.
"""

from __future__ import annotations

import re
from contextlib import nullcontext

from django.db import connection
from django.utils.translation import gettext as _

from openkam.ingest.importers import invoice_bulk, invoice_copy, invoice_sql
from openkam.ingest.importers.base import (
    CURRENCY_RE,
    PROGRESS_EVERY,
    ImportContext,
    RowParser,
    external_id_map,
)
from openkam.ingest.importers.customers import Customers
from openkam.ingest.parsing import DateCache
from openkam.ingest.reading import cell_text
from openkam.ledger.models import Product

# Plain or space-grouped ("1 234,56") numbers; anything else takes the careful path.
_MONEY = re.compile(r"-?(?:\d{1,16}|\d{1,3}(?: \d{3}){1,4})(?:[.,]\d{1,2})?\Z")
_QUANTITY = re.compile(r"-?(?:\d{1,15}|\d{1,3}(?: \d{3}){1,4})(?:[.,]\d{1,3})?\Z")


class _Slow(Exception):
    """The fast path met something unusual: re-check this row carefully."""


class _QuantityCache(dict):
    """Quantity cell -> canonical text, for cells the fast check accepts."""

    def __missing__(self, raw):
        if _QUANTITY.match(raw) is None:
            raise _Slow
        value = self[raw] = raw.replace(" ", "").replace(",", ".")
        return value


class _TaxIdCells(dict):
    """Tax id cell -> account pk, each distinct cell looked up once; KeyError for a cell
    that names no account or several (the careful path says which)."""

    def __init__(self, customers: Customers):
        super().__init__()
        self.customers = customers

    def __missing__(self, raw):
        if len(raw.strip()) > 32:
            raise KeyError(raw)
        try:
            pk = self.customers.pk_for_tax_id(raw)
        except ValueError:
            raise KeyError(raw) from None
        self[raw] = pk
        return pk


class InvoiceImporter:
    def __init__(self, ctx: ImportContext):
        self.ctx = ctx
        self.customers = Customers(ctx.source)
        self.accounts = self.customers.by_id
        self.products = external_id_map(Product, ctx.source, "sku")
        self.dates = DateCache(order=ctx.date_order)
        self.positions: dict[str, int] = {}  # invoice number -> lines seen (no line_no column)
        self.parser = RowParser(ctx)
        self.currency = ctx.currency  # of a row that names none
        self.currencies = {"PLN", "EUR", "USD", "RUB", self.currency}

    def read(self) -> None:
        """Read and check the file (outside the transaction): a first load of the source
        straight into the ledger if it can, else stage every good row and run the
        checks across rows."""
        self.first_load = invoice_bulk.read_first_load(
            connection, self.ctx, self.accounts, self.products, self.customers
        )
        if self.first_load is None:
            self._read_staged()

    def _read_staged(self) -> None:
        self.stage = invoice_sql.Stage(
            connection, source=self.ctx.source, gross=self.ctx.has("gross_amount")
        )
        if not self.ctx.has("account_id"):
            self.stage.account_column = "account_tax_id"
        self.stage.create()
        if not invoice_copy.stage_file(
            connection, self.ctx, self.accounts, self.products, self.customers
        ):
            self.stage.load(self._rows())
        explicit_line_no = self.ctx.has("line_no")
        for line, column, reason, detail in self.stage.cross_row_errors(
            explicit_line_no, cap=self.ctx.errors.cap
        ):
            self.ctx.errors.add(line, column, reason, detail)

    def write_all(self) -> dict[str, int]:
        if self.first_load is not None:
            counts = self.first_load.write()
            if counts is not None:
                return counts
            # The source's invoices were stored while the file was read: compare with them.
            self.ctx.rows = 0
            self._read_staged()
        return self.stage.merge()

    def write_conditions(self):
        """Connection settings around the write's transaction: a first load sets some."""
        if getattr(self, "first_load", None) is not None:
            return self.first_load.write_conditions()
        return nullcontext()

    def cleanup(self) -> None:
        if getattr(self, "first_load", None) is not None:
            self.first_load.cleanup()
        if hasattr(self, "stage"):
            self.stage.drop()

    def _rows(self):
        p = self.ctx.positions
        width = len(self.ctx.table.header)
        i_num, i_date = p["invoice_number"], p["invoice_date"]
        i_sku, i_qty, i_net = p["sku"], p["quantity"], p["net_amount"]
        i_line, i_due = p.get("line_no"), p.get("due_date")
        i_cost, i_cur, i_reason = p.get("cost_amount"), p.get("currency"), p.get("return_reason")
        i_gross = p.get("gross_amount")
        # Raw cell -> staged value, each distinct string checked once: a file repeats a
        # few hundred dates and quantities a million times. A cell missing from a
        # cache (or failing its check) raises and the row takes the careful path.
        dates, dues = self.dates, DateCache({"": None}, order=self.ctx.date_order)
        quantities = _QuantityCache()
        # The customer by ERP id; by tax id in a file without ERP ids (a row with an
        # empty ERP id is not in the map: it takes the careful path, which tries its tax id).
        if "account_id" in p:
            i_acc, accounts = p["account_id"], self.accounts
        else:
            i_acc, accounts = p["account_tax_id"], _TaxIdCells(self.customers)
        products = self.products
        money_ok = _MONEY.match
        default_currency = self.currency
        currencies, positions = self.currencies, self.positions
        count = 0
        for count, (line, v) in enumerate(self.ctx.table.rows, start=1):  # noqa: B007
            if count % PROGRESS_EVERY == 0:
                self.ctx.rows = count
                self.ctx.report_progress()
            try:
                if len(v) != width:
                    raise _Slow
                number = v[i_num].strip()
                if not number or len(number) > 64:
                    raise _Slow
                if i_line is None:
                    line_no = positions.get(number, 0) + 1
                elif not (line_no := v[i_line]).isdecimal() or len(line_no) > 9:
                    raise _Slow  # isdecimal() is what a regex \d matches, at a third of the cost
                # No strip: a padded cell fails the fast checks and goes the careful way.
                net = v[i_net]
                cost = (v[i_cost] or "0") if i_cost is not None else "0"
                if money_ok(net) is None or money_ok(cost) is None:
                    raise _Slow
                gross = v[i_gross] if i_gross is not None else ""
                if gross:
                    if money_ok(gross) is None:
                        raise _Slow
                    gross = gross.replace(" ", "").replace(",", ".")
                currency = (v[i_cur] or default_currency) if i_cur is not None else default_currency
                if currency not in currencies:
                    currency = currency.strip().upper() or default_currency
                    if currency not in currencies:
                        raise _Slow
                reason = v[i_reason] if i_reason is not None else ""
                if reason and len(reason := reason.strip()) > 200:
                    raise _Slow
                row = (
                    line,
                    number,
                    line_no,
                    dates[v[i_date]],
                    dues[v[i_due]] if i_due is not None else None,
                    accounts[v[i_acc]],
                    products[v[i_sku]],
                    quantities[v[i_qty]],
                    net.replace(" ", "").replace(",", "."),
                    cost.replace(" ", "").replace(",", "."),
                    currency,
                    reason,
                    gross or None,
                )
                if i_line is None:
                    positions[number] = line_no
                yield row
            except (_Slow, KeyError, ValueError, TypeError, AttributeError, IndexError):
                row = self._careful(line, v)
                if row is not None:
                    yield row
        self.ctx.rows = count
        self.ctx.report_progress()

    def _careful(self, line: int, values: list):
        """Parse one row column by column, reporting every problem; the row or None."""
        errors = self.ctx.errors
        before = errors.count
        row, _ok = self.parser.cells(line, values)
        account = self.customers.find(errors, line, row, self.ctx.has)
        product = self.products.get(row.get("sku"))
        if product is None and row.get("sku"):
            errors.add(
                line, "sku", "unknown_product",
                _("no product %(sku)s from source %(source)s")
                % {"sku": repr(row["sku"]), "source": repr(self.ctx.source)},
            )  # fmt: skip
        currency = (row.get("currency") or self.currency).upper()
        if not CURRENCY_RE.match(currency):
            errors.add(
                line, "currency", "bad_value",
                _("%(value)s is not an ISO currency code") % {"value": repr(currency)},
            )  # fmt: skip
        else:
            self.currencies.add(currency)
        line_no = row.get("line_no")
        if self.ctx.has("line_no") and "line_no" in row and line_no is None:
            errors.add(line, "line_no", "missing_required", _("line_no is empty"))
        if line_no is None:
            line_no = self._count_position(line, values)
        if errors.count > before:
            return None
        return (
            line,
            row["invoice_number"],
            line_no,
            row["invoice_date"],
            row.get("due_date"),
            account,
            product,
            row["quantity"],
            row["net_amount"],
            row.get("cost_amount") or "0",
            currency,
            row.get("return_reason") or "",
            row.get("gross_amount"),
        )

    def _count_position(self, line: int, values: list) -> int | None:
        if self.ctx.has("line_no"):
            return None
        index = self.ctx.positions["invoice_number"]
        raw = values[index] if index < len(values) else None
        number = cell_text(raw)
        if not number:
            return None
        position = self.positions.get(number, 0) + 1
        self.positions[number] = position
        return position
