"""Payments as Polish ERPs export settlements: no payment number, Windows-1250, `;`,
decimal commas, a report title above the header and a totals row below the data.

A payment without an ERP id is known by its content (date, account, amount, currency,
the document it settles, and which of the file's identical rows it is), so the same
file twice changes nothing and two identical rows are two payments.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from openkam.ingest.summary import summary_lines
from openkam.ingest.tests.conftest import database_state
from openkam.ledger.models import Invoice, Payment

# Comarch ERP Optima, "Rozliczenia" saved to CSV: customers by their code (akronim).
# K1 paid two equal instalments of FA/12/2024 on the same day.
COMARCH = (
    "Zapłaty kontrahentów za okres 01.03.2024 - 31.03.2024;;;\n"
    "Data;Kontrahent;Kwota;Dokument\n"
    "05.03.2024;K1;1 230,00;FA/12/2024\n"
    "05.03.2024;K1;1 230,00;FA/12/2024\n"
    "12.03.2024;K2;-45,10;FKOR/3/2024\n"
    "18.03.2024;K2;2 000,50;\n"
    "Razem:;;4 415,40;\n"
)
# enova365, the same settlements by the customer's NIP (written as people write it).
ENOVA = (
    "Data zapłaty;NIP;Kwota wpłaty;Waluta;Dokument rozliczany\n"
    "2024-03-05;526-025-09-95;1 230,00;PLN;FA/12/2024\n"
    "2024-03-05;526-025-09-95;1 230,00;PLN;FA/12/2024\n"
    "2024-03-12;PL 5261040828;-45,10;PLN;FKOR/3/2024\n"
    "2024-03-18;5261040828;2 000,50;PLN;\n"
    "Suma;;4 415,40;PLN;\n"
)
PAID = [
    ("K1", date(2024, 3, 5), Decimal("1230.00"), "PLN", "FA/12/2024"),
    ("K1", date(2024, 3, 5), Decimal("1230.00"), "PLN", "FA/12/2024"),
    ("K2", date(2024, 3, 12), Decimal("-45.10"), "PLN", "FKOR/3/2024"),
    ("K2", date(2024, 3, 18), Decimal("2000.50"), "PLN", ""),
]


@pytest.fixture
def taxed(erp):
    """The ERP's two customers with their NIPs stored."""
    erp["k1"].tax_id, erp["k2"].tax_id = "5260250995", "5261040828"
    for account in (erp["k1"], erp["k2"]):
        account.save()
    return erp


def errors_of(outcome):
    return [(e.line, e.column, e.reason) for e in outcome.errors]


def payments():
    return sorted(
        Payment.objects.values_list(
            "account__external_id", "paid_on", "amount", "currency", "invoice_number"
        )
    )


@pytest.mark.parametrize("text", [COMARCH, ENOVA], ids=["comarch", "enova"])
def test_a_settlement_export_without_payment_numbers_imports(taxed, write_file, run_import, text):
    outcome = run_import("payments", write_file("zaplaty.csv", text, "cp1250"))
    assert outcome.ok, outcome.errors
    assert outcome.counts == {"created": 4, "updated": 0, "unchanged": 0}
    assert payments() == PAID
    keys = set(Payment.objects.values_list("external_id", flat=True))
    assert len(keys) == 4 and all(key.startswith("pay-") for key in keys)


@pytest.mark.parametrize("text", [COMARCH, ENOVA], ids=["comarch", "enova"])
def test_the_totals_row_is_left_out_and_the_summary_says_so(taxed, write_file, run_import, text):
    outcome = run_import("payments", write_file("zaplaty.csv", text, "cp1250"))
    last = text.count("\n")
    assert [(row.line, row.reason) for row in outcome.skipped] == [(last, "totals_row")]
    assert outcome.as_dict()["skipped_rows"][0]["line"] == last
    label = text.splitlines()[-1].split(";")[0]
    assert f"line {last} skipped: a totals row (“{label}”)" in summary_lines(outcome)


def test_the_same_file_twice_changes_nothing(taxed, write_file, run_import):
    path = write_file("zaplaty.csv", COMARCH, "cp1250")
    run_import("payments", path)
    before = database_state()
    outcome = run_import("payments", path)
    assert outcome.counts == {"created": 0, "updated": 0, "unchanged": 4}
    after = database_state()
    after.pop("AuditEntry"), before.pop("AuditEntry")  # the batch summary is new
    assert after == before


def test_the_same_payments_named_by_nip_are_the_same_payments(taxed, write_file, run_import):
    run_import("payments", write_file("comarch.csv", COMARCH, "cp1250"))
    outcome = run_import("payments", write_file("enova.csv", ENOVA, "cp1250"))
    assert outcome.counts == {"created": 0, "updated": 0, "unchanged": 4}


