"""Set-based work for the invoice import over a temporary staging table.

The same SQL runs on SQLite (3.33+, for UPDATE ... FROM) and PostgreSQL; only the
staging load (`COPY` vs `executemany`) and a null-safe comparison differ.

A line's gross amount is staged only to be summed into its invoice's gross total (the
lines keep no gross amount); without a gross_amount column in the file a stored
invoice's gross total is left as it is, and a new one has none.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext
from itertools import islice

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.ingest.importers.set_aside import keys_and_indexes_set_aside
from openkam.ledger.models import Invoice, InvoiceLine

STAGE_COLUMNS = (
    "line, number, line_no, issued_on, due_on, account_id, product_id, "
    "quantity, net_amount, cost_amount, currency, return_reason, gross_amount"
)
STAGE_WIDTH = STAGE_COLUMNS.count(",") + 1
BATCH_ROWS = 20_000
# Lines go in in (invoice, line_no) order so the invoice indexes grow at their right
# end. SQLite gets that order without a sort: invoices in id order (the outer loop,
# forced by CROSS JOIN), each one's staged lines through the (number, line_no) index.
LINE_SOURCE = {
    "postgresql": " FROM ingest_stage s JOIN ingest_head h ON h.number = s.number"
    " WHERE h.status <> 'same' ORDER BY 1, 2",
    "sqlite": " FROM ingest_head h CROSS JOIN ingest_stage s ON s.number = h.number"
    " WHERE h.status <> 'same'",
}
BULK_MIN_LINES = 50_000
LEDGER = (Invoice, InvoiceLine)


# The highest invoice id SQLite has handed out (AUTOINCREMENT never reuses one).
SQLITE_TOP_INVOICE_ID = (
    "SELECT MAX(top) FROM (SELECT COALESCE(MAX(id), 0) AS top FROM ledger_invoice"
    " UNION ALL SELECT seq FROM sqlite_sequence WHERE name = 'ledger_invoice')"
)


def has_stored_invoices(connection, source: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM ledger_invoice WHERE source = %s AND external_id <> '' LIMIT 1",
            [source],
        )
        return cursor.fetchone() is not None


def is_bulk_load(connection, writing: int) -> bool:
    """A load at least as big as the stored lines (a first import, a backfill):
    building the indexes and checking the keys once beats doing it row by row.
    It locks the invoice tables until the import commits; nightly deltas into a
    big ledger take the row-by-row path and lock nothing extra."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT GREATEST(reltuples, 0) FROM pg_class"
                           " WHERE oid = 'ledger_invoiceline'::regclass")  # fmt: skip
        else:
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM ledger_invoiceline")
        stored = cursor.fetchone()[0]
    return writing >= BULK_MIN_LINES and writing >= stored


@contextmanager
def ledger_write(connection, writing: int):
    """Write `writing` lines into the ledger: for a bulk load with its keys and indexes
    set aside and rebuilt once at the end."""
    if not is_bulk_load(connection, writing):
        yield
        return
    postgres = connection.vendor == "postgresql"
    with (
        keys_and_indexes_set_aside(LEDGER),
        line_keys_set_aside(connection) if postgres else nullcontext(),
    ):
        yield


