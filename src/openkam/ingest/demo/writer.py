"""Fast bulk writing of generated rows: COPY on PostgreSQL, executemany on SQLite.

Rows arrive ready for the database (ids chosen by the generator, dates as ISO text,
money as decimal text), so no model instances are built for the large tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from datetime import date, datetime

from django.core.management.color import no_style
from django.db import connection, models

CHUNK = 50_000


def db_value(value):
    """Dates and datetimes in the form the current database expects."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def write_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert rows into the model's table; `columns` are database column names."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    if connection.vendor == "postgresql":
        return _copy(table, names, rows)
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"
    written = 0
    with connection.cursor() as cursor:
        batch: list[Sequence] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= CHUNK:
                cursor.executemany(sql, batch)
                written += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            written += len(batch)
    return written


def _copy(table: str, names: str, rows: Iterable[Sequence]) -> int:
    written = 0
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                written += 1
    return written


@contextmanager
def checks_deferred_to_the_end(model_list: Sequence[type[models.Model]]):
    """PostgreSQL only, inside a transaction: drop the tables' foreign keys and
    secondary indexes, and restore them (same names, same definitions) on the way out,
    so a bulk load is validated by one scan per key instead of a check per row. DDL is
    transactional there: if the load fails, the drop rolls back with it."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        # Checks still pending in this transaction would block ALTER TABLE: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    saved = [_drop_checks(model._meta.db_table) for model in model_list]
    yield
    with connection.cursor() as cursor:
        for table, foreign_keys, indexes in saved:
            for definition in indexes:
                cursor.execute(definition)
            for name, definition in foreign_keys:
                cursor.execute(
                    f"ALTER TABLE {_quote(table)} ADD CONSTRAINT {_quote(name)} {definition}"
                )


def _drop_checks(table: str):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
            [table],
        )
        foreign_keys = cursor.fetchall()
        # Indexes that back no constraint (primary key and unique ones stay).
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = %s::regclass AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1",
            [table],
        )
        indexes = cursor.fetchall()
        for name, _ in foreign_keys:
            cursor.execute(f"ALTER TABLE {_quote(table)} DROP CONSTRAINT {_quote(name)}")
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")  # regclass text is already quoted
    return table, foreign_keys, [definition for _, definition in indexes]


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def relax_durability() -> None:
    """On PostgreSQL, let this transaction's commit return before its WAL reaches the
    disk. A crash can lose the last months written, never corrupt them; a demo can
    be rebuilt with --force. Call inside the transaction it applies to."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def reset_sequences(model_list: Sequence[type[models.Model]]) -> None:
    """After inserting explicit ids, move PostgreSQL's id sequences past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    if not statements:
        return
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def max_id(model: type[models.Model]) -> int:
    return model.objects.aggregate(top=models.Max("pk"))["top"] or 0
