"""Open items from an ERP that keeps the ledger: the snapshot gives the source's
receivables on every path (the aging, the stored finance view, the credit check), and
sending the same file again changes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from openkam.credit.assessment import assess
from openkam.ledger.models import Invoice, Payment
from openkam.receivables import engine
from openkam.receivables.engine import AccountScope
from openkam.receivables.models import LedgerSnapshot, OpenItem, ReceivablesSummary, SnapshotItem
from openkam.receivables.snapshots import Difference, ItemIn, ledger_differences

# A Comarch-like settlements report ("Rozrachunki"), Windows-1250, with a title line and
# a totals row: K1 owes two invoices (one overdue since 31.10) and has a credit note.
OPEN_PL = (
    "Rozrachunki z kontrahentami\n"
    "Kontrahent;Numer dokumentu;Data dokumentu;Termin płatności;Pozostało do zapłaty;Waluta;"
    "Stan na dzień\n"
    "K1;FV/2026/10/7;01.10.2026;31.10.2026;12 000,00;PLN;30.11.2026\n"
    "K1;FV/2026/11/3;15.11.2026;15.12.2026;3 000,50;PLN;30.11.2026\n"
    "K1;FK/2026/11/1;20.11.2026;;-500,00;PLN;30.11.2026\n"
    "K2;FV/2026/11/9;;02.12.2026;1 000,00;EUR;30.11.2026\n"
    "Razem;;;;15 500,50;;\n"
)
# A 1C "Расчеты с покупателями" report with INN instead of the ERP id.
OPEN_RU = (
    "ИНН;Документ;Дата документа;Срок оплаты;Остаток долга;Валюта\n"
    "7707083893;Реализация 0000-000123;10.11.2026;20.11.2026;250 000,00;RUB\n"
)


def test_a_settlements_report_becomes_the_source_receivables(erp, write_file, run_import):
    # K2 happens to have an invoice numbered like one of K1's documents: not K1's.
    Invoice.objects.create(
        account=erp["k2"], number="FV/2026/11/3", issued_on=date(2026, 11, 15),
        currency="PLN", net_total=Decimal("1"),
    )  # fmt: skip
    # The ledger has the invoice the ERP says is part-paid.
    invoice = Invoice.objects.create(
        account=erp["k1"], number="FV/2026/10/7", issued_on=date(2026, 10, 1),
        due_on=date(2026, 10, 31), currency="PLN", net_total=Decimal("20000"), source="erp",
        external_id="FV/2026/10/7",
    )  # fmt: skip
    outcome = run_import("open_items", write_file("rozrachunki.csv", OPEN_PL, "cp1250"))
    assert outcome.ok, outcome.errors
    # K1's ledger says 20,000 open, the ERP 14,500.50; K2's 1 PLN the ERP does not list.
    assert outcome.counts == {"items": 4, "accounts": 2, "matched_invoices": 1, "ledger_differs": 2}
    assert [row.line for row in outcome.skipped] == [7]  # the totals row
    snapshot = LedgerSnapshot.objects.get()
    assert (snapshot.source, snapshot.as_of, snapshot.item_count) == ("erp", date(2026, 11, 30), 4)

    aging = {row.currency: row for row in engine.aging(AccountScope.of_ids([erp["k1"].pk]),
                                                        date(2026, 12, 2))}  # fmt: skip
    pln = aging["PLN"]
    # The ERP's 12,000 left, not the ledger's 20,000: the snapshot wins.
    assert pln.balance == Decimal("14500.50")
    assert pln.days_31_60 == Decimal("12000.00")  # 32 days overdue on 2 December
    assert pln.not_due == Decimal("3000.50")
    assert pln.unapplied == Decimal("-500.00")
    assert pln.oldest_due_on == date(2026, 10, 31)
    # The import refreshed the stored aging the finance view reads.
    stored = ReceivablesSummary.objects.get(account=erp["k1"], currency="PLN")
    assert (stored.balance, stored.overdue) == (Decimal("14500.50"), Decimal("12000.00"))
    documents = set(OpenItem.objects.filter(account=erp["k1"]).values_list("invoice", "document"))
    assert documents == {(invoice.pk, "FV/2026/10/7"), (None, "FV/2026/11/3"),
                         (None, "FK/2026/11/1")}  # fmt: skip


def test_the_credit_check_reads_the_snapshot(erp, write_file, run_import):
    run_import("open_items", write_file("r.csv", OPEN_PL, "cp1250"))
    assessment = assess(erp["k1"], "PLN", date(2026, 12, 2))
    assert assessment.receivables == Decimal("14500.50")
    assert assessment.overdue == Decimal("12000.00")
    assert assessment.oldest_overdue_days == 32


def test_the_same_file_again_changes_nothing(erp, write_file, run_import):
    path = write_file("r.csv", OPEN_PL, "cp1250")
    run_import("open_items", path)
    first = sorted(SnapshotItem.objects.values_list("account", "document", "amount", "due_on"))
    outcome = run_import("open_items", path)
    assert outcome.ok
    assert LedgerSnapshot.objects.count() == 1
    assert (
        sorted(SnapshotItem.objects.values_list("account", "document", "amount", "due_on")) == first
    )


def test_a_paid_customer_drops_out_of_the_next_snapshot(erp, write_file, run_import):
    run_import("open_items", write_file("a.csv", OPEN_PL, "cp1250"))
    paid = "\n".join(line for line in OPEN_PL.splitlines() if not line.startswith("K2"))
    later = paid.replace("30.11.2026", "01.12.2026")
    assert run_import("open_items", write_file("b.csv", later, "cp1250")).ok
    # K2 is the source's customer and the ERP lists nothing for it: it owes nothing now.
    assert engine.aging(AccountScope.of_ids([erp["k2"].pk]), date(2026, 12, 2)) == []
    # As of 30 November the first snapshot still answers.
    before = engine.aging(AccountScope.of_ids([erp["k2"].pk]), date(2026, 11, 30))
    assert [(row.currency, row.balance) for row in before] == [("EUR", Decimal("1000.00"))]


def test_before_the_first_snapshot_the_ledger_answers(erp, write_file, run_import):
    Invoice.objects.create(
        account=erp["k2"], number="A/1", issued_on=date(2026, 9, 1), due_on=date(2026, 9, 15),
        currency="EUR", net_total=Decimal("700"),
    )  # fmt: skip
    Payment.objects.create(account=erp["k2"], paid_on=date(2026, 9, 20), amount=Decimal("200"),
                           currency="EUR")  # fmt: skip
    run_import("open_items", write_file("a.csv", OPEN_PL, "cp1250"))
    earlier = engine.aging(AccountScope.of_ids([erp["k2"].pk]), date(2026, 10, 1))
    assert [(row.currency, row.balance) for row in earlier] == [("EUR", Decimal("500.00"))]


def test_a_1c_report_names_customers_by_inn(erp, write_file, run_import):
    erp["k2"].tax_id, erp["k2"].country = "7707083893", "RU"
    erp["k2"].save()
    outcome = run_import("open_items", write_file("расчеты.csv", OPEN_RU, "cp1251"))
    assert outcome.ok, outcome.errors
    # No "as of" column: the snapshot is of the import's day (the fixed clock's).
    assert LedgerSnapshot.objects.get().as_of == date(2026, 12, 2)
    row = engine.aging(AccountScope.of_ids([erp["k2"].pk]), date(2026, 12, 2))[0]
    assert (row.currency, row.days_1_30) == ("RUB", Decimal("250000.00"))


ROW_4 = "K1;FV/2026/11/3;15.11.2026;15.12.2026;3 000,50;PLN;30.11.2026"


@pytest.mark.parametrize(
    ("bad", "errors"),
    [
        (
            "K1;FV/2026/11/3;15.11.2026;15.12.2026;3 000,50;PLN;01.12.2026",
            [(4, "as_of", "bad_value",
              "a file is the open items of one day: this row says 2026-12-01, line 3 said "
              "2026-11-30")],
        ),
        (  # an amount owed with no date at all cannot be aged; 50 groszy is owed too
            "K1;FV/2026/11/3;;;0,50;PLN;30.11.2026",
            [(4, "due_date", "missing_required",
              "an amount owed needs its due date or at least the document's date")],
        ),
        (
            "K9;FV/2026/11/3;15.11.2026;15.12.2026;3 000,50;PLN;30.11.2026",
            [(4, "account_id", "unknown_account", "no account 'K9' from source 'erp'")],
        ),
        (
            ";FV/2026/11/3;15.11.2026;15.12.2026;3 000,50;PLN;30.11.2026",
            [(4, "account_id", "missing_required",
              "the row names no customer: fill one of account_id")],
        ),
        (
            "K1;FV/2026/11/3;15.11.2026;15.12.2026;3 000,50;zł;30.11.2026",
            [(4, "currency", "bad_value", "'ZŁ' is not an ISO code")],
        ),
        (  # every bad row is named, not only the first
            ROW_4.replace("K1", "K8") + "\n" + ROW_4.replace("K1", "K9"),
            [(4, "account_id", "unknown_account", "no account 'K8' from source 'erp'"),
             (5, "account_id", "unknown_account", "no account 'K9' from source 'erp'")],
        ),
    ],
)  # fmt: skip
def test_a_bad_row_is_named_and_the_stored_snapshot_stays(erp, write_file, run_import, bad, errors):
    run_import("open_items", write_file("a.csv", OPEN_PL, "cp1250"))
    before = sorted(SnapshotItem.objects.values_list("pk", "amount"))
    outcome = run_import("open_items", write_file("b.csv", OPEN_PL.replace(ROW_4, bad), "cp1250"))
    assert not outcome.ok
    assert [(e.line, e.column, e.reason, e.detail) for e in outcome.errors] == errors
    assert sorted(SnapshotItem.objects.values_list("pk", "amount")) == before


def test_without_a_due_date_column_the_document_date_is_asked_for(erp, write_file, run_import):
    text = "Kontrahent;Dokument;Data dokumentu;Saldo\nK1;FV/1;;100,00\nK1;FV/2;01.11.2026;50,00\n"
    outcome = run_import("open_items", write_file("s.csv", text))
    assert [(e.line, e.column, e.reason) for e in outcome.errors] == [
        (2, "document_date", "missing_required")
    ]


def test_the_tie_out_names_each_customer_and_currency_that_differs(erp, write_file, run_import):
    from openkam.accounts.models import Account

    k1, k2 = erp["k1"], erp["k2"]
    k3 = Account.objects.create(name="Zielony Rynek", source="erp", external_id="K3")
    manual = Account.objects.create(name="Hand Made")
    for account, number, amount, currency, gross in (
        (k1, "FV/2026/10/7", "10000", "PLN", "12000"),  # owed gross: 12,000
        (k2, "FV/2026/11/9", "1000", "EUR", None),  # ties out
        (k2, "FV/2026/08/1", "300", "PLN", None),  # the ERP lists nothing in PLN: a gap
        (k1, "FV/2026/12/1", "999", "PLN", None),  # after the snapshot's day: not counted
        (k1, "FV/2026/07/1", "50", "USD", None),  # paid in full, the ERP lists no USD either
        (k3, "FV/2026/06/1", "3500", "PLN", None),  # unlisted by the ERP: 3,500 is the gap
        (manual, "R/1", "777", "PLN", None),  # another source's customer: not tied out
    ):
        issued = date(2026, 12, 1) if number == "FV/2026/12/1" else date(2026, 10, 1)
        Invoice.objects.create(
            account=account, number=number, issued_on=issued, currency=currency,
            net_total=Decimal(amount), gross_total=Decimal(gross) if gross else None,
        )  # fmt: skip
    for account, day, amount, currency in (
        (k1, date(2026, 11, 2), "500", "PLN"),
        (k1, date(2026, 12, 1), "4000", "PLN"),  # after the snapshot's day: not counted
        (k1, date(2026, 8, 1), "50", "USD"),
        (manual, date(2026, 11, 2), "1", "PLN"),
    ):
        Payment.objects.create(account=account, paid_on=day, amount=Decimal(amount),
                               currency=currency)  # fmt: skip
    run_import("open_items", write_file("r.csv", OPEN_PL, "cp1250"))
    assert ledger_differences(LedgerSnapshot.objects.get()) == [
        Difference(k3.pk, "PLN", erp=Decimal("0.00"), ledger=Decimal("3500.00")),
        Difference(k1.pk, "PLN", erp=Decimal("14500.50"), ledger=Decimal("11500.00")),
        Difference(k2.pk, "PLN", erp=Decimal("0.00"), ledger=Decimal("300.00")),
    ]


def test_the_summary_says_what_was_stored_and_what_does_not_tie_out(erp, write_file, run_import):
    from openkam.ingest.summary import summary_lines

    Invoice.objects.create(account=erp["k1"], number="X", issued_on=date(2026, 10, 1),
                           currency="PLN", net_total=Decimal("1"))  # fmt: skip
    outcome = run_import("open_items", write_file("r.csv", OPEN_PL, "cp1250"))
    lines = summary_lines(outcome)
    assert "open items stored: 4 of 2 customers, 0 of them matched to an imported invoice" in lines
    assert (
        "the ERP's open total differs from the invoices and payments imported for 1 customer(s)"
        in lines
    )
    assert not any(line.startswith("created") for line in lines)


def test_an_upload_shows_the_open_items_counts(company, erp, client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from openkam.core.jobs import execute_job
    from openkam.core.models import Job

    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(company["head"])
    upload = SimpleUploadedFile("r.csv", OPEN_PL.encode("cp1250"))
    client.post(reverse("ingest:upload"), {"kind": "open_items", "source": "erp", "file": upload})
    job = execute_job(Job.objects.get(kind="import").pk)
    assert job.result["ok"], job.result
    body = client.get(reverse("ingest:job", args=[job.pk])).content.decode()
    assert "Open items stored" in body and "Created" not in body


# A report with a document dated but not due (due on its date), a settled document still
# listed with 0 and no dates, and a row without a currency (the source's).
OPEN_MIXED = (
    "Kontrahent;Dokument;Data dokumentu;Termin płatności;Saldo;Waluta\n"
    "K1;FV/2026/09/1;;;0,00;PLN\n"
    "K1;NO/2026/11/2;20.11.2026;;150,00;\n"
)


def test_a_document_without_a_due_date_is_due_on_its_date(erp, write_file, run_import, company):
    outcome = run_import("open_items", write_file("m.csv", OPEN_MIXED), actor=company["head"])
    assert outcome.ok, outcome.errors
    assert list(
        SnapshotItem.objects.values_list("document", "issued_on", "due_on", "currency")
    ) == [("NO/2026/11/2", date(2026, 11, 20), None, "PLN")]
    (row,) = engine.aging(AccountScope.of_ids([erp["k1"].pk]), date(2026, 12, 2))
    assert (row.days_1_30, row.oldest_due_on) == (Decimal("150.00"), date(2026, 11, 20))
    assert LedgerSnapshot.objects.get().imported_by == company["head"]


def test_each_source_keeps_its_latest_snapshot(erp, write_file, run_import):
    from openkam.accounts.models import Account
    from openkam.receivables.snapshots import kept_as_of

    k1, k2 = erp["k1"], erp["k2"]
    other = Account.objects.create(name="Sibirskij Torg", source="1c", external_id="S1")
    manual = Account.objects.create(name="Hand Made")
    for account in (k2, other, manual):
        Invoice.objects.create(account=account, number="L/1", issued_on=date(2026, 9, 1),
                               currency="EUR", net_total=Decimal("70"))  # fmt: skip
    run_import("open_items", write_file("a.csv", OPEN_PL, "cp1250"))
    later = OPEN_PL.replace("30.11.2026", "01.12.2026").replace("12 000,00", "11 000,00")
    run_import(
        "open_items",
        write_file(
            "b.csv",
            "\n".join(line for line in later.splitlines() if not line.startswith("K2")),
            "cp1250",
        ),
    )
    siberian = (
        "Kontrahent;Dokument;Termin płatności;Saldo;Waluta;Stan na dzień\n"
        "S1;R/9;01.11.2026;40,00;EUR;29.11.2026\n"
    )
    assert run_import("open_items", write_file("c.csv", siberian), source="1c").ok

    kept = kept_as_of(date(2026, 12, 2))
    assert sorted(
        LedgerSnapshot.objects.filter(pk__in=kept.snapshots).values_list("source", "as_of")
    ) == [("1c", date(2026, 11, 29)), ("erp", date(2026, 12, 1))]

    def balances(account):
        rows = engine.aging(AccountScope.of_ids([account.pk]), date(2026, 12, 2))
        return {row.currency: row.balance for row in rows}

    assert balances(k1) == {"PLN": Decimal("13500.50")}  # the erp's latest report
    assert balances(k2) == {}  # left out of the erp's latest: the ledger's 70 EUR is not owed
    assert balances(other) == {"EUR": Decimal("40.00")}
    assert balances(manual) == {"EUR": Decimal("70.00")}  # no report covers it
    now, before = kept_as_of(date(2026, 12, 2)), kept_as_of(date(2026, 11, 28))
    assert (now.of(k2).source, now.of(k2).as_of) == ("erp", date(2026, 12, 1))
    assert (now.of(other).source, now.of(other).as_of) == ("1c", date(2026, 11, 29))
    assert now.of(manual) is None
    assert before.of(other) is None


def test_a_snapshot_holds_only_its_source_customers(erp):
    from openkam.accounts.models import Account
    from openkam.receivables.snapshots import snapshot_replace

    manual = Account.objects.create(name="Hand Made")
    item = ItemIn(manual.pk, "X/1", None, date(2026, 11, 1), "PLN", Decimal("10"))
    with pytest.raises(ValueError, match="another source's customer"):
        snapshot_replace(actor=None, source="erp", as_of=date(2026, 12, 1), items=[item])
    assert not LedgerSnapshot.objects.exists()
