"""Products, invoices and payments through the API with a bearer token."""

from __future__ import annotations

import pytest

from openkam.accounts.tests.factories import bearer, build_ledger


@pytest.fixture
def ledger(company):
    return build_ledger(company)


def get(client, user, url, **params):
    return client.get(url, params, headers=bearer(user))


def numbers(response) -> set[str]:
    return {row["number"] for row in response.json()["items"]}


def test_invoices_hold_only_visible_accounts(client, company, ledger):
    response = get(client, company["other_kam"], "/api/ledger/invoices")
    assert numbers(response) == {ledger["b"].number}


def test_invoices_filter_by_account(client, company, ledger):
    response = get(client, company["head"], "/api/ledger/invoices", account_id=company["a1"].pk)
    assert numbers(response) == {ledger["a1"].number}


def test_invoices_filter_by_date_range(client, company, ledger):
    day = ledger["a_old"].issued_on
    response = get(
        client,
        company["head"],
        "/api/ledger/invoices",
        date_from=day.isoformat(),
        date_to=day.isoformat(),
    )
    assert numbers(response) == {ledger["a_old"].number}


def test_invoices_of_an_invisible_account_filter_to_nothing(client, company, ledger):
    response = get(client, company["other_kam"], "/api/ledger/invoices", account_id=company["a"].pk)
    assert response.json() == {"items": [], "count": 0}


def test_invoice_detail_carries_lines_as_decimal_strings(client, company, ledger):
    body = get(client, company["owner"], f"/api/ledger/invoices/{ledger['a_now'].pk}").json()
    assert [line["net_amount"] for line in body["lines"]] == ["1000.00", "250.50"]


def test_invoice_detail_of_an_invisible_account_is_404(client, company, ledger):
    url = f"/api/ledger/invoices/{ledger['a_now'].pk}"
    assert get(client, company["other_kam"], url).status_code == 404


def test_payments_hold_only_visible_accounts(client, company, ledger):
    rows = get(client, company["owner"], "/api/ledger/payments").json()["items"]
    assert [(row["account_name"], row["amount"]) for row in rows] == [("Alfa Hurt S.A.", "1250.50")]


def test_payments_for_past_deputy_are_empty(client, company, ledger):
    assert get(client, company["past_deputy"], "/api/ledger/payments").json()["count"] == 0


def test_products_are_readable_by_any_signed_in_user(client, company, ledger):
    rows = get(client, company["past_deputy"], "/api/ledger/products").json()["items"]
    assert [row["sku"] for row in rows] == ["P-1"]


def test_products_search(client, company, ledger):
    assert (
        get(client, company["head"], "/api/ledger/products", q="nothing-like-it").json()["count"]
        == 0
    )


def test_products_need_authentication(client, company):
    assert client.get("/api/ledger/products").status_code == 401


def test_invoice_list_pages_hold_fifty(client, company):
    from datetime import date

    from openkam.accounts.tests.factories import add_invoice

    for day in range(1, 28):
        for month in (1, 2):
            add_invoice(company["b"], date(2025, month, day), [("1.00", "0.50")])
    first = get(client, company["head"], "/api/ledger/invoices").json()
    second = get(client, company["head"], "/api/ledger/invoices", page=2).json()
    assert (len(first["items"]), len(second["items"]), first["count"]) == (50, 4, 54)
