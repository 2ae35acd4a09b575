"""A first load of invoices from a source: straight into the ledger, without staging.

When no invoice of the source is stored yet, nothing in the file can be a change to
a stored one, so the file's lines need not be staged and compared in the database.
Reading (outside the transaction, with progress) converts each block of the file
(`invoice_frames`), keeps it in a temporary Arrow file, and folds it into one row per
invoice: its header, its totals and what the checks across rows need. Writing (inside
the transaction) numbers the invoices, loads them and then their lines with the
database's bulk interface (`COPY` on PostgreSQL, `executemany` on SQLite).

A file with a duplicate line or an invoice whose lines disagree on its header is
handed to the staged path, which names every such line.
"""

from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager, nullcontext
from pathlib import Path

import polars as pl
from django.db import IntegrityError
from django.utils import timezone

from openkam.accounts.models import Account
from openkam.ingest.importers.base import ImportContext
from openkam.ingest.importers.customers import Customers
from openkam.ingest.importers.invoice_frames import FrameReader, Unusual, can_read
from openkam.ingest.importers.invoice_sql import (
    SQLITE_TOP_INVOICE_ID,
    has_stored_invoices,
    ledger_write,
)
from openkam.ledger.models import Product

HEAD_COLUMNS = ("number", "issued_on", "due_on", "account_id", "currency")
LINE_COLUMNS = (
    "invoice_id", "line_no", "account_id", "issued_on", "product_id", "quantity",
    "net_amount", "cost_amount", "currency", "return_reason",
)  # fmt: skip
INVOICE_COLUMNS = (
    "id", "created_at", "updated_at", "source", "external_id", "number", "account_id",
    "issued_on", "due_on", "currency", "net_total", "cost_total", "gross_total",
)  # fmt: skip
DECIMAL_COLUMNS = (
    "quantity", "net_amount", "cost_amount", "net_total", "cost_total", "gross_total",
)  # fmt: skip
COPY_BYTES = 1 << 20
# KiB of SQLite page cache while loading (the default 2 MB keeps re-reading the
# pages of the indexes being built).
SQLITE_CACHE_KIB = 64 * 1024
SQLITE_BATCH = 50_000


def read_first_load(
    connection,
    ctx: ImportContext,
    accounts: dict,
    products: dict,
    customers: Customers | None = None,
):
    """A `FirstLoad` ready to write, or None when the staged path must take the file."""
    if not can_read(ctx) or has_stored_invoices(connection, ctx.source):
        return None
    load = FirstLoad(connection, ctx)
    try:
        load.read(FrameReader(ctx, accounts, products, customers))
    except Unusual:
        load.heads = None
    if load.heads is None:  # unusual, or lines that clash: the staged path names them
        load.cleanup()
        ctx.rows = 0
        return None
    return load


