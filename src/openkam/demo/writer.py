"""Fast bulk writing of generated rows: COPY on PostgreSQL, executemany on SQLite.

Rows arrive ready for the database (ids chosen by the generator, dates as ISO text,
money as decimal text), so no model instances are built for the large tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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
    return model._default_manager.aggregate(top=models.Max("pk"))["top"] or 0
