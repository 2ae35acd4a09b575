"""The recommended maximum and the verdict on an order, against hand-computed cases."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from openkam.credit.assessment import assess, check_order
from openkam.credit.models import CreditPolicy, LimitScope
from openkam.credit.services import exception_decide, exception_request, limit_set
from openkam.receivables.models import CollectionPolicy, Dispute
from openkam.receivables.tests.ledgers import invoice, payment
from openkam.sales.services import order_create

D = Decimal


@pytest.fixture
def limited(company):
    """Account A with a 100,000 PLN limit and 30,000 owed, not yet due."""
    a, today = company["a"], company["today"]
    limit_set(actor=company["finance"], account=a, amount=D("100000"), currency="PLN",
              valid_from=today - timedelta(days=10))  # fmt: skip
    invoice(a, "FV/1", today - timedelta(days=5), "30000.00")
    return company


def test_room_is_the_limit_less_receivables_and_open_orders(limited):
    a, today = limited["a"], limited["today"]
    order_create(actor=limited["owner"], account=a, currency="PLN", amount=D("20000"))
    result = assess(a, "PLN", today)
    assert (result.receivables, result.orders, result.recommended) == (
        D("30000.00"), D("20000.00"), D("50000.00"),
    )  # fmt: skip
    labels = [str(step.label) for step in result.steps]
    assert labels[0] == "Credit limit" and labels[-1] == "Recommended maximum next order"


def test_a_limit_from_a_later_day_is_not_yet_in_force(limited):
    a, today = limited["a"], limited["today"]
    limit_set(actor=limited["finance"], account=a, amount=D("5000"), currency="PLN",
              valid_from=today + timedelta(days=1))  # fmt: skip
    assert assess(a, "PLN", today).limit.amount == D("100000")
    assert assess(a, "PLN", today + timedelta(days=1)).limit.amount == D("5000")


def test_no_limit_means_no_maximum_but_long_overdue_debt_still_holds(company):
    a, today = company["a"], company["today"]
    assert assess(a, "PLN", today).recommended is None
    assert check_order(a, "PLN", D("1000000"), today).passed
    invoice(a, "FV/OLD", today - timedelta(days=90), "400.00", due_days=30)  # 60 days overdue
    verdict = check_order(a, "PLN", D("1"), today)
    assert not verdict.passed and "overdue more than 30 days" in verdict.reasons[0]


def test_debt_overdue_within_the_hold_days_does_not_hold(company):
    a, today = company["a"], company["today"]
    invoice(a, "FV/LATE", today - timedelta(days=50), "400.00", due_days=30)  # 20 days
    result = assess(a, "PLN", today)
    assert (result.overdue, result.overdue_beyond_hold, result.oldest_overdue_days) == (
        D("400.00"), D(0), 20,
    )  # fmt: skip
    assert not result.on_hold


def test_a_disputed_invoice_does_not_hold_orders(company):
    a, today = company["a"], company["today"]
    old = invoice(a, "FV/OLD", today - timedelta(days=90), "400.00", due_days=30)
    Dispute.objects.create(invoice=old, reason="price", opened_on=today)
    assert not assess(a, "PLN", today).on_hold


def test_the_hold_days_come_from_the_collection_policy(company):
    a, today = company["a"], company["today"]
    invoice(a, "FV/OLD", today - timedelta(days=90), "400.00", due_days=30)
    CollectionPolicy.objects.create(hold_days_overdue=90)
    assert not assess(a, "PLN", today).on_hold


def test_late_payers_get_a_smaller_maximum(limited):
    """Paying late must never raise the maximum: a punctual payer gets the full room, a
    slow one 20% less, a habitual late payer (over 15 days on average) half."""
    a, today = limited["a"], limited["today"]
    full = assess(a, "PLN", today).recommended
    assert full is not None
    paid = invoice(a, "FV/P", today - timedelta(days=60), "100.00", due_days=30)
    payment(a, today - timedelta(days=25), "100.00", invoice=paid)  # 5 days late
    slow = assess(a, "PLN", today)
    assert slow.cut_percent == 20 and slow.recommended == (full * D("0.8")).quantize(D("0.01"))
    later = invoice(a, "FV/Q", today - timedelta(days=100), "100.00", due_days=30)
    payment(a, today - timedelta(days=10), "100.00", invoice=later)  # 60 days late
    habitual = assess(a, "PLN", today)
    assert habitual.recommended is not None and slow.recommended is not None
    assert habitual.cut_percent == 50 and habitual.recommended == full / 2
    assert habitual.recommended < slow.recommended < full


def test_the_cuts_come_from_the_credit_policy(limited):
    a, today = limited["a"], limited["today"]
    CreditPolicy.objects.create(slow_payer_cut=10)
    paid = invoice(a, "FV/P", today - timedelta(days=60), "100.00", due_days=30)
    payment(a, today - timedelta(days=25), "100.00", invoice=paid)
    assert assess(a, "PLN", today).recommended == D("63000.00")  # 70,000 less 10%


def test_a_group_limit_caps_what_all_members_owe(company):
    a, a1, today = company["a"], company["a1"], company["today"]
    finance = company["finance"]
    limit_set(actor=finance, account=a, scope=LimitScope.GROUP, amount=D("50000"),
              currency="PLN", valid_from=today)  # fmt: skip
    limit_set(actor=finance, account=a1, amount=D("40000"), currency="PLN", valid_from=today)
    invoice(a, "FV/A", today - timedelta(days=5), "30000.00")
    result = assess(a1, "PLN", today)
    # A1's own room is 40,000, but the group has only 20,000 left.
    assert (result.group_room, result.recommended) == (D("20000.00"), D("20000.00"))
    # A member without a limit of its own is held to the group's room.
    assert assess(a, "PLN", today).recommended == D("20000.00")


def test_a_group_limit_is_set_on_the_head_company_only(company):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        limit_set(actor=company["finance"], account=company["a1"], scope=LimitScope.GROUP,
                  amount=D("1"), currency="PLN", valid_from=company["today"])  # fmt: skip


def test_currencies_are_never_mixed(limited):
    a, today = limited["a"], limited["today"]
    invoice(a, "FV/EUR", today - timedelta(days=200), "900.00", currency="EUR")
    result = assess(a, "PLN", today)
    assert result.receivables == D("30000.00") and not result.on_hold
    assert assess(a, "EUR", today).on_hold


def test_an_approved_exception_covers_its_amount_until_it_expires(limited):
    a, today = limited["a"], limited["today"]
    exception = exception_request(actor=limited["owner"], account=a, currency="PLN",
                                  amount=D("80000"), subject="Order X", reason="Key season")  # fmt: skip
    assert not check_order(a, "PLN", D("80000"), today, exception).passed  # pending
    exception_decide(actor=limited["head"], exception=exception, approve=True)
    exception.refresh_from_db()
    assert check_order(a, "PLN", D("80000"), today, exception).passed
    assert not check_order(a, "PLN", D("80000.01"), today, exception).passed
    assert exception.expires_on is not None
    expired = exception.expires_on + timedelta(days=1)
    assert not check_order(a, "PLN", D("80000"), expired, exception).passed
