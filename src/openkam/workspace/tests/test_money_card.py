"""The home page's money card: overdue debt of the accounts one sees, orders held for
credit, and the exceptions a head has to decide."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse

from openkam.receivables.refresh import refresh
from openkam.receivables.tests.ledgers import invoice
from openkam.sales import services
from openkam.workspace.home import money_card


def _owing(company):
    today = company["today"]
    invoice(company["a"], "FV/A", today - timedelta(days=80), "900.00", due_days=30)
    invoice(company["b"], "FV/B", today - timedelta(days=80), "700.00", due_days=30)
    refresh(today)
    order, _verdict = services.order_create(
        actor=company["owner"], account=company["a"], currency="PLN", amount=Decimal("10")
    )
    services.order_ask_exception(actor=company["owner"], order=order, reason="Key client")


def test_a_kam_sees_only_their_accounts_debt_and_held_orders(company):
    _owing(company)
    card = money_card(user=company["owner"], today=company["today"])
    assert [row.account for row in card.rows] == [company["a"]]
    assert (card.held_orders, card.exceptions_to_decide) == (1, 0)
    other = money_card(user=company["other_kam"], today=company["today"])
    assert [row.account for row in other.rows] == [company["b"]] and other.held_orders == 0


def test_the_head_sees_every_account_and_the_exceptions_to_decide(company):
    _owing(company)
    card = money_card(user=company["head"], today=company["today"])
    assert [row.overdue for row in card.rows] == [Decimal("900.00"), Decimal("700.00")]
    assert card.exceptions_to_decide == 1
    assert money_card(user=company["finance"], today=company["today"]).exceptions_to_decide == 0


def test_the_home_page_shows_the_card(client, company):
    _owing(company)
    client.force_login(company["head"])
    body = client.get(reverse("home")).content.decode()
    assert 'id="money"' in body and "1 credit exception awaits your decision" in body
