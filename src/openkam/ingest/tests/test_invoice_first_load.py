"""A first load of a source writes exactly what the staged path writes, or declines."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from openkam.ingest import columns as cols
from openkam.ingest.defaults import Defaults
from openkam.ingest.errors import ErrorList
from openkam.ingest.importers import invoice_bulk, invoice_frames
from openkam.ingest.importers.base import ImportContext
from openkam.ingest.importers.invoices import InvoiceImporter
from openkam.ingest.reading import open_table
from openkam.ingest.tests.test_invoice_copy import CLEAN, UNUSUAL
from openkam.ingest.tests.test_invoices import GOOD, HEADER
from openkam.ledger.models import Invoice, InvoiceLine

MORE_CLEAN = {
    "amounts the fast shapes miss": (
        HEADER + "FV/3;1;2024-03-01;;K1;P1;1,5;1.234,50;1\u00a0000,25;PLN;\n"
        "FV/3;2;2024-03-01;;K1;P2;2;+7;0,1;PLN;\n",
        "utf-8",
    ),
    "no cost column": (
        "invoice_number;invoice_date;account_id;sku;quantity;net_amount\n"
        "A-1;2024-05-01;K1;P1;1;10\nA-1;2024-05-01;K1;P2;1;20\nA-2;2024-05-02;K2;P1;1;5\n",
        "utf-8",
    ),
}


def read(path, *, source: str = "erp", defaults: Defaults | None = None):
    """What `read_first_load` makes of the file: a FirstLoad or None; `defaults`: the
    source's, as an import applies them."""
    errors = ErrorList()
    table = open_table(path, errors=errors)
    ctx = ImportContext(
        kind="invoices",
        source=source,
        actor=None,
        table=table,
        positions=cols.resolve_header("invoices", table.header, {}),
        errors=errors,
        defaults=defaults or Defaults(),
    )
    importer = InvoiceImporter(ctx)
    try:
        load = invoice_bulk.read_first_load(connection, ctx, importer.accounts, importer.products)
    finally:
        table.close()
    if load is not None:
        load.cleanup()
    return load


def ledger(source: str = "erp") -> tuple[list, list]:
    """The source's invoices and lines, by value (ids left out)."""
    invoices = sorted(
        Invoice.objects.filter(source=source).values_list(
            "number", "external_id", "account__external_id", "issued_on", "due_on", "currency",
            "net_total", "cost_total",
        )
    )  # fmt: skip
    lines = sorted(
        InvoiceLine.objects.filter(invoice__source=source).values_list(
            "invoice__number", "line_no", "account__external_id", "issued_on",
            "product__sku", "quantity", "net_amount", "cost_amount", "currency", "return_reason",
        )
    )  # fmt: skip
    return invoices, lines


def staged_ledger(path, run_import) -> tuple[list, list]:
    """The same file through the staged path: a stored invoice of the source sends it
    there (the invoice is left out of the comparison)."""
    Invoice.objects.all().delete()
    stored = Invoice.objects.create(
        source="erp", external_id="OLD-1", number="OLD-1", account_id=_any_account(),
        issued_on=dt.date(2020, 1, 1), currency="PLN", net_total=0, cost_total=0,
    )  # fmt: skip
    outcome = run_import("invoices", path)
    assert outcome.ok, outcome.errors
    stored.delete()
    return ledger()


def _any_account() -> int:
    from openkam.accounts.models import Account

    return Account.objects.values_list("pk", flat=True)[0]


@pytest.mark.parametrize("name", [*CLEAN, *MORE_CLEAN])
def test_a_clean_first_load_writes_what_the_staged_path_writes(erp, write_file, run_import, name):
    text, encoding = {**CLEAN, **MORE_CLEAN}[name]
    path = write_file("i.csv", text, encoding)
    assert read(path) is not None
    outcome = run_import("invoices", path)
    assert outcome.ok, outcome.errors
    first = ledger()
    assert outcome.counts["lines_written"] == len(first[1])
    assert outcome.rows == len(first[1])
    assert first == staged_ledger(path, run_import)
    assert len(first[1]) > 0 or name == "header only"


def test_blocks_are_joined_without_losing_or_renumbering_a_line(
    erp, write_file, run_import, monkeypatch
):
    # No line_no column: each invoice's lines are counted on across the blocks.
    rows = "".join(
        f"N-{n % 7};2024-03-{1 + n % 7:02d};K{1 + n % 7 % 2};P{1 + n % 2};{n};{n},5\n"
        for n in range(60)
    )
    path = write_file(
        "i.csv", "invoice_number;invoice_date;account_id;sku;quantity;net_amount\n" + rows
    )
    monkeypatch.setattr(invoice_frames, "BLOCK_BYTES", 100)
    outcome = run_import("invoices", path)
    assert outcome.ok and outcome.rows == 60
    first = ledger()
    assert sorted(line[1] for line in first[1] if line[0] == "N-0") == list(range(1, 10))
    assert first == staged_ledger(path, run_import)


