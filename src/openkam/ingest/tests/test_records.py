"""Contacts, products and payments."""

from __future__ import annotations

from decimal import Decimal

from openkam.core.models import AuditEntry
from openkam.ingest.tests.conftest import database_state
from openkam.ledger.models import Invoice, Payment, Product
from openkam.stakeholders.models import Contact


def errors_of(outcome):
    return [(e.line, e.column, e.reason) for e in outcome.errors]


CONTACTS = (
    "external_id;account_id;first_name;last_name;position;email\n"
    "C1;K1;Anna;Kowalska;Dyrektor zakupów;anna@example.com\n"
    "C2;K2;Piotr;Nowak;Kupiec;\n"
)


def test_contacts_are_attached_to_accounts_by_external_id(erp, write_file, run_import):
    outcome = run_import("contacts", write_file("c.csv", CONTACTS))
    assert outcome.counts == {"created": 2, "updated": 0, "unchanged": 0}
    assert Contact.objects.get(external_id="C1").account == erp["k1"]
    entry = AuditEntry.objects.get(
        model="stakeholders.Contact", object_id=str(Contact.objects.get(external_id="C1").pk)
    )
    assert (entry.action, entry.account_id) == ("import", erp["k1"].pk)


def test_contacts_reimport_is_idempotent_and_updates_changes(erp, write_file, run_import):
    run_import("contacts", write_file("c.csv", CONTACTS))
    assert run_import("contacts", write_file("c.csv", CONTACTS)).counts["unchanged"] == 2
    changed = CONTACTS.replace("Kupiec", "Kierownik")
    assert run_import("contacts", write_file("d.csv", changed)).counts["updated"] == 1
    assert Contact.objects.get(external_id="C2").position == "Kierownik"


def test_contact_of_unknown_account_is_an_error(erp, write_file, run_import):
    text = CONTACTS + "C3;K9;Jan;Zieliński;;\n"
    before = database_state()
    outcome = run_import("contacts", write_file("c.csv", text))
    assert errors_of(outcome) == [(4, "account_id", "unknown_account")]
    assert database_state() == before


def test_bad_email_is_an_error(erp, write_file, run_import):
    text = CONTACTS + "C3;K1;Jan;Zieliński;;not-an-email\n"
    assert errors_of(run_import("contacts", write_file("c.csv", text))) == [
        (4, "email", "bad_value")
    ]


def test_products_by_sku(db, write_file, run_import):
    text = (
        "Indeks;Nazwa towaru;Grupa towarowa;J.m.\nM-1;Mąka pszenna;Mąki;kg\nM-2;Cukier;Słodkie;\n"
    )
    outcome = run_import("products", write_file("p.csv", text, "cp1250"))
    assert outcome.ok, outcome.errors
    flour = Product.objects.get(source="erp", sku="M-1")
    assert (flour.external_id, flour.unit, flour.product_line) == ("M-1", "kg", "Mąki")
    assert Product.objects.get(sku="M-2").unit == "pcs"
    assert run_import("products", write_file("p.csv", text, "cp1250")).counts["unchanged"] == 2


def test_products_import_is_summed_up_in_one_audit_entry(db, write_file, run_import):
    run_import("products", write_file("p.csv", "sku,name\nA,Alpha\nB,Beta\n"))
    entry = AuditEntry.objects.get()
    assert (entry.model, entry.changes["created"]) == ("ingest.ImportBatch", [None, 2])


PAYMENTS = (
    "external_id;account_id;payment_date;amount;currency;invoice_number\n"
    "W1;K1;2024-03-20;1 222,06;PLN;FV/1\n"
    "W2;K2;21.03.2024;50,00;PLN;FV/404\n"
)


def test_payments_link_known_invoices_and_keep_the_reference(erp, write_file, run_import):
    invoice = Invoice.objects.create(
        number="FV/1", source="erp", external_id="FV/1", account=erp["k1"], issued_on="2024-03-01"
    )
    outcome = run_import("payments", write_file("w.csv", PAYMENTS))
    assert outcome.counts == {"created": 2, "updated": 0, "unchanged": 0}
    w1, w2 = Payment.objects.get(external_id="W1"), Payment.objects.get(external_id="W2")
    assert (w1.invoice, w1.amount) == (invoice, Decimal("1222.06"))
    assert (w2.invoice, w2.invoice_number, str(w2.paid_on)) == (None, "FV/404", "2024-03-21")
    assert run_import("payments", write_file("w.csv", PAYMENTS)).counts["unchanged"] == 2


def test_payment_with_bad_amount_is_an_error(erp, write_file, run_import):
    text = PAYMENTS + "W3;K1;2024-03-22;dużo;PLN;\n"
    before = database_state()
    outcome = run_import("payments", write_file("w.csv", text))
    assert errors_of(outcome) == [(4, "amount", "bad_number")]
    assert database_state() == before


def test_every_problem_of_a_row_is_reported_at_once(erp, write_file, run_import):
    text = (
        "external_id,account_id,payment_date,amount,currency,invoice_number\n"
        "P1,K1,2024-13-45,12a,PLN,FV/X\n"
        "P2,NOSUCH,15.03.2024,1e5,ZLOTY,\n"
        "P2,K1,2024-03-15,10,PLN,\n"
    )
    before = database_state()
    outcome = run_import("payments", write_file("w.csv", text))
    assert errors_of(outcome) == [
        (2, "amount", "bad_number"),
        (2, "payment_date", "bad_date"),
        (3, "account_id", "unknown_account"),
        (3, "amount", "bad_number"),
        (3, "currency", "bad_value"),
        (4, "external_id", "duplicate_id"),
    ]
    assert database_state() == before


def test_a_contact_with_a_bad_email_and_an_unknown_account_gets_both(erp, write_file, run_import):
    text = "external_id;account_id;last_name;email\nC9;NOSUCH;Nowak;nie-mail\n"
    outcome = run_import("contacts", write_file("c.csv", text))
    assert errors_of(outcome) == [(2, "account_id", "unknown_account"), (2, "email", "bad_value")]
