"""PostgreSQL: stage a clean invoice CSV without a Python loop over its rows.

The file's bytes go to the server as they are (`COPY ... (FORMAT csv, ENCODING ...)`)
into a temporary table of text cells; one INSERT converts them into the staging table.
Python looks only at what is few: the distinct dates, quantities, currencies, line
numbers and return reasons (checked with the same converters as the row path) and the
lines that hold non-ASCII bytes (checked for a wrong encoding as the row path does).

This path accepts a subset of what the row path accepts, and stages the same values.
Anything else — a bad or unusual cell, quotes, blank lines, rows of the wrong width, a
totals row, customers named both by ERP id and by tax id — makes it give up
(`Unusual`), and the importer re-reads the file row by row, which accepts what it
should and names every bad line, column and reason.
"""

from __future__ import annotations

from contextlib import contextmanager, nullcontext
from pathlib import Path

import psycopg
from django.db import DatabaseError, transaction

from openkam.ingest.columns import COLUMNS
from openkam.ingest.importers.base import CURRENCY_RE, ImportContext, convert_cell, is_blank
from openkam.ingest.importers.customers import Customers
from openkam.ingest.parsing import BadValue, parse_int
from openkam.ingest.reading import block_reads_wrong
from openkam.ingest.totals import block_has_totals

SERVER_ENCODINGS = {"utf-8": "UTF8", "cp1250": "WIN1250", "cp1251": "WIN1251"}
READ_BYTES = 1 << 20
# A progress report between COPY statements (none can run during one).
COPY_STATEMENT_BYTES = 16 << 20
_DIGITS = ("0123456789", "0000000000")
# Python's str.strip() removes these; a cell that starts or ends with one goes the row way.
_WHITESPACE = ", ".join(str(code) for code in range(0x3001) if chr(code).isspace())
SPECS = {column.name: column for column in COLUMNS["invoices"]}


class Unusual(Exception):
    """The file needs the row-by-row path."""


def _money_shapes() -> list[str]:
    """Every digit pattern the row path's fast money check accepts (digits as 0)."""
    wholes = ["0" * n for n in range(1, 17)] + [
        "0" * lead + " 000" * groups for lead in (1, 2, 3) for groups in (1, 2, 3, 4)
    ]
    fractions = [""] + [sep + "0" * n for sep in ".," for n in (1, 2)]
    return [sign + w + f for sign in ("", "-") for w in wholes for f in fractions]


MONEY_SHAPES = _money_shapes()


def stage_file(
    connection,
    ctx: ImportContext,
    accounts: dict,
    products: dict,
    customers: Customers | None = None,
) -> bool:
    """Fill `ingest_stage` from the file; False (nothing staged) if it needs the row path."""
    table = ctx.table
    if (
        connection.vendor != "postgresql"
        or table.path is None
        or table.encoding not in SERVER_ENCODINGS
        or ctx.errors
    ):
        return False
    loader = _Loader(connection, ctx, table.path, customers or Customers(ctx.source))
    try:
        loader.copy_file()
        loader.map_accounts_and_products(accounts, products)
        ctx.rows = loader.convert()
    except Unusual:
        loader.run("DELETE FROM ingest_stage")
        return False
    finally:
        loader.drop()
    if ctx.progress is not None:
        ctx.progress(table.total)
    return True


