"""Set a table's foreign keys and secondary indexes aside for a bulk load.

Inside one transaction: drop them, load, restore them with the same names and
definitions. The database then builds each index once from all rows and validates
each foreign key with one scan, instead of updating indexes and checking keys row by
row. DDL is transactional on PostgreSQL and SQLite: if the load fails, the drop rolls
back with it. (SQLite cannot drop a foreign key, so there only indexes are set aside.)
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import contextmanager

from django.db import connection, models


@contextmanager
def keys_and_indexes_set_aside(model_list: Sequence[type[models.Model]]):
    tables = [model._meta.db_table for model in model_list]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Checks still pending in this transaction would block ALTER TABLE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        saved = [_postgresql_set_aside(table) for table in tables]
    else:
        saved = [_sqlite_set_aside(table) for table in tables]
    yield
    with connection.cursor() as cursor:
        for table, foreign_keys, indexes in saved:
            for definition in indexes:
                cursor.execute(definition)
            for name, definition in foreign_keys:
                cursor.execute(
                    f"ALTER TABLE {_quote(table)} ADD CONSTRAINT {_quote(name)} {definition}"
                )


def _postgresql_set_aside(table: str):
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
            cursor.execute(f"DROP INDEX {name}")  # regclass text comes quoted
    return table, foreign_keys, [definition for _, definition in indexes]


def _sqlite_set_aside(table: str):
    with connection.cursor() as cursor:
        # Unique indexes stay (they are constraints); automatic ones have no SQL.
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
            "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%' ORDER BY name",
            [table],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {_quote(name)}")
    return table, [], [definition for _, definition in indexes]


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)