# What PostgreSQL's whole-file path declines and this one reads (the row path takes it).
READ_HERE = {"a padded invoice number", "a number with a dot for thousands"}


@pytest.mark.parametrize("name", sorted(set(UNUSUAL) - READ_HERE))
def test_anything_unusual_or_bad_goes_the_staged_way(erp, write_file, name):
    assert read(write_file("i.csv", UNUSUAL[name])) is None


@pytest.mark.parametrize("name", sorted(READ_HERE))
def test_cells_the_row_path_cleans_up_are_read_as_it_reads_them(erp, write_file, run_import, name):
    path = write_file("i.csv", UNUSUAL[name])
    assert read(path) is not None
    assert run_import("invoices", path).ok
    first = ledger()
    assert len(first[1]) == 4 and first == staged_ledger(path, run_import)


@pytest.mark.parametrize(
    "text, expected",
    [
        (GOOD + "FV/2;1;01.04.2024;;K2;P2;1;1;1;EUR;\n", [(5, "line_no", "duplicate_id")]),
        (
            GOOD + "FV/2;2;02.04.2024;;K2;P2;1;1;1;EUR;\n",
            [(5, "invoice_date", "conflicting_header")],
        ),
    ],
)
def test_lines_that_clash_are_named_by_the_staged_path(erp, write_file, run_import, text, expected):
    path = write_file("i.csv", text)
    assert read(path) is None
    outcome = run_import("invoices", path)
    assert [(e.line, e.column, e.reason) for e in outcome.errors] == expected
    assert not Invoice.objects.exists() and not InvoiceLine.objects.exists()


def test_a_source_with_stored_invoices_is_compared_not_loaded(erp, write_file, run_import):
    path = write_file("i.csv", GOOD)
    assert run_import("invoices", path).ok
    assert read(path) is None
    assert read(path, source="other") is None  # no accounts of that source: unknown ones
    again = run_import("invoices", path)
    assert again.counts == {"created": 0, "updated": 0, "unchanged": 2, "lines_written": 0}


def test_a_dry_run_of_a_first_load_writes_nothing(erp, write_file, run_import):
    outcome = run_import("invoices", write_file("i.csv", GOOD), dry_run=True)
    assert outcome.ok and outcome.counts["created"] == 2
    assert not Invoice.objects.exists() and not InvoiceLine.objects.exists()


def test_new_invoice_ids_follow_the_stored_ones(erp, write_file, run_import):
    old = Invoice.objects.create(
        source="manual", external_id="M-1", number="M-1", account=erp["k1"],
        issued_on=dt.date(2024, 1, 1), currency="PLN", net_total=0, cost_total=0,
    )  # fmt: skip
    assert run_import("invoices", write_file("i.csv", GOOD)).ok
    ids = sorted(Invoice.objects.filter(source="erp").values_list("pk", flat=True))
    assert ids[0] > old.pk and ids == list(range(ids[0], ids[0] + 2))
    # The next invoice made the ordinary way takes an id after them.
    later = Invoice.objects.create(
        source="manual", external_id="M-2", number="M-2", account=erp["k1"],
        issued_on=dt.date(2024, 1, 2), currency="PLN", net_total=0, cost_total=0,
    )  # fmt: skip
    assert later.pk > ids[-1]


@pytest.mark.django_db(transaction=True)
def test_a_committed_first_load_checks_references_once_and_restores_key_checks(
    erp, write_file, run_import
):
    outcome = run_import("invoices", write_file("i.csv", GOOD))
    assert outcome.ok, outcome.errors
    assert InvoiceLine.objects.count() == 3
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            assert cursor.execute("PRAGMA foreign_keys").fetchone()[0] == 1


@pytest.mark.django_db(transaction=True)
def test_an_account_deleted_while_the_file_was_read_stops_the_write(erp, write_file):
    from django.db import IntegrityError, transaction

    from openkam.accounts.models import Account

    errors = ErrorList()
    table = open_table(write_file("i.csv", GOOD), errors=errors)
    ctx = ImportContext(
        kind="invoices", source="erp", actor=None, table=table,
        positions=cols.resolve_header("invoices", table.header, {}), errors=errors,
    )  # fmt: skip
    importer = InvoiceImporter(ctx)
    try:
        importer.read()
        assert importer.first_load is not None
        gone = Account.objects.filter(external_id="K2")
        gone.update(group_root=None)
        gone.delete()  # meanwhile, elsewhere
        with pytest.raises(IntegrityError):
            with importer.write_conditions(), transaction.atomic():
                importer.write_all()
    finally:
        importer.cleanup()
        table.close()
    assert not Invoice.objects.exists() and not InvoiceLine.objects.exists()