class _Loader:
    def __init__(self, connection, ctx: ImportContext, path: Path, customers: Customers):
        self.connection = connection
        self.ctx = ctx
        self.path = path
        self.customers = customers
        self.width = len(ctx.table.header)
        self.encoding = ctx.table.encoding
        self.maps: list[str] = []

    # --- plumbing -----------------------------------------------------------
    def run(self, sql: str, params=()) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount

    def fetch(self, sql: str, params=()) -> list[tuple]:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    @contextmanager
    def _may_fail(self):
        """A statement the server may reject (bad bytes, a NULL where a value must be):
        that means "take the row path", and inside a transaction a savepoint keeps it
        from spoiling the rest."""
        in_transaction = self.connection.in_atomic_block
        try:
            with transaction.atomic() if in_transaction else nullcontext():
                yield
        except (DatabaseError, psycopg.Error) as exc:
            raise Unusual(str(exc)) from None

    def drop(self) -> None:
        for name in ["ingest_raw", *self.maps]:
            self.run(f"DROP TABLE IF EXISTS {name}")

    def cell(self, name: str) -> str | None:
        index = self.ctx.positions.get(name)
        return None if index is None else f"r.c{index}"

    def present_cell(self, name: str) -> str:
        """A required column's cell (the header was checked for it before reading)."""
        cell = self.cell(name)
        if cell is None:
            raise Unusual(f"no {name} column")
        return cell

    # --- the file -----------------------------------------------------------
    def copy_file(self) -> None:
        columns = ", ".join(f"c{i} text" for i in range(self.width))
        self.run(
            f"CREATE TEMP TABLE ingest_raw (ord bigint GENERATED ALWAYS AS IDENTITY, {columns})"
        )
        sql = (
            f"COPY ingest_raw ({', '.join(f'c{i}' for i in range(self.width))}) FROM STDIN"
            f" WITH (FORMAT csv, DELIMITER '{self.ctx.table.delimiter}',"
            f" ENCODING '{SERVER_ENCODINGS[self.encoding]}')"
        )
        with open(self.path, "rb") as handle:
            start, end = self._data_bounds(handle)
            handle.seek(start)
            done = start
            while done < end:
                statement_end = min(done + COPY_STATEMENT_BYTES, end)
                with self._may_fail(), self.connection.cursor() as cursor:
                    with cursor.cursor.copy(sql) as copy:
                        done = self._send(handle, copy, done, statement_end, end)
                if self.ctx.progress is not None:
                    self.ctx.progress(done)

    def _data_bounds(self, handle) -> tuple[int, int]:
        """Where the rows start (after the header line) and end (trailing line breaks
        left out); the line break the file uses."""
        head = handle.read(READ_BYTES)
        newline = head.find(b"\n")
        if newline < 0 or b"\r" in head[: newline - 1]:
            raise Unusual("no plain line break after the header")
        self.eol = b"\r\n" if head[newline - 1 : newline] == b"\r" else b"\n"
        size = self.path.stat().st_size
        handle.seek(max(size - 4096, 0))
        tail = handle.read()
        end = size - (len(tail) - len(tail.rstrip(b"\r\n")))
        return newline + 1, max(end, newline + 1)

    def _send(self, handle, copy, done: int, statement_end: int, end: int) -> int:
        """Send whole lines up to about `statement_end`; the position reached."""
        while done < statement_end:
            block = handle.read(min(READ_BYTES, end - done))
            if done + len(block) < end:
                cut = block.rfind(b"\n") + 1
                if cut == 0:
                    raise Unusual("a line longer than the read size")
                handle.seek(cut - len(block), 1)
                block = block[:cut]
                done += cut
            else:
                done = end
                block += self.eol  # the last line, its line break left out above
            self._check(block)
            copy.write(block)
        return done

    def _check(self, block: bytes) -> None:
        """Refuse what the server would read differently from Python's csv module (quotes,
        a `\\.` end marker, bare carriage returns, blank lines) and text in a wrong
        encoding."""
        if b'"' in block or b"\\." in block or block.count(b"\r") != block.count(b"\r\n"):
            raise Unusual("quotes, an end marker or bare carriage returns")
        if block.startswith((b"\n", b"\r\n")) or b"\n\n" in block or b"\n\r\n" in block:
            raise Unusual("a blank line")
        if block_reads_wrong(block, self.encoding):
            raise Unusual("a line in a wrong encoding")
        if block_has_totals(block, self.encoding, self.ctx.table.delimiter):
            raise Unusual("a totals row")

    # --- lookups ------------------------------------------------------------
    def map_accounts_and_products(self, accounts: dict, products: dict) -> None:
        if self.cell("account_id"):  # else the customers' tax ids are mapped (`_account`)
            self._map_table("ingest_map_account", "bigint", accounts.items())
        self._map_table("ingest_map_product", "bigint", products.items())

    def _map_table(self, name: str, value_type: str, pairs) -> None:
        self.maps.append(name)
        self.run(f"CREATE TEMP TABLE {name} (raw text NOT NULL, value {value_type} NULL)")
        with self.connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {name} (raw, value) FROM STDIN") as copy:
                for pair in pairs:
                    copy.write_row(pair)
        self.run(f"ANALYZE {name}")

    def _distinct_cells(self) -> None:
        """Each mapped column's distinct cells ('' for an empty one), in two scans: the
        header's columns and the line's (their combinations stay few)."""
        self.distinct: dict[str, set[str]] = {}
        by_tax_id = self.cell("account_id") is None  # else the tax ids are not read
        for group in (
            ("invoice_date", "due_date", "currency", "account_tax_id"),
            ("line_no", "quantity", "return_reason"),
        ):
            names = [
                name
                for name in group
                if self.cell(name) and (by_tax_id or name != "account_tax_id")
            ]
            cells = ", ".join(f"COALESCE({self.cell(name)}, '')" for name in names)
            rows = self.fetch(f"SELECT DISTINCT {cells} FROM ingest_raw r") if names else []
            for index, name in enumerate(names):
                self.distinct[name] = {row[index] for row in rows}

    def _value_map(self, name: str, convert, value_type: str) -> str:
        """The SQL that reads a column's staged value: each distinct cell is converted
        in Python by the row path's rules; the cell itself (cast) when every one is
        already in the form the database reads alike, else a join to a map."""
        cell = self.cell(name)
        pairs = []
        for raw in self.distinct[name]:
            try:
                pairs.append((raw, convert(raw)))
            except (BadValue, ValueError) as exc:
                raise Unusual(f"{name} {raw!r}") from exc
        if all(str(value) == raw for raw, value in pairs if raw):
            empty = dict(pairs).get("")
            literal = "NULL" if empty is None else "'" + str(empty).replace("'", "''") + "'"
            return f"CAST(COALESCE({cell}, {literal}) AS {value_type})"
        table = f"ingest_map_{name}"
        self._map_table(table, value_type, pairs)
        alias = f"m_{name}"
        self.joins.append(f" JOIN {table} {alias} ON {alias}.raw = COALESCE({cell}, '')")
        return f"{alias}.value"

    # --- conversion ---------------------------------------------------------
    def convert(self) -> int:
        self.joins: list[str] = []
        self._distinct_cells()
        order, currency = self.ctx.date_order, self.ctx.currency
        values = [
            "r.ord + 1",
            self._number(),
            self._line_no(),
            self._value_map("invoice_date", _required(SPECS["invoice_date"], order), "date"),
            self._optional("due_date", _optional(SPECS["due_date"], order), "date", "NULL"),
            self._account(),
            self._lookup("sku", "ingest_map_product"),
            self._value_map("quantity", _required(SPECS["quantity"]), "numeric(18, 3)"),
            self._money(self.present_cell("net_amount")),
            self._money(f"COALESCE(NULLIF({self.cell('cost_amount')}, ''), '0')")
            if self.cell("cost_amount")
            else "0",
            self._optional("currency", currency_of(currency), "text", f"'{currency}'"),
            self._optional("return_reason", _reason, "text", "''"),
            self._gross(),
        ]
        # The maps are small and the raw table unanalysed: without this the planner
        # guesses a handful of rows and nests loops over a million.
        self.run("SET enable_nestloop = off")
        try:
            with self._may_fail():
                return self.run(
                    "INSERT INTO ingest_stage (line, number, line_no, issued_on, due_on,"
                    " account_id, product_id, quantity, net_amount, cost_amount, currency,"
                    f" return_reason, gross_amount) SELECT {', '.join(values)}"
                    f" FROM ingest_raw r{''.join(self.joins)}"
                )
        finally:
            self.run("RESET enable_nestloop")

    def _optional(self, name: str, convert, value_type: str, absent: str) -> str:
        return self._value_map(name, convert, value_type) if self.cell(name) else absent

    def _number(self) -> str:
        """The cell as it is, if Python's strip() would leave it so (else NULL: the
        staging table's NOT NULL sends the file the row way)."""
        cell = self.cell("invoice_number")
        return (
            f"CASE WHEN length({cell}) BETWEEN 1 AND {SPECS['invoice_number'].max_length}"
            f" AND ascii({cell}) NOT IN ({_WHITESPACE})"
            f" AND ascii(right({cell}, 1)) NOT IN ({_WHITESPACE}) THEN {cell} END"
        )

    def _line_no(self) -> str:
        if self.cell("line_no"):
            return self._value_map("line_no", _line_no, "integer")
        # As the row path counts them: the n-th line of an invoice in the file.
        return f"row_number() OVER (PARTITION BY {self.cell('invoice_number')} ORDER BY r.ord)"

    def _account(self) -> str:
        """The customer's id by ERP id or, in a file without ERP ids, by tax id (each
        distinct tax id looked up once; one that names no account, or several, sends the
        file the row way, which says so)."""
        if self.cell("account_id"):
            return self._lookup("account_id", "ingest_map_account")
        return self._value_map("account_tax_id", tax_account(self.customers), "bigint")

    def _gross(self) -> str:
        """A line's gross amount: NULL for an empty cell, the amount for one of the fast
        shapes; any other cell fails the statement (the row way then reads it), as a
        NULL would pass for "no gross amount"."""
        cell = self.cell("gross_amount")
        if cell is None:
            return "NULL"
        shapes = ", ".join(f"'{shape}'" for shape in MONEY_SHAPES)
        return (
            f"CASE WHEN COALESCE({cell}, '') = '' THEN NULL"
            f" WHEN translate({cell}, '{_DIGITS[0]}', '{_DIGITS[1]}') IN ({shapes})"
            f" THEN replace(replace({cell}, ' ', ''), ',', '.')::numeric(18, 2)"
            f" ELSE ({cell} || ' is no amount')::numeric(18, 2) END"
        )

    def _lookup(self, name: str, table: str) -> str:
        alias = f"m_{name}"
        self.joins.append(f" LEFT JOIN {table} {alias} ON {alias}.raw = {self.cell(name)}")
        return f"{alias}.value"

    def _money(self, cell: str) -> str:
        """Plain or space-grouped amounts, as the row path's fast check takes them."""
        shapes = ", ".join(f"'{shape}'" for shape in MONEY_SHAPES)
        return (
            f"CASE WHEN translate({cell}, '{_DIGITS[0]}', '{_DIGITS[1]}') IN ({shapes})"
            f" THEN replace(replace({cell}, ' ', ''), ',', '.')::numeric(18, 2) END"
        )


def _required(column, date_order: str = ""):
    def convert(raw: str):
        if is_blank(raw):
            raise BadValue("missing")
        return convert_cell(column, raw, date_order)

    return convert


def _optional(column, date_order: str = ""):
    def convert(raw: str):
        return None if is_blank(raw) else convert_cell(column, raw, date_order)

    return convert


def tax_account(customers: Customers):
    """A tax id cell -> the pk of the one account with that tax id (else BadValue)."""

    def convert(raw: str) -> int:
        if is_blank(raw):
            raise BadValue("missing")
        return customers.pk_for_tax_id(convert_cell(SPECS["account_tax_id"], raw))

    return convert


def _line_no(raw: str) -> int:
    if is_blank(raw):
        raise BadValue("missing")
    return parse_int(raw)


def currency_of(default: str):
    """A currency cell -> its code (`default` for an empty cell), as the row path reads it."""

    def convert(raw: str) -> str:
        text = convert_cell(SPECS["currency"], raw) if not is_blank(raw) else ""
        code = (text or default).upper()
        if not CURRENCY_RE.match(code):
            raise BadValue(code)
        return code

    return convert


def _reason(raw: str) -> str:
    return "" if is_blank(raw) else convert_cell(SPECS["return_reason"], raw)
