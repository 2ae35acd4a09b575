"""The account list: search, filters, sorting, pagination, htmx partials, query counts."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openkam.accounts import services
from openkam.accounts.models import Tier
from openkam.accounts.tests.factories import add_invoice, months_ago
from openkam.ledger.models import InvoiceLine

URL = reverse("accounts:list")


def names_in(response) -> list[str]:
    return [account.name for account in response.context["rows"]]


@pytest.fixture
def head_client(client, company):
    client.force_login(company["head"])
    return client


def test_search_matches_name(head_client, company):
    assert names_in(head_client.get(URL, {"q": "gamma"})) == ["Gamma Retail"]


def test_search_matches_tax_id_written_with_dashes(head_client, company):
    assert names_in(head_client.get(URL, {"q": "526-025-09-95"})) == ["Alfa Hurt S.A."]


def test_search_matches_city(head_client, company):
    services.account_update(actor=company["head"], account=company["b"], city="Gdańsk")
    assert names_in(head_client.get(URL, {"q": "gdań"})) == ["Beta Trade"]


def test_search_matches_external_id_exactly(head_client, company):
    assert names_in(head_client.get(URL, {"q": "A1"})) == ["Alfa Logistyka Sp. z o.o."]


def test_tier_filter_keeps_only_that_tier(head_client, company):
    services.account_set_tier(actor=company["head"], account=company["c"], tier=Tier.KEY)
    assert names_in(head_client.get(URL, {"tier": "key"})) == ["Gamma Retail"]


def test_segment_filter(head_client, company):
    services.account_update(actor=company["head"], account=company["b"], segment="Wholesale")
    assert names_in(head_client.get(URL, {"segment": "Wholesale"})) == ["Beta Trade"]


def test_owner_filter_keeps_accounts_owned_by_that_user(head_client, company):
    response = head_client.get(URL, {"owner": company["other_kam"].pk})
    assert names_in(response) == ["Beta Trade"]


def test_archived_accounts_are_hidden_unless_asked_for(head_client, company):
    services.account_set_archived(actor=company["head"], account=company["b"], archived=True)
    assert "Beta Trade" not in names_in(head_client.get(URL))
    assert names_in(head_client.get(URL, {"archived": "archived"})) == ["Beta Trade"]


def test_sort_by_revenue_descending_puts_the_biggest_first(head_client, company):
    today = company["today"]
    add_invoice(company["c"], months_ago(today, 1), [("500.00", "0")])
    add_invoice(company["b"], months_ago(today, 1), [("900.00", "0")])
    names = names_in(head_client.get(URL, {"sort": "-revenue"}))
    assert names[:2] == ["Beta Trade", "Gamma Retail"]


def test_revenue_column_counts_only_the_last_twelve_months(head_client, company):
    today = company["today"]
    add_invoice(company["b"], months_ago(today, 3), [("100.00", "40.00")])
    add_invoice(company["b"], months_ago(today, 13), [("5000.00", "0")])
    row = next(r for r in head_client.get(URL).context["rows"] if r.name == "Beta Trade")
    assert (row.revenue_12m, row.margin_12m) == (Decimal("100.00"), Decimal("60.00"))


def test_revenue_is_shown_with_thousands_separator_and_currency(head_client, company):
    add_invoice(company["b"], months_ago(company["today"], 1), [("1234567.80", "0")])
    assert "1,234,567.80\u00a0PLN" in head_client.get(URL).content.decode()


def test_unknown_sort_falls_back_to_name(head_client, company):
    names = names_in(head_client.get(URL, {"sort": "password"}))
    assert names == sorted(names)


def test_pages_hold_fifty_accounts(head_client, company):
    for number in range(50):
        services.account_create(actor=company["head"], name=f"Zeta {number:02d}")
    first = head_client.get(URL)
    second = head_client.get(URL, {"page": 2})
    assert (len(names_in(first)), len(names_in(second))) == (50, 4)


def test_htmx_request_gets_only_the_table(head_client, company):
    response = head_client.get(URL, {"q": "beta"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body and "Beta Trade" in body


def test_full_page_has_filter_form_wired_to_htmx(head_client, company):
    body = head_client.get(URL).content.decode()
    assert 'hx-get="/accounts/"' in body and 'hx-push-url="true"' in body


def _queries_for_list(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    return len(captured)


def test_list_query_count_does_not_grow_with_rows(client, company):
    client.force_login(company["owner"])
    few = _queries_for_list(client)
    start = company["today"] - timedelta(days=10)
    for number in range(30):
        account = services.account_create(actor=company["head"], name=f"Owned {number}")
        services.assignment_start(
            actor=company["head"], account=account, user=company["owner"], starts_on=start
        )
        add_invoice(account, months_ago(company["today"], 1), [("10.00", "1.00")])
    assert _queries_for_list(client) == few


def test_list_query_count_stays_small(client, company, django_assert_max_num_queries):
    client.force_login(company["owner"])
    with django_assert_max_num_queries(16):
        client.get(URL)


def test_table_partial_carries_the_sort_order_for_the_filter_form(head_client, company):
    response = head_client.get(URL, {"sort": "-revenue"}, headers={"HX-Request": "true"})
    assert 'name="sort" value="-revenue" form="account-filters"' in response.content.decode()


def test_figures_sort_largest_first_on_the_first_click_and_words_from_a(head_client, company):
    page = head_client.get("/accounts/?q=a").content.decode()
    assert 'href="?q=a&amp;sort=-revenue"' in page  # Revenue 12m: biggest first
    assert 'href="?q=a&amp;sort=city"' in page  # City: A first
    again = head_client.get("/accounts/?q=a&sort=-revenue").content.decode()
    assert 'href="?q=a&amp;sort=revenue"' in again  # the second click reverses


def test_a_group_parent_shows_its_groups_revenue_under_its_own(head_client, company):
    from openkam.accounts.tests.factories import build_ledger

    build_ledger(company)  # A: 400.00 in the last 12 whole months; its subsidiary A1: 2,000.00
    page = head_client.get(URL, {"q": "Alfa"})
    alfa = next(row for row in page.context["rows"] if row.pk == company["a"].pk)
    assert (alfa.revenue_12m, alfa.group_revenue_12m) == (Decimal("400.00"), Decimal("2400.00"))
    subsidiary = next(row for row in page.context["rows"] if row.pk == company["a1"].pk)
    assert subsidiary.group_revenue_12m is None  # only parents carry the group figure
    assert "group 2,400.00" in page.content.decode().replace("\xa0", " ")


def test_the_group_figure_adds_sales_in_the_parents_currency_and_names_the_others(
    head_client, company
):
    from openkam.accounts import services
    from openkam.accounts.tests.factories import add_invoice, build_ledger

    build_ledger(company)
    pln = services.account_create(actor=company["head"], name="Beta Sub", parent=company["b"])
    eur = services.account_create(actor=company["head"], name="Beta GmbH", parent=company["b"])
    last_month = company["today"].replace(day=1) - timedelta(days=1)
    add_invoice(pln, last_month, [("500.00", "100.00")])
    add_invoice(eur, last_month, [("70.00", "10.00")])
    add_invoice(pln, company["today"], [("900.00", "100.00")])  # the month under way
    InvoiceLine.objects.filter(account=eur).update(currency="EUR")
    page = head_client.get(URL, {"q": "Beta"})
    beta = next(row for row in page.context["rows"] if row.name == "Beta Trade")
    # B's own sale is of this month too: only last month's subsidiary sale counts.
    assert (beta.group_revenue_12m, beta.group_other_currencies) == (Decimal("500.00"), ["EUR"])
    assert "+ EUR" in page.content.decode()
