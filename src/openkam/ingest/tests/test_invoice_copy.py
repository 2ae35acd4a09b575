"""PostgreSQL's whole-file path stages exactly what the row path stages, or declines."""

from __future__ import annotations

import pytest
from django.db import connection

from openkam.ingest import columns as cols
from openkam.ingest.defaults import Defaults
from openkam.ingest.errors import ErrorList
from openkam.ingest.importers import invoice_copy, invoice_sql
from openkam.ingest.importers.base import ImportContext
from openkam.ingest.importers.invoices import InvoiceImporter
from openkam.ingest.reading import open_table
from openkam.ingest.tests.test_invoices import GOOD, HEADER, POLISH, RUSSIAN

POSTGRES = connection.vendor == "postgresql"


def stage(path, *, whole_file: bool, encoding: str | None = None, defaults: Defaults | None = None):
    """(taken by the whole-file path?, staged rows in line order, rows read); `defaults`:
    the source's, as an import applies them."""
    errors = ErrorList()
    table = open_table(path, errors=errors, encoding=encoding)
    ctx = ImportContext(
        kind="invoices",
        source="erp",
        actor=None,
        table=table,
        positions=cols.resolve_header("invoices", table.header, {}),
        errors=errors,
        defaults=defaults or Defaults(),
    )
    importer = InvoiceImporter(ctx)
    staging = invoice_sql.Stage(connection, source="erp", gross=ctx.has("gross_amount"))
    staging.create()
    try:
        if whole_file:
            taken = invoice_copy.stage_file(connection, ctx, importer.accounts, importer.products)
        else:
            staging.load(importer._rows())
            taken = False
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {invoice_sql.STAGE_COLUMNS} FROM ingest_stage ORDER BY line")
            rows = cursor.fetchall()
    finally:
        staging.drop()
        table.close()
    return taken, rows, ctx.rows


CLEAN = {
    "utf-8": (GOOD, "utf-8"),
    "windows-1250, CRLF, trailing blank lines": (
        POLISH.replace("\n", "\r\n") + "\r\n\r\n",
        "cp1250",
    ),
    "windows-1251, no line numbers": (RUSSIAN + "РН-18;05.02.2024;K1;P1;1;1;RUB\n", "cp1251"),
    "padded and lower-case cells the maps take": (
        HEADER + "FV/7;01; 2024-03-01 ;;K1;P1; 2 ;10;;eur; Reklamacja \n",
        "utf-8",
    ),
    "tab-separated": (GOOD.replace(";", "\t"), "utf-8"),
    "header only": (HEADER, "utf-8"),
}


@pytest.mark.parametrize("name", CLEAN)
def test_a_clean_file_is_staged_as_the_row_path_stages_it(erp, write_file, name):
    text, encoding = CLEAN[name]
    path = write_file("i.csv", text, encoding)
    taken, rows, count = stage(path, whole_file=True)
    _, expected, expected_count = stage(path, whole_file=False)
    assert taken is POSTGRES  # SQLite always reads row by row
    if POSTGRES:
        assert (rows, count) == (expected, expected_count)
        assert len(rows) == count and (count > 0 or name == "header only")


UNUSUAL = {
    "quoted cells": GOOD.replace("FV/2;", '"FV/2";'),
    "a blank line": GOOD.replace("\nFV/2", "\n\nFV/2"),
    "a line of delimiters": GOOD + ";;;;;;;;;;\n",
    "a short row": GOOD + "FV/3;1;2024-03-01\n",
    "a bad date": GOOD + "FV/3;1;2024-02-30;;K1;P1;1;1;1;PLN;\n",
    "an unknown account": GOOD + "FV/3;1;2024-03-01;;K9;P1;1;1;1;PLN;\n",
    "a padded invoice number": GOOD + " FV/3;1;2024-03-01;;K1;P1;1;1;1;PLN;\n",
    "a number with a dot for thousands": GOOD + "FV/3;1;2024-03-01;;K1;P1;1;1.234,50;1;PLN;\n",
    "three decimal places": GOOD + "FV/3;1;2024-03-01;;K1;P1;1;1,234;1;PLN;\n",
}


@pytest.mark.parametrize("name", UNUSUAL)
def test_anything_unusual_is_left_to_the_row_path(erp, write_file, name):
    path = write_file("i.csv", UNUSUAL[name])
    taken, rows, _count = stage(path, whole_file=True)
    assert (taken, rows) == (False, [])


def test_a_line_in_a_wrong_encoding_is_left_to_the_row_path(erp, write_file):
    # Windows-1251 text read as Windows-1250: a run of accents no Polish word has.
    text = GOOD + "FV/3;1;2024-03-01;;K1;P1;1;1;1;PLN;Москва\n"
    path = write_file("i.csv", text, "cp1251")
    taken, rows, _count = stage(path, whole_file=True, encoding="windows-1250")
    assert (taken, rows) == (False, [])


def test_the_row_path_then_reads_the_file_as_before(erp, write_file, run_import):
    outcome = run_import("invoices", write_file("i.csv", UNUSUAL["a padded invoice number"]))
    assert outcome.ok and outcome.rows == 4
    outcome = run_import("invoices", write_file("i.csv", UNUSUAL["an unknown account"]))
    assert [(e.line, e.column, e.reason) for e in outcome.errors] == [
        (5, "account_id", "unknown_account")
    ]


def test_money_shapes_are_what_the_row_paths_fast_check_takes():
    from openkam.ingest.importers.invoices import _MONEY

    assert len(invoice_copy.MONEY_SHAPES) == len(set(invoice_copy.MONEY_SHAPES)) == 280
    assert all(_MONEY.match(shape) for shape in invoice_copy.MONEY_SHAPES)
    for text in ("0", "-000 000,00", "0000000000000000.00", "000 000 000 000 000,0"):
        assert text in invoice_copy.MONEY_SHAPES
    for text in ("0 00", "00000000000000000", "0,000", "0000 000", "+0"):
        assert text not in invoice_copy.MONEY_SHAPES