class FirstLoad:
    def __init__(self, connection, ctx: ImportContext):
        self.connection = connection
        self.ctx = ctx
        self.postgres = connection.vendor == "postgresql"
        self.folder = Path(tempfile.mkdtemp(prefix="openkam-invoices-"))
        self.parts: list[Path] = []
        self.heads: pl.DataFrame | None = None
        self.lines = 0
        # What the lines refer to, for one check in place of a look-up per line.
        self.account_ids: set[int] = set()
        self.product_ids: set[int] = set()

    def cleanup(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    @property
    def _heads(self) -> pl.DataFrame:
        """The invoices read: read_first_load hands out a load only with them."""
        assert self.heads is not None
        return self.heads

    # --- reading ------------------------------------------------------------
    def read(self, reader: FrameReader) -> None:
        partials, pairs = [], []
        for frame in reader.frames():
            path = self.folder / f"{len(self.parts)}.arrow"
            frame.write_ipc(path)
            self.parts.append(path)
            self.lines += frame.height
            self.account_ids.update(frame.get_column("account_id").unique().to_list())
            self.product_ids.update(frame.get_column("product_id").unique().to_list())
            partials.append(_fold(frame))
            # A hash per (invoice, line): 8 bytes a line instead of the number's text. A
            # collision only sends the file to the staged path, which checks exactly.
            pairs.append(frame.select(pl.struct("number", "line_no").hash().alias("key")))
        if not self.parts:
            self.heads = pl.DataFrame()
            return
        everything = pl.concat(pairs)
        if everything.is_duplicated().any():
            return
        heads = _merge(pl.concat(partials))
        if heads.get_column("conflicted").any():
            return
        # Ids in number order: the invoices' unique (source, number) index then grows at
        # its right end, as the primary key does.
        self.heads = heads.sort("number")

    # --- writing ------------------------------------------------------------
    def write_conditions(self):
        """SQLite: no foreign-key look-up per line (three for each of a million lines);
        `write` checks the few distinct accounts and products the file names instead, and
        the invoices are its own. The setting can change only outside a transaction."""
        if self.postgres:
            return nullcontext()
        return self.connection.constraint_checks_disabled()

    def write(self) -> dict[str, int] | None:
        """Load the invoices and lines; None if the source's invoices appeared meanwhile."""
        if has_stored_invoices(self.connection, self.ctx.source):
            return None
        count = self._heads.height
        if count:
            if not self.postgres and not self._sqlite_checks_foreign_keys():
                self._check_references()
            with ledger_write(self.connection, self.lines):
                first_id = self._reserve_ids(count)
                ids = self._heads.select(
                    "number", pl.int_range(first_id, first_id + count).alias("invoice_id")
                )
                self._write_invoices(ids)
                self._write_lines(ids)
        return {"created": count, "updated": 0, "unchanged": 0, "lines_written": self.lines}

    def _sqlite_checks_foreign_keys(self) -> bool:
        with self.connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys")
            return bool(cursor.fetchone()[0])

    def _check_references(self) -> None:
        """Every account and product the lines name still exists (they were looked up
        before the transaction; one could have been deleted since)."""
        for model, ids in ((Account, self.account_ids), (Product, self.product_ids)):
            wanted = sorted(ids)
            found = sum(
                model.objects.filter(pk__in=wanted[start : start + 500]).count()
                for start in range(0, len(wanted), 500)
            )
            if found != len(wanted):
                raise IntegrityError(
                    f"{len(wanted) - found} {model._meta.verbose_name_plural} named by the "
                    "file were deleted while it was being read; import it again"
                )

    def _reserve_ids(self, count: int) -> int:
        """The first of `count` consecutive new invoice ids."""
        with self.connection.cursor() as cursor:
            if self.postgres:
                # No other writer may draw from the sequence between the two calls.
                cursor.execute("LOCK TABLE ledger_invoice IN SHARE ROW EXCLUSIVE MODE")
                cursor.execute("SELECT pg_get_serial_sequence('ledger_invoice', 'id')")
                sequence = cursor.fetchone()[0]
                cursor.execute("SELECT nextval(%s)", [sequence])
                first = cursor.fetchone()[0]
                cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
                return first
            # SQLite: the write transaction is exclusive.
            cursor.execute(SQLITE_TOP_INVOICE_ID)
            return cursor.fetchone()[0] + 1

    def _write_invoices(self, ids: pl.DataFrame) -> None:
        now = timezone.now()
        stamp = (
            now.isoformat() if self.postgres else self.connection.ops.adapt_datetimefield_value(now)
        )
        invoices = self._heads.join(ids, on="number", maintain_order="left").select(
            pl.col("invoice_id").alias("id"),
            pl.lit(stamp).alias("created_at"),
            pl.lit(stamp).alias("updated_at"),
            pl.lit(self.ctx.source).alias("source"),
            pl.col("number").alias("external_id"),
            "number", "account_id", "issued_on", "due_on", "currency",
            pl.col("net_total").cast(pl.String), pl.col("cost_total").cast(pl.String),
            pl.col("gross_total").cast(pl.String),
        )  # fmt: skip
        self._load("ledger_invoice", INVOICE_COLUMNS, invoices)

    def _write_lines(self, ids: pl.DataFrame) -> None:
        for path in self.parts:
            lines = pl.read_ipc(path).join(ids, on="number", maintain_order="left")
            self._load("ledger_invoiceline", LINE_COLUMNS, lines.select(LINE_COLUMNS))

    def _load(self, table: str, columns: tuple[str, ...], frame: pl.DataFrame) -> None:
        names = ", ".join(columns)
        if self.postgres:
            # CSV keeps NULL (an empty field) apart from an empty text (quoted).
            data = frame.write_csv(include_header=False).encode("utf-8")
            with self.connection.cursor() as cursor:
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN (FORMAT csv)") as copy:
                    view = memoryview(data)
                    for start in range(0, len(view), COPY_BYTES):
                        copy.write(view[start : start + COPY_BYTES])
            return
        # A decimal column stores the number the text reads as, so binary floats (parsed
        # exactly, in native code) store the same values at a fraction of the cost.
        frame = frame.with_columns(
            pl.col(name).cast(pl.Float64) for name in DECIMAL_COLUMNS if name in columns
        )
        self.connection.ensure_connection()
        placeholders = ", ".join(["?"] * len(columns))
        sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"
        with _sqlite_page_cache(self.connection):
            for batch in frame.iter_slices(SQLITE_BATCH):
                # The sqlite3 connection itself: no per-row Django wrapping.
                self.connection.connection.executemany(sql, batch.iter_rows())


@contextmanager
def _sqlite_page_cache(connection):
    raw = connection.connection
    saved = raw.execute("PRAGMA cache_size").fetchone()[0]
    raw.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        raw.execute(f"PRAGMA cache_size = {int(saved)}")


def _fold(frame: pl.DataFrame) -> pl.DataFrame:
    """One row per invoice of a block: what `_merge` needs to combine blocks."""
    money = pl.Decimal(18, 2)
    return frame.group_by("number").agg(
        pl.col("line").min().alias("first_line"),
        *[pl.col(name).min().alias(f"{name}_min") for name in HEAD_COLUMNS[1:]],
        *[pl.col(name).max().alias(f"{name}_max") for name in HEAD_COLUMNS[1:]],
        pl.col("due_on").count().alias("dated"),
        pl.len().alias("n_lines"),
        pl.col("net_amount").cast(money).sum().alias("net_total"),
        pl.col("cost_amount").cast(money).sum().alias("cost_total"),
        pl.col("gross_amount").cast(money).sum().alias("gross_total"),
        pl.col("gross_amount").count().alias("grossed"),
    )


def _merge(partials: pl.DataFrame) -> pl.DataFrame:
    """The invoices' headers and totals, and whether any invoice's lines disagree."""
    fields = HEAD_COLUMNS[1:]
    heads = partials.group_by("number").agg(
        pl.col("first_line").min(),
        *[pl.col(f"{name}_min").min() for name in fields],
        *[pl.col(f"{name}_max").max() for name in fields],
        pl.col("dated").sum(),
        pl.col("n_lines").sum(),
        pl.col("net_total").sum(),
        pl.col("cost_total").sum(),
        pl.col("gross_total").sum(),
        pl.col("grossed").sum(),
    )
    differ = [pl.col(f"{name}_min") != pl.col(f"{name}_max") for name in fields]
    # A due date, and a gross amount, is on every line of an invoice or on none.
    conflicted = (
        pl.any_horizontal(*[d.fill_null(False) for d in differ])
        | ((pl.col("dated") != 0) & (pl.col("dated") != pl.col("n_lines")))
        | ((pl.col("grossed") != 0) & (pl.col("grossed") != pl.col("n_lines")))
    )
    return heads.select(
        "number",
        "first_line",
        *[pl.col(f"{name}_min").alias(name) for name in fields],
        "n_lines",
        "net_total",
        "cost_total",
        # No gross amount on any line: the invoice has no gross total (not zero).
        pl.when(pl.col("grossed") > 0).then(pl.col("gross_total")).alias("gross_total"),
        conflicted.alias("conflicted"),
    )
