"""The sample files in docs/samples import cleanly, in the documented order."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from openkam.accounts.models import Account
from openkam.ledger.models import Invoice, Payment

SAMPLES = Path(__file__).resolve().parents[4] / "docs" / "samples"
ORDER = [
    ("accounts", "accounts.csv"),
    ("contacts", "contacts.csv"),
    ("products", "products-pl.csv"),
    ("invoices", "invoices-pl.csv"),
    ("invoices", "invoices-ru.csv"),
    ("payments", "payments.csv"),
    ("open_items", "open-items-pl.csv"),
]


@pytest.fixture
def imported(db, run_import):
    return [run_import(kind, SAMPLES / name) for kind, name in ORDER]


def test_every_sample_imports_without_errors(imported):
    assert [(o.file_name, o.errors) for o in imported] == [(name, []) for _k, name in ORDER]


def test_samples_are_in_their_documented_encodings(imported):
    assert [o.encoding for o in imported] == [
        "utf-8",
        "utf-8",
        "cp1250",
        "cp1250",
        "cp1251",
        "utf-8",
        "cp1250",
    ]


def test_sample_group_and_totals(imported):
    assert Account.objects.get(external_id="R002").group_root.external_id == "R001"
    assert Invoice.objects.get(number="FV/2024/03/001").net_total == Decimal("6600.00")
    assert Invoice.objects.get(number="РН-000117").net_total == Decimal("79950.00")
    assert Payment.objects.get(external_id="ПП-000411").invoice.number == "РН-000117"


def test_sample_open_items_give_the_receivables(imported):
    from datetime import date

    from openkam.receivables import engine

    k002 = Account.objects.get(external_id="K002")
    (row,) = engine.aging(engine.AccountScope.of_ids([k002.pk]), date(2024, 4, 30))
    assert (row.currency, row.days_1_30) == ("PLN", Decimal("2460.00"))
