"""The timeline page and its API."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse

from openkam.accounts.tests.factories import add_invoice, add_payment, bearer
from openkam.workspace.tests.factories import add_activity, at


def _fill(company, days: int):
    for offset in range(days):
        day = company["today"] - timedelta(days=offset)
        add_activity(company["a"], company["owner"], at(day), f"Visit {offset}", kind="visit")
        add_invoice(company["a"], day, [("10.00", "5.00")])
        add_payment(company["a"], day, "7.50")


def test_page_shows_entries_and_filters(client, company):
    _fill(company, 2)
    client.force_login(company["owner"])
    url = reverse("account_workspace:timeline", args=[company["a"].pk])
    body = client.get(url).content.decode()
    assert "Visit 0" in body and "7.50" in body
    filtered = client.get(url, {"type": "payments"}).content.decode()
    assert "Visit 0" not in filtered and "7.50" in filtered


def test_page_links_to_older_entries(client, company):
    _fill(company, 51)  # one more activity than a page holds
    client.force_login(company["owner"])
    url = reverse("account_workspace:timeline", args=[company["a"].pk])
    body = client.get(url, {"type": "activities"}).content.decode()
    assert "?page=2&amp;type=activities" in body


def test_htmx_request_gets_only_the_list(client, company):
    _fill(company, 1)
    client.force_login(company["owner"])
    url = reverse("account_workspace:timeline", args=[company["a"].pk])
    body = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Visit 0" in body and "<html" not in body


def test_page_query_count_is_constant(client, company, django_assert_max_num_queries):
    client.force_login(company["owner"])
    url = reverse("account_workspace:timeline", args=[company["a"].pk])
    client.get(url)  # warm the session and the user
    _fill(company, 40)
    with django_assert_max_num_queries(8):
        client.get(url, {"page": 2})


def test_hidden_account_page_is_404(client, company):
    client.force_login(company["owner"])
    assert (
        client.get(reverse("account_workspace:timeline", args=[company["b"].pk])).status_code == 404
    )


def test_api_pages_and_filters(client, company):
    _fill(company, 3)
    headers = bearer(company["owner"])
    url = f"/api/workspace/accounts/{company['a'].pk}/timeline"
    first = client.get(url, {"type": "invoices", "per_page": 2}, headers=headers).json()
    assert [item["kind"] for item in first["items"]] == ["invoices", "invoices"]
    assert first["has_next"] is True
    assert first["items"][0]["amount"] == "10.00"
    last = client.get(url, {"type": "invoices", "per_page": 2, "page": 2}, headers=headers).json()
    assert (len(last["items"]), last["has_next"]) == (1, False)


def test_api_hidden_account_is_404(client, company):
    response = client.get(
        f"/api/workspace/accounts/{company['b'].pk}/timeline", headers=bearer(company["owner"])
    )
    assert response.status_code == 404


def test_a_day_with_one_invoice_links_to_it(client, company):
    invoice = add_invoice(company["a"], company["today"], [("10.00", "5.00")])
    client.force_login(company["owner"])
    url = reverse("account_workspace:timeline", args=[company["a"].pk])
    assert f'href="/ledger/invoices/{invoice.pk}/"' in client.get(url).content.decode()
