"""Properties of the allocation on random ledgers (hypothesis), on the real database:
the open items tie out to the ledger balance, the buckets to the open total, no invoice is
ever owed less than nothing or more than its amount, and the stored aging is the live one."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openkam.accounts.models import Account
from openkam.ledger.models import Invoice, Payment
from openkam.receivables.engine import AGING_FIELDS, AccountScope, aging, open_items
from openkam.receivables.models import Allocation, ReceivablesSummary
from openkam.receivables.refresh import refresh
from openkam.receivables.tests.ledgers import invoice, payment

START = date(2026, 1, 1)
cents = st.integers(min_value=-50_000, max_value=500_000).map(lambda c: Decimal(c) / 100)
days = st.integers(min_value=0, max_value=330)
currencies = st.sampled_from(["PLN", "PLN", "EUR"])
invoices = st.lists(
    st.tuples(days, cents, st.integers(min_value=0, max_value=90) | st.none(), currencies),
    max_size=8,
)
payments = st.lists(
    st.tuples(days, cents, st.integers(min_value=-1, max_value=8), currencies), max_size=8
)
splits = st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7), cents), max_size=3)
PROPERTY = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _build(account, invoice_specs, payment_specs, split_specs) -> None:
    Allocation.objects.all().delete()
    Payment.objects.all().delete()
    Invoice.objects.all().delete()
    made = [
        invoice(account, f"FV/{n}", START + timedelta(days=day), str(amount),
                due_days=due, currency=currency)
        for n, (day, amount, due, currency) in enumerate(invoice_specs)
    ]  # fmt: skip
    paid = [
        payment(account, START + timedelta(days=day), str(amount), currency=currency,
                invoice=made[ref] if 0 <= ref < len(made) else None)
        for day, amount, ref, currency in payment_specs
    ]  # fmt: skip
    for pay_index, inv_index, amount in split_specs:
        if pay_index < len(paid) and inv_index < len(made):
            Allocation.objects.get_or_create(
                payment=paid[pay_index], invoice=made[inv_index], defaults={"amount": amount}
            )


def _ledger_balance(account, as_of) -> dict[str, Decimal]:
    balance: dict[str, Decimal] = defaultdict(Decimal)
    for inv in Invoice.objects.filter(account=account, issued_on__lte=as_of):
        balance[inv.currency] += inv.amount_due
    for pay in Payment.objects.filter(account=account, paid_on__lte=as_of):
        balance[pay.currency] -= pay.amount
    return {currency: amount for currency, amount in balance.items()}


@pytest.fixture
def acme(db):
    return Account.objects.create(name="Acme", source="t", external_id="ACME")


@PROPERTY
@given(invoices, payments, splits, days)
def test_open_items_tie_out_to_the_ledger_balance(acme, inv, pay, split, as_of_day):
    _build(acme, inv, pay, split)
    as_of = START + timedelta(days=as_of_day)
    scope = AccountScope.of_ids([acme.pk])
    totals: dict[str, Decimal] = defaultdict(Decimal)
    owed = {i.pk: max(i.amount_due, Decimal(0)) for i in Invoice.objects.filter(account=acme)}
    for item in open_items(scope, as_of):
        totals[item.currency] += item.amount
        if item.invoice_id is not None:
            # An invoice is never owed less than nothing nor more than its amount.
            assert Decimal(0) < item.amount <= owed[item.invoice_id]
    balance = _ledger_balance(acme, as_of)
    assert {c: a for c, a in totals.items() if a} == {c: a for c, a in balance.items() if a}
    for row in aging(scope, as_of):
        parts = sum(getattr(row, name) for name in AGING_FIELDS[1:])
        assert parts == row.balance == balance[row.currency]


@PROPERTY
@given(invoices, payments, splits, days)
def test_a_negative_open_item_is_always_a_credit_left_over(acme, inv, pay, split, as_of_day):
    _build(acme, inv, pay, split)
    as_of = START + timedelta(days=as_of_day)
    for item in open_items(AccountScope.of_ids([acme.pk]), as_of):
        if item.amount < 0:
            assert item.invoice_id is None
            # ... and then nothing of that currency is open: credits settle invoices first.
            assert not [
                other
                for other in open_items(AccountScope.of_ids([acme.pk]), as_of)
                if other.currency == item.currency and other.invoice_id is not None
            ]


@PROPERTY
@given(invoices, payments, splits, days)
def test_the_stored_aging_is_the_live_one(acme, inv, pay, split, as_of_day):
    _build(acme, inv, pay, split)
    as_of = START + timedelta(days=as_of_day)
    refresh(as_of, [acme.pk])
    live = {
        row.currency: tuple(getattr(row, name) for name in (*AGING_FIELDS, "oldest_due_on"))
        for row in aging(AccountScope.of_ids([acme.pk]), as_of)
    }
    stored = {
        row.currency: tuple(getattr(row, name) for name in (*AGING_FIELDS, "oldest_due_on"))
        for row in ReceivablesSummary.objects.filter(account=acme)
    }
    assert stored == live
