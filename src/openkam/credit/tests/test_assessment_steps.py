"""The steps of the recommended maximum, each code and amount, and the edges of every rule
(written against the survivors of mutation testing: docs/mutation.md)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from openkam.credit.assessment import _cut, assess, check_order, limit_in_force
from openkam.credit.models import CreditPolicy, LimitScope
from openkam.credit.services import exception_decide, exception_request, limit_set
from openkam.receivables.models import CollectionPolicy, Dispute
from openkam.receivables.tests.ledgers import invoice, payment
from openkam.sales import services
from openkam.sales.models import Order, OrderStatus

D = Decimal


def steps(result):
    return [(s.code, s.amount, s.days, s.percent) for s in result.steps]


def _limit(company, account, amount, scope=LimitScope.ACCOUNT, currency="PLN", days=10):
    return limit_set(actor=company["finance"], account=account, amount=D(amount),
                     currency=currency, scope=scope,
                     valid_from=company["today"] - timedelta(days=days))  # fmt: skip


@pytest.mark.parametrize(
    ("days_late", "cut"), [(0.0, 0), (0.99, 0), (1.0, 20), (15.0, 20), (15.01, 50), (40.0, 50)]
)
def test_the_cut_for_payment_behaviour_at_its_edges(db, days_late, cut):
    assert _cut(days_late, CollectionPolicy(), CreditPolicy()) == cut


def test_every_step_of_an_account_limit(company):
    a, today = company["a"], company["today"]
    _limit(company, a, "100000")
    invoice(a, "FV/1", today - timedelta(days=5), "30000.00")
    services.order_create(actor=company["owner"], account=a, currency="PLN", amount=D("10000"))
    paid = invoice(a, "FV/P", today - timedelta(days=60), "100.00", due_days=30)
    payment(a, today - timedelta(days=25), "100.00", invoice=paid)  # 5 days late
    result = assess(a, "PLN", today)
    assert steps(result) == [
        ("limit", D("100000.00"), None, None),
        ("receivables", D("-30000.00"), None, None),
        ("orders", D("-10000.00"), None, None),
        ("room", D("60000.00"), None, None),
        ("cut", D("48000.00"), 5, 20),
        ("recommended", D("48000.00"), None, None),
    ]
    assert result.steps[4].label == "Less 20% for payment behaviour"
    assert result.steps[4].note == "invoices paid 5 days late on average"
    assert result.steps[0].note == ""


def test_the_room_is_never_below_zero(company):
    a, today = company["a"], company["today"]
    _limit(company, a, "1000")
    invoice(a, "FV/1", today - timedelta(days=5), "3000.00")
    assert steps(assess(a, "PLN", today))[3:] == [
        ("room", D(0), None, None), ("recommended", D(0), None, None),
    ]  # fmt: skip


def test_every_step_of_a_group_limit_alone(company):
    a, a1, today = company["a"], company["a1"], company["today"]
    _limit(company, a, "50000", scope=LimitScope.GROUP)
    invoice(a, "FV/A", today - timedelta(days=5), "8000.00")
    invoice(a1, "FV/A1", today - timedelta(days=5), "2000.00")
    services.order_create(actor=company["owner"], account=a1, currency="PLN", amount=D("5000"))
    result = assess(a1, "PLN", today)
    assert result.limit is None and result.group_exposure == D("15000.00")
    assert steps(result) == [
        ("group_limit", D("50000.00"), None, None),
        ("group_exposure", D("-15000.00"), None, None),
        ("room", D("35000.00"), None, None),
        ("recommended", D("35000.00"), None, None),
    ]


def test_the_group_caps_an_account_with_more_room_and_not_one_with_less(company):
    a, a1, today = company["a"], company["a1"], company["today"]
    _limit(company, a, "50000", scope=LimitScope.GROUP)
    _limit(company, a1, "45000")
    invoice(a, "FV/A", today - timedelta(days=5), "20000.00")
    assert steps(assess(a1, "PLN", today))[-2:] == [
        ("group_cap", D("30000.00"), None, None), ("recommended", D("30000.00"), None, None),
    ]  # fmt: skip
    _limit(company, a1, "10000", days=1)
    assert assess(a1, "PLN", today).recommended == D("10000.00")


def test_a_hold_adds_its_step_and_zeroes_the_maximum(company):
    a, today = company["a"], company["today"]
    _limit(company, a, "100000")
    invoice(a, "FV/OLD", today - timedelta(days=61), "700.00", due_days=30)  # 31 days
    result = assess(a, "PLN", today)
    assert steps(result)[-2:] == [
        ("hold", D("700.00"), 30, None), ("recommended", D(0), None, None),
    ]  # fmt: skip
    assert result.steps[-2].label == "Held: debt overdue more than 30 days"


def test_no_limit_has_one_step_and_a_hold_still_shows(company):
    a, today = company["a"], company["today"]
    assert steps(assess(a, "PLN", today)) == [("no_limit", None, None, None)]
    invoice(a, "FV/OLD", today - timedelta(days=61), "700.00", due_days=30)
    assert steps(assess(a, "PLN", today)) == [
        ("no_limit", None, None, None), ("hold", D("700.00"), 30, None),
        ("recommended", D(0), None, None),
    ]  # fmt: skip


def test_what_counts_as_overdue(company):
    """Exactly the hold days is not beyond them; due today is not overdue; a credit note,
    another currency and a disputed one never count; a
    resolved dispute counts again."""
    a, today = company["a"], company["today"]
    invoice(a, "FV/30", today - timedelta(days=60), "100.00", due_days=30)  # 30 days
    invoice(a, "FV/TODAY", today - timedelta(days=30), "5.00", due_days=30)  # due today
    invoice(a, "FV/EUR", today - timedelta(days=200), "9.00", currency="EUR")
    disputed = invoice(a, "FV/D", today - timedelta(days=200), "50.00")
    Dispute.objects.create(invoice=disputed, reason="price", opened_on=today)
    result = assess(a, "PLN", today)
    assert (result.overdue, result.overdue_beyond_hold, result.oldest_overdue_days) == (
        D("100.00"), D(0), 30,
    )  # fmt: skip
    Dispute.objects.filter(invoice=disputed).update(resolved_on=today)
    result = assess(a, "PLN", today)
    assert (result.overdue, result.overdue_beyond_hold, result.oldest_overdue_days) == (
        D("150.00"), D("50.00"), 170,
    )  # fmt: skip


def test_a_credit_note_is_not_overdue_debt(company):
    a, today = company["a"], company["today"]
    invoice(a, "KOR/1", today - timedelta(days=200), "-80.00")
    assert assess(a, "PLN", today).overdue == D(0)


def test_the_limit_in_force_is_of_its_scope_and_currency(company):
    a, today = company["a"], company["today"]
    _limit(company, a, "10", scope=LimitScope.GROUP)
    _limit(company, a, "20", currency="EUR")
    assert limit_in_force(a, "PLN", LimitScope.ACCOUNT, today) is None
    assert limit_in_force(a, "EUR", LimitScope.ACCOUNT, today).amount == D("20")
    assert limit_in_force(a, "PLN", LimitScope.GROUP, today).amount == D("10")
    _limit(company, a, "30", currency="EUR", days=0)
    assert limit_in_force(a, "EUR", LimitScope.ACCOUNT, today).amount == D("30")


def test_an_order_of_exactly_the_maximum_passes(company):
    a, today = company["a"], company["today"]
    _limit(company, a, "1000")
    assert check_order(a, "PLN", D("1000.00"), today).reasons == []
    reasons = check_order(a, "PLN", D("1000.01"), today).reasons
    assert reasons == [
        "The order of 1,000.01\xa0PLN is above the recommended maximum of 1,000.00\xa0PLN."
    ]


def test_a_held_customer_gets_both_reasons(company):
    a, today = company["a"], company["today"]
    _limit(company, a, "1000")
    invoice(a, "FV/OLD", today - timedelta(days=90), "400.00", due_days=30)
    reasons = check_order(a, "PLN", D("1"), today).reasons
    assert reasons == [
        "400.00\xa0PLN is overdue more than 30 days.",
        "The order of 1.00\xa0PLN is above the recommended maximum of 0.00\xa0PLN.",
    ]


def test_an_exception_covers_only_its_currency(company):
    a, today = company["a"], company["today"]
    _limit(company, a, "10")
    exception = exception_request(actor=company["owner"], account=a, currency="EUR",
                                  amount=D("500"), subject="X", reason="y")  # fmt: skip
    exception_decide(actor=company["head"], exception=exception, approve=True)
    exception.refresh_from_db()
    assert check_order(a, "EUR", D("500"), today, exception).exception == exception
    assert check_order(a, "PLN", D("500"), today, exception).exception is None


def test_open_orders_count_per_account_currency_and_status(company):
    a, b = company["a"], company["b"]
    place = services.order_create
    place(actor=company["owner"], account=a, currency="PLN", amount=D("10"))
    place(actor=company["owner"], account=a, currency="EUR", amount=D("20"))
    place(actor=company["other_kam"], account=b, currency="PLN", amount=D("40"))
    closed, _v = place(actor=company["owner"], account=a, currency="PLN", amount=D("80"))
    services.order_close(actor=company["owner"], order=closed, status=OrderStatus.CANCELLED)
    assert services.open_order_totals([a.pk, b.pk], "PLN") == {a.pk: D("10"), b.pk: D("40")}
    assert services.open_order_totals([a.pk], "EUR") == {a.pk: D("20")}


def test_an_approval_releases_only_the_orders_it_was_asked_for(company):
    a = company["a"]
    _limit(company, a, "100")
    first, _v = services.order_create(
        actor=company["owner"], account=a, currency="PLN", amount=D("500")
    )
    other, _v = services.order_create(
        actor=company["owner"], account=a, currency="PLN", amount=D("50")
    )
    assert other.status == OrderStatus.OPEN
    services.order_close(actor=company["owner"], order=other, status=OrderStatus.CANCELLED)
    second, _v = services.order_create(
        actor=company["owner"], account=a, currency="PLN", amount=D("700")
    )
    exception = services.order_ask_exception(actor=company["owner"], order=first, reason="x")
    exception_decide(actor=company["head"], exception=exception, approve=True, via="api")
    statuses = dict(Order.objects.values_list("pk", "status"))
    assert (statuses[first.pk], statuses[second.pk], statuses[other.pk]) == (
        OrderStatus.OPEN, OrderStatus.HELD, OrderStatus.CANCELLED,
    )  # fmt: skip
    from openkam.core.models import AuditEntry

    released = (
        AuditEntry.objects.filter(model="sales.Order", object_id=str(first.pk))
        .order_by("pk")
        .last()
    )
    assert (released.actor, released.via, released.changes["status"]) == (
        company["head"], "api", ["held", "open"],
    )  # fmt: skip


def test_an_import_without_a_person_may_place_orders(company):
    order, verdict = services.order_create(
        actor=None, account=company["b"], currency="PLN", amount=D("5"), via="import"
    )
    assert verdict.passed and order.status == OrderStatus.OPEN and order.created_by is None
    assert order.hold_reasons == ""


def test_a_held_order_keeps_its_reasons_until_it_passes(company):
    a = company["a"]
    _limit(company, a, "100")
    order, _v = services.order_create(
        actor=company["owner"], account=a, currency="PLN", amount=D("150")
    )
    assert order.hold_reasons.startswith("The order of 150.00")
    _limit(company, a, "200", days=0)
    verdict = services.order_recheck(actor=company["owner"], order=order)
    order.refresh_from_db()
    assert verdict.passed and (order.status, order.hold_reasons) == (OrderStatus.OPEN, "")


def test_small_and_one_day_overdue_amounts_count_and_add_up(company):
    a, today = company["a"], company["today"]
    invoice(a, "FV/SMALL", today - timedelta(days=31), "0.50", due_days=30)  # 1 day
    invoice(a, "FV/OLD1", today - timedelta(days=80), "100.00", due_days=30)
    invoice(a, "FV/OLD2", today - timedelta(days=90), "200.00", due_days=30)
    result = assess(a, "PLN", today)
    assert (result.overdue, result.overdue_beyond_hold) == (D("300.50"), D("300.00"))


def test_an_overpayment_is_no_overdue_debt(company):
    a, today = company["a"], company["today"]
    paid = invoice(a, "FV/1", today - timedelta(days=80), "100.00", due_days=30)
    payment(a, today - timedelta(days=70), "150.00", invoice=paid)  # 50.00 unapplied credit
    result = assess(a, "PLN", today)
    assert (result.overdue, result.receivables) == (D(0), D(0))


def test_the_latest_valid_from_wins_whatever_the_order_it_was_set_in(company):
    a, today = company["a"], company["today"]
    _limit(company, a, "100", days=1)
    _limit(company, a, "200", days=10)  # set later, valid from earlier
    assert limit_in_force(a, "PLN", LimitScope.ACCOUNT, today).amount == D("100")
    _limit(company, a, "300", days=1)  # the same day: the one set last
    assert limit_in_force(a, "PLN", LimitScope.ACCOUNT, today).amount == D("300")


def test_only_the_accounts_asked_about_count(company):
    a, b = company["a"], company["b"]
    services.order_create(actor=company["owner"], account=a, currency="PLN", amount=D("10"))
    services.order_create(actor=company["other_kam"], account=b, currency="PLN", amount=D("40"))
    assert services.open_order_totals([a.pk], "PLN") == {a.pk: D("10")}


def test_a_refusal_says_why(company):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied, match=r"^You may not take orders for this account\.$"):
        services.order_create(actor=company["viewer"], account=company["a"], currency="PLN",
                              amount=D("1"))  # fmt: skip


def test_each_reason_is_a_line_of_its_own(company):
    a, today = company["a"], company["today"]
    _limit(company, a, "1000")
    invoice(a, "FV/OLD", today - timedelta(days=90), "400.00", due_days=30)
    order, verdict = services.order_create(
        actor=company["owner"], account=a, currency="PLN", amount=D("5")
    )
    assert order.hold_reasons.split("\n") == verdict.reasons and len(verdict.reasons) == 2


def test_an_approval_touches_no_other_held_order_nor_a_cancelled_one(company):
    a = company["a"]
    _limit(company, a, "100")
    asked, _v = services.order_create(
        actor=company["owner"], account=a, currency="PLN", amount=D("500")
    )
    waiting, _v = services.order_create(
        actor=company["owner"], account=a, currency="PLN", amount=D("150")
    )
    exception = services.order_ask_exception(actor=company["owner"], order=asked, reason="x")
    _limit(company, a, "1000", days=0)  # the waiting order would now pass a check
    services.order_close(actor=company["owner"], order=asked, status=OrderStatus.CANCELLED)
    exception_decide(actor=company["head"], exception=exception, approve=True)
    statuses = dict(Order.objects.values_list("pk", "status"))
    assert (statuses[asked.pk], statuses[waiting.pk]) == (OrderStatus.CANCELLED, OrderStatus.HELD)


def test_a_refund_beyond_any_invoice_is_no_overdue_debt(company):
    """A refund paid out with nothing to settle leaves a debit with no due date: owed, but
    never overdue."""
    a, today = company["a"], company["today"]
    payment(a, today - timedelta(days=90), "-50.00")
    result = assess(a, "PLN", today)
    assert (result.receivables, result.overdue, result.on_hold) == (D("50.00"), D(0), False)


def test_a_subsidiary_has_its_own_limit_and_its_groups_not_the_heads_own(company):
    a, a1, b, today = company["a"], company["a1"], company["b"], company["today"]
    _limit(company, a, "100")  # the head company's own limit
    _limit(company, a, "500", scope=LimitScope.GROUP)
    _limit(company, b, "900", scope=LimitScope.GROUP)  # another group's
    assert limit_in_force(a1, "PLN", LimitScope.ACCOUNT, today) is None
    assert limit_in_force(a1, "PLN", LimitScope.GROUP, today).amount == D("500")
    _limit(company, a1, "70", days=0)
    assert limit_in_force(a1, "PLN", LimitScope.ACCOUNT, today).amount == D("70")
    assert limit_in_force(b, "PLN", LimitScope.GROUP, today).amount == D("900")


def test_a_limit_valid_from_tomorrow_is_not_in_force(company):
    a, today = company["a"], company["today"]
    _limit(company, a, "100", days=3)
    _limit(company, a, "999", days=-1)
    assert limit_in_force(a, "PLN", LimitScope.ACCOUNT, today).amount == D("100")
