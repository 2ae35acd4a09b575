"""The credit hold on every path an order takes: the page, the API, a copy of an old
order, a change of amount, reopening a closed order; and its release by an exception."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from openkam.accounts.tests.factories import bearer
from openkam.core.models import AuditEntry
from openkam.credit.models import ExceptionStatus
from openkam.credit.services import exception_decide, limit_set
from openkam.receivables.tests.ledgers import invoice
from openkam.sales import services
from openkam.sales.models import Order, OrderStatus

D = Decimal


@pytest.fixture
def limited(company):
    """Account A: 100,000 PLN limit, 30,000 owed and not yet due: room for 70,000."""
    a, today = company["a"], company["today"]
    limit_set(actor=company["finance"], account=a, amount=D("100000"), currency="PLN",
              valid_from=today - timedelta(days=10))  # fmt: skip
    invoice(a, "FV/1", today - timedelta(days=5), "30000.00")
    return company


def _create(company, amount: str, who: str = "owner") -> Order:
    order, _verdict = services.order_create(
        actor=company[who], account=company["a"], currency="PLN", amount=D(amount)
    )
    return order


def test_an_order_within_the_maximum_opens_and_counts_in_the_exposure(limited):
    order = _create(limited, "70000")
    assert order.status == OrderStatus.OPEN
    assert services.open_order_totals([limited["a"].pk], "PLN") == {limited["a"].pk: D("70000")}
    assert _create(limited, "0.01").status == OrderStatus.HELD  # no room left


def test_an_order_above_the_maximum_is_held_with_the_reason(limited):
    order = _create(limited, "70000.01")
    assert order.status == OrderStatus.HELD
    assert "above the recommended maximum of 70,000.00\xa0PLN" in order.hold_reasons
    assert services.open_order_totals([limited["a"].pk], "PLN") == {}


def test_the_page_holds_an_order_above_the_maximum(client, limited):
    client.force_login(limited["owner"])
    url = reverse("account_orders:create", args=[limited["a"].pk])
    form = {"ordered_on": limited["today"].isoformat(), "amount": "90000", "currency": "pln"}
    response = client.post(url, form, follow=True)
    order = Order.objects.get()
    assert (order.status, order.currency) == (OrderStatus.HELD, "PLN")
    assert "held for credit" in response.content.decode()


def test_the_api_holds_an_order_above_the_maximum(client, limited):
    body = {"account_id": limited["a"].pk, "amount": "90000.00", "currency": "PLN"}
    response = client.post("/api/orders/", body, content_type="application/json",
                           headers=bearer(limited["owner"]))  # fmt: skip
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "held" and "recommended maximum" in data["hold_reasons"][0]
    within = client.post("/api/orders/", body | {"amount": "100.00"},
                         content_type="application/json", headers=bearer(limited["owner"]))  # fmt: skip
    assert within.json()["status"] == "open"


def test_copying_an_old_order_is_checked_afresh(limited):
    old = _create(limited, "60000")
    assert old.status == OrderStatus.OPEN
    copy, verdict = services.order_copy(actor=limited["owner"], order=old)
    assert copy.copied_from == old and copy.status == OrderStatus.HELD
    assert not verdict.passed


def test_the_api_copy_is_checked_too(client, limited):
    old = _create(limited, "60000")
    response = client.post(f"/api/orders/{old.pk}/copy", headers=bearer(limited["owner"]))
    assert response.status_code == 201 and response.json()["status"] == "held"


def test_reopening_a_cancelled_order_is_checked_again(limited):
    small = _create(limited, "50000")
    services.order_close(actor=limited["owner"], order=small, status=OrderStatus.CANCELLED)
    _create(limited, "60000")  # takes the room the cancelled order left
    verdict = services.order_reopen(actor=limited["owner"], order=small)
    small.refresh_from_db()
    assert small.status == OrderStatus.HELD and not verdict.passed


def test_raising_the_amount_of_an_open_order_is_checked_and_the_order_not_counted_twice(limited):
    order = _create(limited, "40000")
    services.order_change(actor=limited["owner"], order=order, amount=D("70000"), note="")
    assert order.status == OrderStatus.OPEN  # its own 40,000 is not held against it
    services.order_change(actor=limited["owner"], order=order, amount=D("70000.01"), note="")
    assert order.status == OrderStatus.HELD


def test_an_invoiced_order_leaves_the_exposure(limited):
    order = _create(limited, "70000")
    services.order_close(actor=limited["owner"], order=order, status=OrderStatus.INVOICED)
    assert _create(limited, "70000").status == OrderStatus.OPEN


def test_long_overdue_debt_holds_even_a_small_order(company):
    a, today = company["a"], company["today"]
    invoice(a, "FV/OLD", today - timedelta(days=75), "40000.00", due_days=30)  # 45 days
    order = _create(company, "10")
    assert order.status == OrderStatus.HELD
    assert "overdue more than 30 days" in order.hold_reasons


def test_an_approved_exception_releases_the_held_order_and_everything_is_audited(limited):
    order = _create(limited, "90000")
    exception = services.order_ask_exception(actor=limited["owner"], order=order,
                                             reason="Season stock; they paid 2 weeks ago")  # fmt: skip
    assert exception.status == ExceptionStatus.PENDING and exception.amount == D("90000")
    order.refresh_from_db()
    assert order.status == OrderStatus.HELD
    exception_decide(actor=limited["head"], exception=exception, approve=True, note="OK once")
    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN and order.hold_reasons == ""
    changes = [
        entry.changes.get("status")
        for entry in AuditEntry.objects.filter(
            model="sales.Order", object_id=str(order.pk)
        ).order_by("pk")
    ]
    assert ["held", "open"] in changes


def test_an_exception_does_not_carry_over_to_a_copy_or_past_its_expiry(limited, time_machine):
    order = _create(limited, "90000")
    exception = services.order_ask_exception(actor=limited["owner"], order=order, reason="x")
    exception_decide(actor=limited["head"], exception=exception, approve=True)
    order.refresh_from_db()
    copy, _verdict = services.order_copy(actor=limited["owner"], order=order)
    assert copy.status == OrderStatus.HELD and copy.credit_exception is None
    services.order_close(actor=limited["owner"], order=order, status=OrderStatus.CANCELLED)
    time_machine.move_to(limited["today"] + timedelta(days=15), tick=False)
    services.order_reopen(actor=limited["owner"], order=order)
    assert order.status == OrderStatus.HELD  # the exception has expired


def test_a_rejected_exception_leaves_the_order_held(limited):
    order = _create(limited, "90000")
    exception = services.order_ask_exception(actor=limited["owner"], order=order, reason="x")
    exception_decide(actor=limited["head"], exception=exception, approve=False, note="No")
    order.refresh_from_db()
    assert order.status == OrderStatus.HELD


@pytest.mark.parametrize("persona", ["finance", "viewer", "other_kam"])
def test_only_who_works_the_account_takes_orders(company, persona):
    with pytest.raises(PermissionDenied):
        _create(company, "10", who=persona)
    assert not Order.objects.exists()


def test_another_kam_gets_the_404_of_a_missing_order(client, limited):
    order = _create(limited, "10")
    client.force_login(limited["other_kam"])
    assert client.get(reverse("sales:detail", args=[order.pk])).status_code == 404
    response = client.get(f"/api/orders/{order.pk}", headers=bearer(limited["other_kam"]))
    assert response.status_code == 404


def test_the_order_page_shows_how_the_maximum_was_computed(client, limited):
    order = _create(limited, "90000")
    client.force_login(limited["owner"])
    body = client.get(reverse("sales:detail", args=[order.pk])).content.decode()
    assert "Room under the limit" in body and "Ask a head for an exception" in body
