"""Pricing pages: the catalogue for everyone signed in, the price check under the
account's visibility."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from openkam.accounts import services as account_services
from openkam.accounts.models import AssignmentRole
from openkam.contracts.tests.factories import make_contract
from openkam.pricing.tests.factories import price_list, product, rule, set_price
from openkam.users.models import Role


@pytest.fixture
def catalogue(company):
    listed = price_list()
    widget = product("W-1", "Widget", line="Coffee")
    set_price(listed, "Detal", widget, "12.00")
    set_price(listed, "Key", widget, "10.00", "slab", (("100", "9.50"), ("500", "9.00")))
    rule("Standard", "5")
    rule("Key coffee", "10", tier="Key", product_line="Coffee", note="Coffee push")
    return {"list": listed, "widget": widget}


def check_url(account, **params) -> str:
    url = reverse("account_pricing:check", args=[account.pk])
    query = "&".join(f"{name}={value}" for name, value in params.items())
    return f"{url}?{query}" if query else url


def ask(catalogue, quantity="150", **extra) -> dict:
    return {
        "product": catalogue["widget"].pk,
        "quantity": quantity,
        "on": "2026-12-02",
        "currency": "PLN",
    } | extra


# --- the catalogue -------------------------------------------------------------------------


def test_every_signed_in_user_reads_the_price_lists(client, company, catalogue):
    client.force_login(company["viewer"])
    body = client.get(reverse("pricing:list")).content.decode()
    assert "Cennik 2026" in body and "valid today" in body
    body = client.get(reverse("pricing:detail", args=[catalogue["list"].pk])).content.decode()
    assert "valid today" in body
    assert "Widget" in body and "12.00" in body and "from 100: 9.50" in body and "slabs" in body


def test_a_missing_list_is_404(client, company, catalogue):
    client.force_login(company["owner"])
    assert client.get(reverse("pricing:detail", args=[catalogue["list"].pk + 9])).status_code == 404


def test_the_price_table_searches_by_htmx(client, company, catalogue):
    client.force_login(company["owner"])
    url = reverse("pricing:detail", args=[catalogue["list"].pk])
    response = client.get(url + "?q=nothing", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body and "No product of this list matches." in body


def test_the_rules_list_and_its_filter(client, company, catalogue):
    rule("Summer", "15", valid_from=date(2026, 6, 1), valid_to=date(2026, 8, 31))
    client.force_login(company["junior"])
    body = client.get(reverse("pricing:rules")).content.decode()
    assert "Key coffee" in body and "Coffee push" in body and "not valid today" in body
    body = client.get(reverse("pricing:rules") + "?current=1").content.decode()
    assert "Key coffee" in body and "Summer" not in body


def test_only_staff_heads_see_the_link_to_edit(client, company, catalogue):
    client.force_login(company["owner"])
    assert "back office" not in client.get(reverse("pricing:list")).content.decode()
    client.force_login(company["admin"])
    assert "Edit in the back office" in client.get(reverse("pricing:list")).content.decode()


# --- the price check -----------------------------------------------------------------------


def test_the_owner_checks_a_price_step_by_step(client, company, catalogue):
    contract = make_contract(company, "a", number="UR/1", price_tier="Key")
    client.force_login(company["owner"])
    response = client.get(check_url(company["a"], **ask(catalogue, discount_pct="12")))
    result = response.context["result"]
    assert (result.quote.line_total, result.quote.max_discount_pct) == (D("1475.00"), D("10.00"))
    assert result.check.needs_approval
    body = response.content.decode()
    for text in (
        "Cennik 2026", "UR/1", "Slab up to 100", "Slab from 100 to 150", "1,475.00",
        "Key coffee", "needs a head&#x27;s approval",
    ):  # fmt: skip
        assert text in body, text
    assert reverse("contracts:detail", args=[contract.pk]) in body


def test_an_empty_form_shows_no_quote(client, company, catalogue):
    client.force_login(company["owner"])
    response = client.get(check_url(company["a"]))
    assert response.status_code == 200 and response.context["result"] is None


def test_a_line_without_a_price_says_why(client, company, catalogue):
    price_list("Export 2027", currency="EUR", valid_from=date(2027, 1, 1))
    client.force_login(company["owner"])
    body = client.get(check_url(company["a"], **ask(catalogue, currency="EUR"))).content.decode()
    assert "No price list in EUR is valid on 2026-12-02." in body


def test_a_bad_form_is_shown_with_its_errors(client, company, catalogue):
    client.force_login(company["owner"])
    response = client.get(check_url(company["a"], **ask(catalogue, quantity="-3")))
    assert response.status_code == 200 and response.context["form"].errors


def test_htmx_gets_only_the_quote(client, company, catalogue):
    client.force_login(company["owner"])
    response = client.get(check_url(company["a"], **ask(catalogue)), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body and "How the price is found" in body


@pytest.mark.parametrize("persona", ["other_kam", "junior"])
def test_another_kams_account_is_404(client, company, catalogue, persona):
    client.force_login(company[persona])
    assert client.get(check_url(company["a"], **ask(catalogue))).status_code == 404
    assert client.get(check_url(company["a"])).status_code == 404


def test_a_kam_of_a_subsidiary_is_not_told_the_group_heads_contract(
    client, company, catalogue, make_user
):
    make_contract(company, "a", number="SECRET/7", price_tier="Key")
    kam = make_user("subkam", Role.KAM)
    account_services.assignment_start(
        actor=company["head"], account=company["a1"], user=kam, role=AssignmentRole.SUPPORT
    )
    client.force_login(kam)
    response = client.get(check_url(company["a1"], **ask(catalogue)))
    body = response.content.decode()
    assert response.context["result"].quote.tier.name == "Key"
    assert "SECRET/7" not in body and "Alfa Hurt" not in body
    assert "named by a contract of the group&#x27;s head company" in body
    client.force_login(company["owner"])  # who sees the head company is told which one
    body = client.get(check_url(company["a1"], **ask(catalogue))).content.decode()
    assert "SECRET/7" in body and "Alfa Hurt S.A." in body


def test_the_account_page_leads_to_the_price_check(client, company):
    client.force_login(company["owner"])
    body = client.get(reverse("accounts:detail", args=[company["a"].pk])).content.decode()
    assert check_url(company["a"]) in body and reverse("pricing:list") in body