@contextmanager
def line_keys_set_aside(connection):
    """PostgreSQL bulk load: the lines' primary key and unique constraint go too, and
    are built once from all rows instead of taking a million inserts each. Only
    while no foreign key points at the lines (one would have to go first)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_constraint WHERE confrelid = 'ledger_invoiceline'::regclass"
        )
        referenced = cursor.fetchall()
        keys = []
        if not referenced:
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE conrelid = 'ledger_invoiceline'::regclass AND contype IN ('p', 'u')"
                " ORDER BY contype, conname"
            )
            keys = cursor.fetchall()
        for name, _definition in keys:
            cursor.execute(f'ALTER TABLE ledger_invoiceline DROP CONSTRAINT "{name}"')
    yield
    with connection.cursor() as cursor:
        for name, definition in keys:
            cursor.execute(f'ALTER TABLE ledger_invoiceline ADD CONSTRAINT "{name}" {definition}')


def _conflict_message(column: str, number: str, first: int) -> str:
    if column == "gross_amount":
        return _(
            "invoice %(number)s has a gross amount on some of its lines only (unlike line "
            "%(first)s): give one on every line of the invoice or on none"
        ) % {"number": number, "first": first}
    return _("invoice %(number)s has a different %(column)s than on line %(first)s") % {
        "number": number, "column": column, "first": first}  # fmt: skip


def _batches(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    rows = iter(rows)
    while batch := list(islice(rows, size)):
        yield batch


class Stage:
    def __init__(self, connection, *, source: str, gross: bool = False):
        self.connection = connection
        self.source = source
        self.gross = gross  # the file has a gross_amount column
        self.postgres = connection.vendor == "postgresql"
        self.distinct = "IS DISTINCT FROM" if self.postgres else "IS NOT"

    def _run(self, sql: str, params=()) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount

    def _fetch(self, sql: str, params=()) -> list[tuple]:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    # The column that named a line's customer, for a conflicting-header error.
    account_column = "account_id"

    def create(self) -> None:
        self.drop()
        if self.postgres:
            # The aggregates and joins over a million staged rows spill to disk with
            # the default 4 MB; this session only, reset by `drop`.
            self._run("SET work_mem = '256MB'")
        self._run(
            "CREATE TEMP TABLE ingest_stage (line integer NOT NULL, number varchar(64) NOT NULL,"
            " line_no integer NOT NULL, issued_on date NOT NULL, due_on date NULL,"
            " account_id bigint NOT NULL, product_id bigint NOT NULL,"
            " quantity decimal(18, 3) NOT NULL, net_amount decimal(18, 2) NOT NULL,"
            " cost_amount decimal(18, 2) NOT NULL, currency varchar(3) NOT NULL,"
            " return_reason varchar(200) NOT NULL, gross_amount decimal(18, 2) NULL)"
        )
        # Numbers are unique by construction (GROUP BY); SQLite's loop over invoices in
        # the line insert walks the primary key, PostgreSQL only hash-joins on it.
        key = "" if self.postgres else " PRIMARY KEY"
        self._run(
            f"CREATE TEMP TABLE ingest_head (number varchar(64) NOT NULL{key},"
            " first_line integer NOT NULL, issued_on date NOT NULL, due_on date NULL,"
            " account_id bigint NOT NULL, currency varchar(3) NOT NULL, n_lines integer NOT NULL,"
            " net_total decimal(18, 2) NOT NULL, cost_total decimal(18, 2) NOT NULL,"
            " gross_total decimal(18, 2) NULL, invoice_id bigint NULL, new_id bigint NULL, status varchar(10) NOT NULL,"
            " conflicted boolean NOT NULL, repeats boolean NOT NULL)"
        )

    def drop(self) -> None:
        self._run("DROP TABLE IF EXISTS ingest_stage")
        self._run("DROP TABLE IF EXISTS ingest_head")
        if self.postgres:
            self._run("RESET work_mem")

    def load(self, rows: Iterable[tuple]) -> None:
        """Stage row tuples (in STAGE_COLUMNS order) in batches.

        Between batches the connection is free, so a progress callback may write
        to the database (a query during an open COPY would wait for ever).
        """
        for batch in _batches(rows, BATCH_ROWS):
            if self.postgres:
                with self.connection.cursor() as cursor:
                    sql = f"COPY ingest_stage ({STAGE_COLUMNS}) FROM STDIN"
                    with cursor.cursor.copy(sql) as copy:
                        for row in batch:
                            copy.write_row(row)
            else:
                self.connection.ensure_connection()
                placeholders = ", ".join(["?"] * STAGE_WIDTH)
                # The sqlite3 connection itself: no per-row Django wrapping.
                self.connection.connection.executemany(
                    f"INSERT INTO ingest_stage ({STAGE_COLUMNS}) VALUES ({placeholders})", batch
                )

    # --- checks across rows ---------------------------------------------------
    def cross_row_errors(self, explicit_line_no: bool, *, cap: int):
        """(line, column, reason, detail) for duplicate lines and conflicting headers.

        One GROUP BY builds the invoice headers and flags the invoices whose lines
        disagree or may repeat a line number; only a flagged file pays for the joins
        that name each line.
        """
        if self.postgres:
            self._run("ANALYZE ingest_stage")
            unique = False
        else:
            unique = self._index_unique_lines()
        self._build_heads(explicit_line_no and not unique)
        conflicted, repeats = self._fetch(
            "SELECT COUNT(*) FILTER (WHERE conflicted), COUNT(*) FILTER (WHERE repeats)"
            " FROM ingest_head"
        )[0]
        errors = []
        if repeats:
            errors += [
                (line, "line_no", "duplicate_id",
                 _("invoice %(number)s line %(line_no)s is also on line %(first)s")
                 % {"number": number, "line_no": line_no, "first": first})
                for line, number, line_no, first in self._fetch(
                    "SELECT s.line, s.number, s.line_no, d.first_line FROM ingest_stage s"
                    " JOIN (SELECT number, line_no, MIN(line) AS first_line FROM ingest_stage"
                    "       GROUP BY number, line_no HAVING COUNT(*) > 1) d"
                    " ON d.number = s.number AND d.line_no = s.line_no"
                    " WHERE s.line <> d.first_line ORDER BY s.line LIMIT %s",
                    [cap],
                )
            ]  # fmt: skip
        if conflicted:
            errors += self._header_conflicts(cap)
        return errors

    def _index_unique_lines(self) -> bool:
        """SQLite: index the staged lines by invoice and line number; True if no pair
        repeats (then a unique index builds, and the duplicate search is skipped)."""
        in_transaction = self.connection.in_atomic_block
        try:
            # A savepoint keeps a failed build from spoiling an outer transaction.
            with (
                transaction.atomic(using=self.connection.alias) if in_transaction else nullcontext()
            ):
                self._run(
                    "CREATE UNIQUE INDEX ingest_stage_number ON ingest_stage (number, line_no)"
                )
            return True
        except IntegrityError:
            self._run("CREATE INDEX ingest_stage_number ON ingest_stage (number, line_no, line)")
            return False

    def _build_heads(self, check_repeats: bool) -> None:
        """One row per invoice with the header of its lines, its totals and two flags.

        Without conflicts every line carries the same header, so MIN() is the first
        line's value. `repeats` is exact for line numbers up to 62: the powers of two
        of distinct numbers sum to their bitwise OR, a repeated one carries. Larger
        numbers are flagged too and get the exact search.
        """
        # COALESCE: MIN(due_on) <> MAX(due_on) is NULL when no line has a due date.
        # A gross amount is on every line of an invoice or on none.
        conflicted = (
            "COALESCE(MIN(issued_on) <> MAX(issued_on) OR MIN(account_id) <> MAX(account_id)"
            " OR MIN(currency) <> MAX(currency) OR MIN(due_on) <> MAX(due_on)"
            " OR COUNT(due_on) NOT IN (0, COUNT(*))"
            " OR COUNT(gross_amount) NOT IN (0, COUNT(*)), FALSE)"
        )
        if not check_repeats:
            repeats = "FALSE"
        elif self.postgres:
            repeats = (
                "MAX(line_no) > 62 OR SUM(1::bigint << LEAST(line_no, 62))"
                " <> BIT_OR(1::bigint << LEAST(line_no, 62))"
            )
        else:
            repeats = "TRUE"  # SQLite proves uniqueness with an index instead
        self._run(
            "INSERT INTO ingest_head (number, first_line, issued_on, due_on, account_id,"
            " currency, n_lines, net_total, cost_total, gross_total, new_id, status,"
            " conflicted, repeats)"
            " SELECT number, MIN(line), MIN(issued_on), MIN(due_on), MIN(account_id),"
            " MIN(currency), COUNT(*), ROUND(SUM(net_amount), 2), ROUND(SUM(cost_amount), 2),"
            f" ROUND(SUM(gross_amount), 2), {self._next_id_sql}, 'new', {conflicted}, {repeats}"
            " FROM ingest_stage GROUP BY number"
        )
        if self.postgres:
            self._run("ANALYZE ingest_head")

    def _first_line_heads(self) -> None:
        """Headers from each invoice's first line: what conflicting lines are named against."""
        if self.postgres:
            heads = (
                "SELECT s.number, s.line, s.issued_on, s.due_on, s.account_id, s.currency,"
                " s.gross_amount FROM ingest_stage s JOIN (SELECT number, MIN(line) AS first_line"
                "  FROM ingest_stage GROUP BY number) a"
                " ON a.number = s.number AND a.first_line = s.line"
            )
        else:
            # With a single MIN() in the query, SQLite takes the other bare columns
            # from the row that holds the minimum (the invoice's first line).
            heads = (
                "SELECT number, MIN(line), issued_on, due_on, account_id, currency,"
                " gross_amount FROM ingest_stage GROUP BY number"
            )
        # gross_total holds the first line's gross amount: whether it has one is compared.
        self._run("DELETE FROM ingest_head")
        self._run(
            "INSERT INTO ingest_head (number, first_line, issued_on, due_on, account_id,"
            " currency, gross_total, n_lines, net_total, cost_total, status, conflicted,"
            " repeats)"
            f" SELECT h.*, 0, 0, 0, 'new', FALSE, FALSE FROM ({heads}) h"
        )

    @property
    def _next_id_sql(self) -> str:
        """PostgreSQL hands out invoice ids here (sequences ignore transactions, so no
        other writer can take them); SQLite numbers new invoices inside the write
        transaction instead (`_number_new_invoices`). The sequence is looked up once:
        `pg_get_serial_sequence` per row costs seconds a million rows."""
        if self.postgres:
            sequence = self._fetch("SELECT pg_get_serial_sequence('ledger_invoice', 'id')")[0][0]
            return f"nextval('{sequence}'::regclass)"
        return "NULL"

    def _number_new_invoices(self) -> None:
        if self.postgres:
            return
        self._run(
            f"UPDATE ingest_head SET new_id = rowid + ({SQLITE_TOP_INVOICE_ID})"
            " WHERE status = 'new'"
        )

    def _header_conflicts(self, cap: int):
        self._first_line_heads()
        d = self.distinct
        gross = "(s.gross_amount IS NULL) <> (h.gross_total IS NULL)"
        rows = self._fetch(
            "SELECT s.line, h.first_line, h.number,"
            f" s.issued_on {d} h.issued_on, s.account_id {d} h.account_id,"
            f" s.currency {d} h.currency, s.due_on {d} h.due_on, {gross}"
            " FROM ingest_stage s JOIN ingest_head h ON h.number = s.number"
            f" WHERE s.issued_on {d} h.issued_on OR s.account_id {d} h.account_id"
            f" OR s.currency {d} h.currency OR s.due_on {d} h.due_on OR {gross}"
            " ORDER BY s.line LIMIT %s",
            [cap],
        )
        names = ("invoice_date", self.account_column, "currency", "due_date", "gross_amount")
        return [
            (line, column, "conflicting_header", _conflict_message(column, number, first))
            for line, first, number, *differs in rows
            for column, differ in zip(names, differs, strict=True)
            if differ
        ]

    # --- the merge ------------------------------------------------------------
    def merge(self) -> dict[str, int]:
        stored = has_stored_invoices(self.connection, self.source)
        if stored:
            self._link_stored()
            self._mark_changed()
        self._number_new_invoices()
        writing = self._fetch("SELECT COALESCE(SUM(n_lines), 0) FROM ingest_head"
                              " WHERE status <> 'same'")[0][0]  # fmt: skip
        with ledger_write(self.connection, writing):
            lines = self._write_ledger(changes=stored)
        counts = dict(self._fetch("SELECT status, COUNT(*) FROM ingest_head GROUP BY status"))
        return {
            "created": counts.get("new", 0),
            "updated": counts.get("changed", 0),
            "unchanged": counts.get("same", 0),
            "lines_written": max(lines, 0),
        }

    def _write_ledger(self, *, changes: bool) -> int:
        """New invoices and their lines; with `changes`, stored invoices the file changed
        too (without, none can have: a scan of the stored lines is saved)."""
        now = self.connection.ops.adapt_datetimefield_value(timezone.now())
        self._run(
            "INSERT INTO ledger_invoice (id, created_at, updated_at, source, external_id,"
            " number, account_id, issued_on, due_on, currency, net_total, cost_total,"
            " gross_total)"
            " SELECT new_id, %s, %s, %s, number, number, account_id, issued_on, due_on,"
            " currency, net_total, cost_total, gross_total FROM ingest_head"
            " WHERE status = 'new' ORDER BY new_id",
            [now, now, self.source],
        )
        if changes:
            gross = ", gross_total = h.gross_total" if self.gross else ""
            self._run(
                "UPDATE ledger_invoice SET updated_at = %s, account_id = h.account_id,"
                " issued_on = h.issued_on, due_on = h.due_on, currency = h.currency,"
                f" net_total = h.net_total, cost_total = h.cost_total{gross} FROM ingest_head h"
                " WHERE ledger_invoice.id = h.invoice_id AND h.status = 'changed'",
                [now],
            )
            self._run(
                "DELETE FROM ledger_invoiceline WHERE invoice_id IN"
                " (SELECT invoice_id FROM ingest_head WHERE status = 'changed')"
            )
        lines = self._run(
            "INSERT INTO ledger_invoiceline (invoice_id, line_no, account_id, issued_on,"
            " product_id, quantity, net_amount, cost_amount, currency, return_reason)"
            " SELECT COALESCE(h.invoice_id, h.new_id), s.line_no, h.account_id, h.issued_on,"
            " s.product_id, s.quantity, s.net_amount, s.cost_amount, h.currency,"
            " s.return_reason" + LINE_SOURCE[self.connection.vendor]
        )
        return lines

    def _link_stored(self) -> None:
        self._run(
            "UPDATE ingest_head SET invoice_id = i.id, status = 'same'"
            " FROM ledger_invoice i WHERE i.source = %s AND i.external_id <> ''"
            " AND i.external_id = ingest_head.number",
            [self.source],
        )

    def _mark_changed(self) -> None:
        """A stored invoice changed if its header, totals or any line differ from the file."""
        d = self.distinct
        if self.postgres:
            self._run("CREATE INDEX ON ingest_stage (number, line_no)")
            self._run("ANALYZE ingest_head")
        self._run(
            "UPDATE ingest_head SET status = 'changed' FROM ledger_invoice i"
            " WHERE i.id = ingest_head.invoice_id AND ingest_head.status = 'same' AND ("
            f" i.issued_on {d} ingest_head.issued_on OR i.due_on {d} ingest_head.due_on"
            f" OR i.account_id {d} ingest_head.account_id OR i.currency {d} ingest_head.currency"
            f" OR i.net_total {d} ingest_head.net_total"
            f" OR i.cost_total {d} ingest_head.cost_total"
            + (f" OR i.gross_total {d} ingest_head.gross_total)" if self.gross else ")")
        )
        self._run(
            "UPDATE ingest_head SET status = 'changed' WHERE status = 'same' AND ("
            " n_lines <> (SELECT COUNT(*) FROM ledger_invoiceline l"
            "             WHERE l.invoice_id = ingest_head.invoice_id)"
            " OR EXISTS (SELECT 1 FROM ingest_stage s WHERE s.number = ingest_head.number"
            "   AND NOT EXISTS (SELECT 1 FROM ledger_invoiceline l"
            "     WHERE l.invoice_id = ingest_head.invoice_id AND l.line_no = s.line_no"
            "     AND l.product_id = s.product_id AND l.quantity = s.quantity"
            "     AND l.net_amount = s.net_amount AND l.cost_amount = s.cost_amount"
            "     AND l.return_reason = s.return_reason AND l.account_id = ingest_head.account_id"
            "     AND l.issued_on = ingest_head.issued_on AND l.currency = ingest_head.currency)))"
        )
