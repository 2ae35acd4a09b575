"""Open items and aging against ledgers computed by hand (docs/receivables.md's rules)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from openkam.accounts.models import Account
from openkam.receivables.engine import AccountScope, aging, open_items
from openkam.receivables.models import Allocation
from openkam.receivables.tests.ledgers import invoice, payment

AS_OF = date(2026, 12, 2)
D = Decimal


@pytest.fixture
def acme(db):
    return Account.objects.create(name="Acme", source="t", external_id="ACME")


def items(account, as_of=AS_OF):
    return [
        (row.invoice_id, row.currency, row.amount)
        for row in open_items(AccountScope.of_ids([account.pk]), as_of)
    ]


def test_a_payment_settles_the_invoice_it_names_and_a_part_payment_leaves_the_rest(acme):
    first = invoice(acme, "FV/1", date(2026, 9, 1), "1000.00")
    second = invoice(acme, "FV/2", date(2026, 10, 1), "500.00")
    payment(acme, date(2026, 10, 20), "500.00", invoice=second)
    payment(acme, date(2026, 10, 25), "300.00", invoice=first)
    assert items(acme) == [(first.pk, "PLN", D("700.00"))]


def test_payments_naming_no_invoice_settle_the_oldest_due_first(acme):
    old = invoice(acme, "FV/1", date(2026, 8, 1), "400.00")
    mid = invoice(acme, "FV/2", date(2026, 9, 1), "600.00")
    new = invoice(acme, "FV/3", date(2026, 10, 1), "800.00")
    payment(acme, date(2026, 11, 1), "700.00")
    assert items(acme) == [(mid.pk, "PLN", D("300.00")), (new.pk, "PLN", D("800.00"))]
    assert old.pk not in [pk for pk, _c, _a in items(acme)]


def test_what_a_named_payment_leaves_over_goes_to_the_oldest_invoice(acme):
    old = invoice(acme, "FV/1", date(2026, 8, 1), "400.00")
    new = invoice(acme, "FV/2", date(2026, 9, 1), "600.00")
    payment(acme, date(2026, 9, 10), "750.00", invoice=new)
    assert items(acme) == [(old.pk, "PLN", D("250.00"))]


def test_a_credit_note_settles_like_a_payment_and_owes_nothing_itself(acme):
    invoice(acme, "FV/1", date(2026, 9, 1), "1000.00")
    second = invoice(acme, "FV/2", date(2026, 10, 1), "1000.00")
    invoice(acme, "KOR/1", date(2026, 10, 5), "-1200.00")
    assert items(acme) == [(second.pk, "PLN", D("800.00"))]


def test_an_overpayment_is_unapplied_credit_and_the_items_add_up_to_the_balance(acme):
    invoice(acme, "FV/1", date(2026, 9, 1), "100.00")
    payment(acme, date(2026, 9, 5), "130.00", reference="FV/999")  # an unknown invoice
    assert items(acme) == [(None, "PLN", D("-30.00"))]
    (row,) = aging(AccountScope.of_ids([acme.pk]), AS_OF)
    assert row.balance == D("-30.00") and row.unapplied == D("-30.00")


def test_a_refund_beyond_every_credit_is_an_open_debit_of_its_own(acme):
    payment(acme, date(2026, 9, 5), "-50.00")
    assert items(acme) == [(None, "PLN", D("50.00"))]


def test_currencies_are_never_added_up(acme):
    pln = invoice(acme, "FV/1", date(2026, 9, 1), "1000.00")
    eur = invoice(acme, "FV/2", date(2026, 9, 1), "200.00", currency="EUR")
    payment(acme, date(2026, 9, 20), "150.00", currency="EUR")
    # A payment in euros naming the złoty invoice settles euros only.
    payment(acme, date(2026, 9, 21), "10.00", invoice=pln, currency="EUR")
    assert items(acme) == [(eur.pk, "EUR", D("40.00")), (pln.pk, "PLN", D("1000.00"))]


def test_the_gross_total_is_what_is_owed_when_the_erp_gave_it(acme):
    fv = invoice(acme, "FV/1", date(2026, 9, 1), "1000.00", gross="1230.00")
    payment(acme, date(2026, 9, 20), "1000.00", invoice=fv)
    assert items(acme) == [(fv.pk, "PLN", D("230.00"))]


def test_a_split_by_hand_replaces_the_payments_own_reference(acme):
    first = invoice(acme, "FV/1", date(2026, 8, 1), "500.00")
    second = invoice(acme, "FV/2", date(2026, 9, 1), "500.00")
    third = invoice(acme, "FV/3", date(2026, 10, 1), "500.00")
    paid = payment(acme, date(2026, 10, 10), "600.00", invoice=first)
    Allocation.objects.create(payment=paid, invoice=third, amount=D("400.00"))
    # 400 to the third by hand, the 200 left over to the oldest: the first.
    assert items(acme) == [
        (first.pk, "PLN", D("300.00")),
        (second.pk, "PLN", D("500.00")),
        (third.pk, "PLN", D("100.00")),
    ]


def test_aging_as_of_a_past_date_ignores_later_documents(acme):
    fv = invoice(acme, "FV/1", date(2026, 9, 1), "1000.00")  # due 2026-10-01
    payment(acme, date(2026, 11, 15), "1000.00", invoice=fv)
    invoice(acme, "FV/2", date(2026, 11, 20), "70.00")
    (before,) = aging(AccountScope.of_ids([acme.pk]), date(2026, 11, 1))
    assert (before.balance, before.days_31_60, before.oldest_due_on) == (
        D("1000.00"), D("1000.00"), date(2026, 10, 1),
    )  # fmt: skip
    (now,) = aging(AccountScope.of_ids([acme.pk]), AS_OF)
    assert (now.balance, now.not_due, now.overdue) == (D("70.00"), D("70.00"), D("0.00"))


def test_buckets_by_days_overdue_with_their_edges(acme):
    def due(days_before: int, amount: str):
        issued = date.fromordinal(AS_OF.toordinal() - days_before)
        invoice(acme, f"FV/{days_before}", issued, amount, due_days=0)

    due(0, "1.00")  # due today: not overdue yet
    due(1, "2.00")
    due(30, "4.00")
    due(31, "8.00")
    due(60, "16.00")
    due(61, "32.00")
    due(90, "64.00")
    due(91, "128.00")
    (row,) = aging(AccountScope.of_ids([acme.pk]), AS_OF)
    assert (row.not_due, row.days_1_30, row.days_31_60, row.days_61_90, row.days_over_90) == (
        D("1.00"), D("6.00"), D("24.00"), D("96.00"), D("128.00"),
    )  # fmt: skip
    assert row.balance == D("255.00")
    assert row.oldest_due_on == date(2026, 9, 2)


def test_an_invoice_without_a_due_date_is_due_on_its_issue_date(acme):
    invoice(acme, "FV/1", date(2026, 11, 1), "10.00", due_days=None)
    (row,) = aging(AccountScope.of_ids([acme.pk]), AS_OF)
    assert row.days_31_60 == D("10.00")


def test_a_queryset_scope_covers_only_its_accounts(acme):
    other = Account.objects.create(name="Other", source="t", external_id="O")
    invoice(acme, "FV/1", date(2026, 11, 1), "10.00")
    invoice(other, "FV/2", date(2026, 11, 1), "20.00")
    scope = AccountScope.of_queryset(Account.objects.filter(name="Other"))
    assert [(row.account_id, row.balance) for row in aging(scope, AS_OF)] == [
        (other.pk, D("20.00"))
    ]
