"""A source's defaults (country, currency, date order), set once, apply to every import
of the source: the command, the import page's job, the nightly folder run, and each of
the invoice paths.
"""

from __future__ import annotations

import io
import os
import time
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from openkam.accounts.models import Account
from openkam.core.jobs import execute_job
from openkam.core.models import AuditEntry, Job
from openkam.ingest.defaults import BadDefault, save_defaults, source_defaults
from openkam.ingest.folder import import_folder
from openkam.ingest.models import SourceDefaults
from openkam.ingest.tests.test_invoice_copy import stage
from openkam.ingest.tests.test_invoice_first_load import read
from openkam.ledger.models import Invoice, Payment

POSTGRES = connection.vendor == "postgresql"

# An export with American dates and no currency column, as a US subsidiary's ERP writes it.
SLASHED = (
    "invoice_number;invoice_date;due_date;account_id;sku;quantity;net_amount\n"
    "INV-1;03/04/2026;05/04/2026;K1;P1;1;10.00\n"
    "INV-1;03/04/2026;05/04/2026;K1;P2;2;20.00\n"
    "INV-2;12/31/2025;;K2;P1;3;30.00\n"
)


def kam_import(*args) -> str:
    out = io.StringIO()
    call_command("import", *map(str, args), "--no-progress", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def heads():
    return sorted(
        Invoice.objects.exclude(number="OLD-1").values_list(
            "number", "issued_on", "due_on", "currency"
        )
    )


def store_an_invoice(erp) -> None:
    Invoice.objects.create(
        source="us", external_id="OLD-1", number="OLD-1", account=erp["k1"],
        issued_on=date(2020, 1, 1), currency="USD", net_total=0, cost_total=0,
    )  # fmt: skip


@pytest.fixture
def us(erp):
    """The ERP's customers and products, also as source "us" (a second ERP)."""
    from openkam.ledger.models import Product

    for key in ("P1", "P2"):
        Product.objects.create(sku=key, name=key, source="us", external_id=key)
    return {
        key.lower(): Account.objects.create(name=key, source="us", external_id=key)
        for key in ("K1", "K2")
    }


# --- the defaults themselves ----------------------------------------------------------
def test_saved_defaults_are_the_base_and_given_ones_win(db):
    save_defaults(source="us", country="us", currency="usd", date_order="month-first", actor=None)
    assert source_defaults("us").country == "US"
    mixed = source_defaults("us", {"currency": "eur", "date_order": "", "country": ""})
    assert (mixed.country, mixed.currency, mixed.date_order) == ("US", "EUR", "mdy")
    assert source_defaults("other").currency_or_builtin == "PLN"
    with pytest.raises(BadDefault):
        source_defaults("us", {"country": "USA"})


def test_saving_is_audited_and_all_empty_forgets(db):
    row = save_defaults(source="us", currency="USD", actor=None)
    entry = AuditEntry.objects.get(model="ingest.SourceDefaults", object_id=str(row.pk))
    assert entry.changes == {"currency": ["", "USD"]}
    assert save_defaults(source="us", actor=None) is None
    assert not SourceDefaults.objects.exists()


# --- the date order and the currency on every invoice path ----------------------------
def test_slashed_dates_without_a_date_order_are_refused_and_say_how(us, write_file, run_import):
    outcome = run_import("invoices", write_file("us.csv", SLASHED), source="us")
    assert {(e.line, e.column, e.reason) for e in outcome.errors} == {
        (2, "invoice_date", "bad_date"), (2, "due_date", "bad_date"),
        (3, "invoice_date", "bad_date"), (3, "due_date", "bad_date"),
        (4, "invoice_date", "bad_date"),
    }  # fmt: skip
    assert "--date-order day-first|month-first --save-defaults" in outcome.errors[0].detail
    assert not Invoice.objects.exists()


WRITTEN = [
    ("INV-1", date(2026, 3, 4), date(2026, 5, 4), "USD"),
    ("INV-2", date(2025, 12, 31), None, "USD"),
]


def test_a_first_load_applies_the_source_defaults(us, write_file, run_import):
    save_defaults(source="us", currency="USD", date_order="mdy", actor=None)
    path = write_file("us.csv", SLASHED)
    assert read(path, source="us", defaults=source_defaults("us")) is not None
    assert run_import("invoices", path, source="us").ok
    assert heads() == WRITTEN


def test_the_staged_path_applies_the_source_defaults(us, write_file, run_import):
    save_defaults(source="us", currency="USD", date_order="mdy", actor=None)
    store_an_invoice(us)
    path = write_file("us.csv", SLASHED)
    assert run_import("invoices", path, source="us").ok
    assert heads() == WRITTEN


def test_the_row_by_row_path_applies_the_source_defaults(us, write_file, run_import):
    save_defaults(source="us", currency="USD", date_order="mdy", actor=None)
    path = write_file("us.csv", SLASHED.replace("INV-2;", '"INV-2";'))
    assert read(path, source="us", defaults=source_defaults("us")) is None
    assert run_import("invoices", path, source="us").ok
    assert heads() == WRITTEN


def test_the_whole_file_staging_reads_dates_as_the_row_path_does(erp, write_file):
    # stage() reads as source "erp".
    save_defaults(source="erp", currency="USD", date_order="dmy", actor=None)
    path = write_file("us.csv", SLASHED.replace("12/31/2025", "31/12/2025"))
    defaults = source_defaults("erp")
    taken, rows, _count = stage(path, whole_file=True, defaults=defaults)
    _taken, expected, _count = stage(path, whole_file=False, defaults=defaults)
    assert taken is POSTGRES
    assert rows == expected if taken else not rows
    assert [(str(row[3]), row[10]) for row in expected] == [
        ("2026-04-03", "USD"), ("2026-04-03", "USD"), ("2025-12-31", "USD"),
    ]  # fmt: skip


def test_a_date_order_given_to_the_command_wins_for_that_run(us, write_file):
    save_defaults(source="us", date_order="dmy", actor=None)
    path = write_file("us.csv", SLASHED)
    with pytest.raises(CommandError):  # 12/31/2025 is no day-first date
        kam_import("invoices", path, "--source", "us")
    kam_import("invoices", path, "--source", "us", "--date-order", "month-first")
    assert sorted(Invoice.objects.values_list("number", "issued_on")) == [
        ("INV-1", date(2026, 3, 4)), ("INV-2", date(2025, 12, 31)),
    ]  # fmt: skip


def test_payments_and_accounts_take_the_default_currency(us, write_file, run_import):
    save_defaults(source="us", currency="USD", date_order="mdy", actor=None)
    payments = "payment_date;account_id;Amount\n03/04/2026;K1;100.00\n"
    outcome = run_import(
        "payments", write_file("p.csv", payments), source="us", mapping={"Amount": "amount"}
    )
    assert outcome.ok, outcome.errors
    assert list(Payment.objects.values_list("paid_on", "amount", "currency")) == [
        (date(2026, 3, 4), Decimal("100.00"), "USD")
    ]
    accounts = "external_id;name;currency\nK9;Acme Inc.;\n"
    assert run_import("accounts", write_file("a.csv", accounts), source="us").ok
    assert Account.objects.get(source="us", external_id="K9").currency == "USD"


# --- set once: the command, the page, the nightly run --------------------------------
def test_the_command_saves_defaults_that_the_nightly_run_applies(us, tmp_path):
    first = tmp_path / "first.csv"
    first.write_text(SLASHED)
    output = kam_import(
        "invoices", first, "--source", "us", "--currency", "usd", "--date-order", "month-first",
        "--save-defaults",
    )  # fmt: skip
    assert "defaults saved for source 'us': country -, currency USD, date order mdy" in output
    later = tmp_path / "drop" / "invoices" / "later.csv"
    later.parent.mkdir(parents=True)
    later.write_text(SLASHED.replace("INV-2;12/31/2025", "INV-3;01/02/2026"))
    old = time.time() - 600
    os.utime(later, (old, old))
    results = import_folder(tmp_path / "drop", today=date(2026, 12, 2), source="us")
    assert [result.ok for result in results] == [True], results[0].lines
    assert Invoice.objects.get(number="INV-3").issued_on == date(2026, 1, 2)
    assert set(Invoice.objects.values_list("currency", flat=True)) == {"USD"}


def test_saving_defaults_needs_one(db, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("external_id;name\nK1;Alfa\n")
    with pytest.raises(CommandError, match="--save-defaults needs"):
        kam_import("accounts", path, "--save-defaults")
    with pytest.raises(CommandError, match="not a two-letter country code"):
        kam_import("accounts", path, "--country", "POL")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def save_on_the_page(client, **fields):
    data = {"save_defaults": "1", "defaults-source": "us", **fields}
    return client.post(reverse("ingest:upload"), data)


def test_the_import_page_saves_defaults_that_its_jobs_apply(company, us, client, media):
    client.force_login(company["head"])
    response = save_on_the_page(
        client, **{"defaults-currency": "usd", "defaults-date_order": "mdy"}
    )
    assert response.status_code == 302 and response.url == reverse("ingest:upload")
    saved = SourceDefaults.objects.get(source="us")
    assert (saved.currency, saved.date_order, saved.updated_by) == ("USD", "mdy", company["head"])
    page = client.get(reverse("ingest:upload")).content.decode()
    assert "month first: 03/04/2026 is 4 March" in page
    upload = SimpleUploadedFile("us.csv", SLASHED.encode())
    client.post(reverse("ingest:upload"), {"kind": "invoices", "source": "us", "file": upload})
    job = execute_job(Job.objects.get(kind="import").pk)
    assert job.result["ok"], job.result["errors"]
    assert heads() == WRITTEN


def test_a_bad_default_is_a_form_error_and_nothing_is_saved(company, client, media):
    client.force_login(company["head"])
    response = save_on_the_page(client, **{"defaults-country": "P1"})
    assert response.status_code == 200
    assert "not a two-letter country code" in response.content.decode()
    assert not SourceDefaults.objects.exists()


@pytest.mark.parametrize("persona", ["owner", "finance", "viewer"])
def test_only_importers_save_defaults(company, client, media, persona):
    client.force_login(company[persona])
    assert save_on_the_page(client, **{"defaults-currency": "USD"}).status_code == 404
    assert not SourceDefaults.objects.exists()


def test_the_job_page_lists_the_totals_row_it_left_out(company, erp, client, media):
    client.force_login(company["head"])
    text = "Data;Kontrahent;Kwota\n05.03.2024;K1;100,00\nRazem:;;100,00\n"
    upload = SimpleUploadedFile("wplaty.csv", text.encode("cp1250"))
    client.post(reverse("ingest:upload"), {"kind": "payments", "source": "erp", "file": upload})
    job = execute_job(Job.objects.get(kind="import").pk)
    page = client.get(reverse("ingest:job_progress", args=[job.pk])).content.decode()
    assert "1 row was left out of the import:" in page
    assert "line 3: a totals row (“Razem:”)" in page