def test_a_later_export_adds_only_what_is_new(taxed, write_file, run_import):
    run_import("payments", write_file("marzec.csv", COMARCH, "cp1250"))
    # The quarter's export repeats March and adds a third instalment of FA/12/2024.
    quarter = COMARCH.replace("Razem:", "28.03.2024;K1;1 230,00;FA/12/2024\nRazem:")
    outcome = run_import("payments", write_file("kwartal.csv", quarter, "cp1250"))
    assert outcome.counts == {"created": 1, "updated": 0, "unchanged": 4}
    assert Payment.objects.filter(invoice_number="FA/12/2024").count() == 3


def test_a_row_removed_from_the_file_is_not_deleted(taxed, write_file, run_import):
    run_import("payments", write_file("a.csv", COMARCH, "cp1250"))
    fewer = COMARCH.replace("05.03.2024;K1;1 230,00;FA/12/2024\n", "", 1)
    outcome = run_import("payments", write_file("b.csv", fewer, "cp1250"))
    assert outcome.counts == {"created": 0, "updated": 0, "unchanged": 3}
    assert Payment.objects.count() == 4


def test_payments_are_linked_to_the_invoices_they_settle(taxed, write_file, run_import):
    invoice = Invoice.objects.create(
        source="erp", external_id="FA/12/2024", number="FA/12/2024", account=taxed["k1"],
        issued_on=date(2024, 2, 20), currency="PLN", net_total=2000, cost_total=0,
        gross_total=Decimal("2460.00"),
    )  # fmt: skip
    run_import("payments", write_file("zaplaty.csv", COMARCH, "cp1250"))
    assert list(invoice.payments.values_list("amount", flat=True)) == [Decimal("1230.00")] * 2


def test_an_unknown_nip_names_the_file_line_and_column(taxed, write_file, run_import):
    text = ENOVA.replace("2024-03-18;5261040828", "2024-03-18;7251801126")
    before = database_state()
    outcome = run_import("payments", write_file("wplaty.csv", text, "cp1250"))
    assert errors_of(outcome) == [(5, "account_tax_id", "unknown_account")]
    assert outcome.errors[0].detail == "no account with tax id '7251801126' from source 'erp'"
    assert outcome.file_name == "wplaty.csv"
    assert database_state() == before


def test_a_nip_two_accounts_share_asks_for_the_erp_id(taxed, write_file, run_import):
    taxed["k2"].tax_id = "5260250995"
    taxed["k2"].save()
    outcome = run_import("payments", write_file("wplaty.csv", ENOVA, "cp1250"))
    assert (2, "account_tax_id", "ambiguous_account") in errors_of(outcome)
    assert "(K1, K2)" in outcome.errors[0].detail and "account_id" in outcome.errors[0].detail
    assert not Payment.objects.exists()


def test_a_row_naming_no_customer_is_reported(taxed, write_file, run_import):
    text = ENOVA.replace("2024-03-18;5261040828", "2024-03-18;")
    outcome = run_import("payments", write_file("wplaty.csv", text, "cp1250"))
    assert errors_of(outcome) == [(5, "account_tax_id", "missing_required")]


def test_the_erp_id_wins_when_a_row_gives_both(taxed, write_file, run_import):
    text = "Data;Kontrahent;NIP;Kwota\n05.03.2024;K2;5260250995;100,00\n"
    assert run_import("payments", write_file("wplaty.csv", text, "cp1250")).ok
    assert payments() == [("K2", date(2024, 3, 5), Decimal("100.00"), "PLN", "")]


def test_a_file_naming_no_customer_column_is_refused_before_reading(erp, write_file, run_import):
    text = "Data;Kwota;Dokument\n05.03.2024;100,00;FA/1\n"
    outcome = run_import("payments", write_file("wplaty.csv", text, "cp1250"))
    assert errors_of(outcome) == [(1, "account_id", "wrong_columns")]
    assert "account_id, account_tax_id" in outcome.errors[0].detail


def test_payment_numbers_when_given_are_the_key(erp, write_file, run_import):
    text = (
        "Numer wpłaty;Data;Kontrahent;Kwota\nKP/1;05.03.2024;K1;100,00\nKP/2;05.03.2024;K1;100,00\n"
    )
    path = write_file("kp.csv", text, "cp1250")
    assert run_import("payments", path).counts == {"created": 2, "updated": 0, "unchanged": 0}
    assert sorted(Payment.objects.values_list("external_id", flat=True)) == ["KP/1", "KP/2"]
    changed = text.replace("KP/2;05.03.2024;K1;100,00", "KP/2;05.03.2024;K1;150,00")
    outcome = run_import("payments", write_file("kp2.csv", changed, "cp1250"))
    assert outcome.counts == {"created": 0, "updated": 1, "unchanged": 1}
