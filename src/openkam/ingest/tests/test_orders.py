"""Order lists from an ERP go through the credit gate like an order typed in: a new order
above the customer's maximum is held, sending it again or reopening it holds it again."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from openkam.credit.services import limit_set
from openkam.ingest.tests.conftest import database_state
from openkam.sales.models import Order, OrderStatus

# An enova-like order list, Windows-1250: K1 has a 50,000 PLN limit and nothing owed.
ORDERS_PL = (
    "Numer zamówienia;Kontrahent;Data zamówienia;Wartość netto;Waluta;Status\n"
    "ZO/2026/101;K1;01.12.2026;20 000,00;PLN;potwierdzone\n"
    "ZO/2026/102;K1;01.12.2026;45 000,00;PLN;potwierdzone\n"
    "ZO/2026/090;K1;20.11.2026;9 000,00;PLN;zrealizowane\n"
    "Razem;;;74 000,00;;\n"
)


@pytest.fixture
def limited(erp):
    limit_set(actor=None, account=erp["k1"], amount=Decimal("50000"), currency="PLN",
              valid_from=date(2026, 1, 1))  # fmt: skip
    return erp


def statuses() -> dict[str, str]:
    return dict(Order.objects.values_list("number", "status"))


def test_an_order_list_goes_through_the_credit_gate(limited, write_file, run_import):
    outcome = run_import("orders", write_file("zamowienia.csv", ORDERS_PL, "cp1250"))
    assert outcome.ok, outcome.errors
    assert outcome.counts == {"created": 3, "updated": 0, "unchanged": 0, "held": 1}
    # 20,000 opens; 45,000 is above the 30,000 then left; the invoiced one is history.
    assert statuses() == {"ZO/2026/101": "open", "ZO/2026/102": "held", "ZO/2026/090": "invoiced"}
    held = Order.objects.get(number="ZO/2026/102")
    assert "recommended maximum of 30,000.00\xa0PLN" in held.hold_reasons
    assert (held.source, held.ordered_on, held.amount) == (
        "erp",
        date(2026, 12, 1),
        Decimal("45000"),
    )


def test_the_same_list_again_changes_nothing_and_releases_nothing(limited, write_file, run_import):
    path = write_file("zamowienia.csv", ORDERS_PL, "cp1250")
    run_import("orders", path)
    before = database_state()
    outcome = run_import("orders", path)
    assert outcome.counts == {"created": 0, "updated": 0, "unchanged": 3, "held": 1}
    assert database_state() == before


def test_reopening_in_the_erp_is_checked_again(limited, write_file, run_import):
    run_import("orders", write_file("a.csv", ORDERS_PL, "cp1250"))
    reopened = ORDERS_PL.replace("9 000,00;PLN;zrealizowane", "9 000,00;PLN;otwarte").replace(
        "45 000,00;PLN;potwierdzone", "45 000,00;PLN;anulowane"
    )
    outcome = run_import("orders", write_file("b.csv", reopened, "cp1250"))
    assert outcome.ok, outcome.errors
    assert statuses()["ZO/2026/090"] == OrderStatus.OPEN  # 9,000 fits in the 30,000 left
    bigger = reopened.replace("9 000,00;PLN;otwarte", "39 000,00;PLN;otwarte")
    run_import("orders", write_file("c.csv", bigger, "cp1250"))
    assert statuses()["ZO/2026/090"] == OrderStatus.HELD  # a larger amount is checked again


def test_a_bad_status_is_reported_on_its_line_and_nothing_is_stored(
    limited, write_file, run_import
):
    bad = ORDERS_PL.replace("ZO/2026/102;K1;01.12.2026;45 000,00;PLN;potwierdzone",
                            "ZO/2026/102;K1;01.12.2026;45 000,00;PLN;wysłane")  # fmt: skip
    outcome = run_import("orders", write_file("z.csv", bad, "cp1250"))
    assert not outcome.ok
    assert [(e.line, e.column) for e in outcome.errors] == [(3, "status")]
    assert not Order.objects.exists()


def test_a_1c_order_list_names_the_customer_by_inn(erp, write_file, run_import):
    from openkam.accounts.models import Account

    Account.objects.create(name="ООО Ромашка", source="erp", external_id="R1", country="RU",
                           tax_id="7707083893")  # fmt: skip
    text = (
        "Номер заказа;ИНН;Дата заказа;Сумма;Валюта\nЗК-001;7707083893;02.12.2026;150 000,00;RUB\n"
    )
    outcome = run_import("orders", write_file("заказы.csv", text, "cp1251"))
    assert outcome.ok, outcome.errors
    order = Order.objects.get()
    assert (order.account.external_id, order.currency, order.status) == ("R1", "RUB", "open")
