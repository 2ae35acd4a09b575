"""The pricing API: the catalogue for everyone signed in, quotes under the visibility rule."""

from __future__ import annotations

import pytest

from openkam.accounts import services as account_services
from openkam.accounts.models import AssignmentRole
from openkam.accounts.tests.factories import bearer
from openkam.contracts.tests.factories import make_contract
from openkam.pricing.tests.factories import price_list, product, rule, set_price
from openkam.users.models import Role


@pytest.fixture
def catalogue(company):
    listed = price_list()
    widget = product("W-1", "Widget", line="Coffee")
    set_price(listed, "Detal", widget, "12.00")
    set_price(listed, "Key", widget, "10.00", "range", (("100", "9.50"),))
    rule("Standard", "5")
    return {"list": listed, "widget": widget}


def get(client, user, path: str):
    return client.get(path, headers=bearer(user))


def quote_path(account, widget, **extra) -> str:
    params = {"account_id": account.pk, "product_id": widget.pk, "quantity": "120"} | extra
    return "/api/pricing/quote?" + "&".join(f"{k}={v}" for k, v in params.items())


def test_price_lists_with_tiers(client, company, catalogue):
    body = get(client, company["viewer"], "/api/pricing/price-lists").json()
    (item,) = body["items"]
    assert (item["name"], item["currency"], item["valid_today"], item["product_count"]) == (
        "Cennik 2026", "PLN", True, 1,
    )  # fmt: skip
    assert [(t["name"], t["is_default"]) for t in item["tiers"]] == [
        ("Detal", True), ("Hurt", False), ("Key", False),
    ]  # fmt: skip
    one = get(client, company["owner"], f"/api/pricing/price-lists/{catalogue['list'].pk}")
    assert one.json()["name"] == "Cennik 2026"


def test_a_lists_prices_with_bands(client, company, catalogue):
    path = f"/api/pricing/price-lists/{catalogue['list'].pk}/prices"
    items = get(client, company["owner"], path).json()["items"]
    assert [(i["sku"], i["tier"], i["unit_price"], i["band_mode"]) for i in items] == [
        ("W-1", "Detal", "12.00", "range"), ("W-1", "Key", "10.00", "range"),
    ]  # fmt: skip
    assert items[1]["bands"] == [{"min_quantity": "100.000", "unit_price": "9.50"}]
    assert get(client, company["owner"], path + "?q=zzz").json()["count"] == 0


def test_discount_rules(client, company, catalogue):
    items = get(client, company["finance"], "/api/pricing/discount-rules").json()["items"]
    assert [(r["name"], r["max_discount_pct"]) for r in items] == [("Standard", "5.00")]
    assert get(client, company["owner"], "/api/pricing/discount-rules?on=2025-01-01").json() == {
        "items": [], "count": 0,
    }  # fmt: skip
    rule_id = items[0]["id"]
    assert (
        get(client, company["owner"], f"/api/pricing/discount-rules/{rule_id}").status_code == 200
    )
    assert get(
        client, company["owner"], f"/api/pricing/discount-rules/{rule_id + 1}"
    ).status_code == (404)


def test_a_quote_for_the_owner(client, company, catalogue):
    contract = make_contract(company, "a", number="UR/9", price_tier="Key")
    response = get(client, company["owner"], quote_path(company["a"], catalogue["widget"],
                                                        discount_pct="6"))  # fmt: skip
    assert response.status_code == 200
    body = response.json()
    assert (body["tier"]["name"], body["tier_source"], body["contract"]) == (
        "Key", "account_contract", {"id": contract.pk, "number": "UR/9"},
    )  # fmt: skip
    assert (body["list_unit_price"], body["band"], body["net_unit_price"], body["line_total"]) == (
        "10.00", {"min_quantity": "100.000", "unit_price": "9.50"}, "9.50", "1140.00",
    )  # fmt: skip
    assert (body["discount_rule"]["name"], body["max_discount_pct"]) == ("Standard", "5.00")
    assert body["discount_check"] == {
        "discount_pct": "6", "within_rule": False, "needs_approval": True,
        "discount_amount": "68.40", "line_total_after": "1071.60",
    }  # fmt: skip
    assert body["slabs"] == [
        {"after_quantity": "0", "up_to_quantity": "120", "quantity": "120",
         "unit_price": "9.50", "amount": "1140.00"},
    ]  # fmt: skip
    assert [step["label"] for step in body["steps"]][:3] == [
        "Price list", "Price tier", "List unit price",
    ]  # fmt: skip


@pytest.mark.parametrize("persona", ["other_kam", "junior"])
def test_another_kams_account_is_404(client, company, catalogue, persona):
    response = get(client, company[persona], quote_path(company["a"], catalogue["widget"]))
    assert response.status_code == 404


def test_an_unknown_product_is_404_and_a_missing_price_422(client, company, catalogue):
    widget = catalogue["widget"]
    missing = product("N-1", "Nothing")
    path = quote_path(company["a"], widget, product_id=widget.pk + 100)
    assert get(client, company["owner"], path).status_code == 404
    response = get(client, company["owner"], quote_path(company["a"], missing))
    assert response.status_code == 422
    assert response.json() == {
        "detail": "N-1 Nothing has no price in tier Detal of the price list Cennik 2026."
    }


@pytest.mark.parametrize(
    "bad", [{"quantity": "0"}, {"quantity": "1.0001"}, {"currency": "EU"}, {"on": "3001-01-01"},
            {"discount_pct": "101"}],
)  # fmt: skip
def test_bad_parameters_are_422(client, company, catalogue, bad):
    path = quote_path(company["a"], catalogue["widget"], **bad)
    assert get(client, company["owner"], path).status_code == 422


def test_a_subsidiarys_kam_gets_no_contract_of_the_hidden_head(client, company, catalogue,
                                                                make_user):  # fmt: skip
    make_contract(company, "a", number="SECRET/7", price_tier="Key")
    kam = make_user("subkam", Role.KAM)
    account_services.assignment_start(
        actor=company["head"], account=company["a1"], user=kam, role=AssignmentRole.SUPPORT
    )
    body = get(client, kam, quote_path(company["a1"], catalogue["widget"])).json()
    assert (body["tier"]["name"], body["tier_source"], body["contract"]) == (
        "Key", "group_contract", None,
    )  # fmt: skip
    assert "SECRET/7" not in str(body) and "Alfa Hurt" not in str(body)
