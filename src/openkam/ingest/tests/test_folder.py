"""The nightly folder import: every waiting export, in the data's order, filed away."""

from __future__ import annotations

import os
import shutil
import time
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from openkam.accounts.models import Account
from openkam.ingest.folder import import_folder, waiting_files
from openkam.ledger.models import Invoice, Payment

SAMPLES = Path(__file__).resolve().parents[4] / "docs" / "samples"
TODAY = date(2026, 12, 2)


@pytest.fixture
def drop(tmp_path):
    """The samples dropped as an ERP would, payments first on disk (names sort them so)."""
    for kind, name in [
        ("payments", "payments.csv"),
        ("invoices", "invoices-pl.csv"),
        ("invoices", "invoices-ru.csv"),
        ("products", "products-pl.csv"),
        ("contacts", "contacts.csv"),
        ("accounts", "accounts.csv"),
    ]:
        (tmp_path / kind).mkdir(exist_ok=True)
        shutil.copy(SAMPLES / name, tmp_path / kind / name)
        settle(tmp_path / kind / name)
    return tmp_path


def settle(path: Path) -> None:
    """Written ten minutes ago: the ERP is done with it."""
    old = time.time() - 600
    os.utime(path, (old, old))


def test_files_are_taken_in_the_order_the_data_needs(drop):
    kinds = [kind for kind, _path in waiting_files(drop)]
    assert kinds == ["accounts", "contacts", "products", "invoices", "invoices", "payments"]


def test_everything_goes_in_and_is_filed_under_the_day(db, drop):
    results = import_folder(drop, today=TODAY)
    assert all(result.ok for result in results), [r.lines for r in results if not r.ok]
    assert Account.objects.exists() and Invoice.objects.exists() and Payment.objects.exists()
    assert (drop / "invoices" / "imported" / "2026-12-02" / "invoices-pl.csv").is_file()
    assert waiting_files(drop) == []  # the next night finds nothing to redo
    assert import_folder(drop, today=TODAY) == []


def test_a_refused_file_is_set_aside_with_its_errors_and_the_rest_goes_on(db, drop):
    (drop / "payments" / "payments.csv").write_text("date;amount\n2026-13-45;abc\n", "utf-8")
    settle(drop / "payments" / "payments.csv")
    results = {result.path.name: result for result in import_folder(drop, today=TODAY)}
    assert not results["payments.csv"].ok and results["invoices-pl.csv"].ok
    failed = drop / "payments" / "failed"
    assert (failed / "payments.csv").is_file()
    errors = (failed / "payments.csv.errors.txt").read_text("utf-8")
    assert "payments.csv" in errors and len(errors.splitlines()) >= 2
    assert not Payment.objects.exists()


def test_the_same_export_dropped_twice_keeps_both_copies(db, drop):
    import_folder(drop, today=TODAY)
    shutil.copy(SAMPLES / "accounts.csv", drop / "accounts" / "accounts.csv")
    settle(drop / "accounts" / "accounts.csv")
    import_folder(drop, today=TODAY)
    day = drop / "accounts" / "imported" / "2026-12-02"
    assert sorted(path.name for path in day.iterdir()) == ["accounts.2.csv", "accounts.csv"]


def test_the_command_exits_1_when_a_file_failed(db, drop):
    (drop / "contacts" / "contacts.csv").write_text("nonsense\n", "utf-8")
    settle(drop / "contacts" / "contacts.csv")
    out = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import_folder", str(drop), stdout=out)
    assert failed.value.returncode == 1
    assert "FAILED: contacts" in out.getvalue() and "imported: invoices" in out.getvalue()


def test_a_missing_folder_is_named(db, tmp_path):
    with pytest.raises(CommandError, match="no such folder"):
        call_command("import_folder", str(tmp_path / "nope"))


def test_a_file_still_being_written_waits_for_the_next_run(db, drop):
    fresh = drop / "accounts" / "accounts-late.csv"
    shutil.copy(SAMPLES / "accounts.csv", fresh)
    just_now = time.time() - 10  # the suite's clock (conftest.FIXED_NOW), not the disk's
    os.utime(fresh, (just_now, just_now))
    import_folder(drop, today=TODAY)
    assert fresh.is_file()  # untouched, still waiting
    assert [path for _kind, path in waiting_files(drop, settled_before=time.time() + 1)] == [fresh]
