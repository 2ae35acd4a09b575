"""The accounts API with a bearer token: lists, detail, changes, the revenue series."""

from __future__ import annotations

from decimal import Decimal

import pytest

from openkam.accounts.tests.factories import bearer, build_ledger
from openkam.core.models import AuditEntry


@pytest.fixture
def ledger(company):
    return build_ledger(company)


def get(client, user, url, **params):
    return client.get(url, params, headers=bearer(user))


def patch(client, user, url, body):
    return client.patch(url, body, content_type="application/json", headers=bearer(user))


def names(response) -> set[str]:
    return {row["name"] for row in response.json()["items"]}


def test_list_without_token_is_unauthorized(client, company):
    assert client.get("/api/accounts").status_code == 401


def test_list_with_a_wrong_token_is_unauthorized(client, company):
    response = client.get("/api/accounts", headers={"Authorization": "Bearer kam_nope"})
    assert response.status_code == 401


def test_revoked_token_is_unauthorized(client, company):
    from openkam.users.models import ApiToken

    headers = bearer(company["owner"])
    ApiToken.objects.update(revoked=True)
    assert client.get("/api/accounts", headers=headers).status_code == 401


def test_list_holds_only_visible_accounts(client, company):
    response = get(client, company["owner"], "/api/accounts")
    assert names(response) == {"Alfa Hurt S.A.", "Alfa Logistyka Sp. z o.o."}


def test_list_count_is_the_visible_total(client, company):
    assert get(client, company["other_kam"], "/api/accounts").json()["count"] == 1


def test_list_filters_by_search_term(client, company):
    response = get(client, company["head"], "/api/accounts", q="beta")
    assert names(response) == {"Beta Trade"}


def test_list_filters_by_tier(client, company):
    from openkam.accounts import services

    services.account_set_tier(actor=company["head"], account=company["c"], tier="key")
    assert names(get(client, company["head"], "/api/accounts", tier="key")) == {"Gamma Retail"}


def test_list_rejects_an_unknown_tier(client, company):
    assert get(client, company["head"], "/api/accounts", tier="gold").status_code == 422


def test_list_filters_by_segment(client, company):
    from openkam.accounts import services

    services.account_update(actor=company["head"], account=company["b"], segment="HoReCa")
    assert names(get(client, company["head"], "/api/accounts", segment="HoReCa")) == {"Beta Trade"}


def test_money_is_a_decimal_string(client, company, ledger):
    row = get(client, company["owner"], f"/api/accounts/{company['a'].pk}").json()
    # The last 12 whole months: A's invoice of this month is not in them.
    assert (row["revenue_12m"], row["margin_12m"], row["currency"]) == ("400.00", "100.00", "PLN")
    assert (row["revenue_period_start"], row["revenue_period_end"]) == ("2025-12-01", "2026-11-30")


def test_detail_of_an_invisible_account_is_404(client, company):
    assert get(client, company["other_kam"], f"/api/accounts/{company['a'].pk}").status_code == 404


def test_detail_of_a_missing_account_is_404(client, company):
    assert get(client, company["head"], "/api/accounts/999999").status_code == 404


def test_patch_changes_the_field_and_records_audit(client, company):
    response = patch(client, company["owner"], f"/api/accounts/{company['a'].pk}", {"city": "Łódź"})
    entry = AuditEntry.objects.get(model="accounts.Account", action="update")
    assert response.json()["city"] == "Łódź"
    assert (entry.actor, entry.changes) == (company["owner"], {"city": ["", "Łódź"]})


def test_patch_with_invalid_nip_is_422_naming_the_field(client, company):
    response = patch(
        client, company["owner"], f"/api/accounts/{company['a'].pk}", {"tax_id": "1234567890"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "tax_id"]


def test_patch_with_invalid_nip_changes_nothing(client, company):
    patch(client, company["owner"], f"/api/accounts/{company['a'].pk}", {"tax_id": "1234567890"})
    company["a"].refresh_from_db()
    assert company["a"].tax_id == "5260250995"


def test_patch_with_unknown_field_is_422(client, company):
    response = patch(client, company["owner"], f"/api/accounts/{company['a'].pk}", {"owner": 1})
    assert response.status_code == 422


@pytest.mark.parametrize("persona", ["finance", "viewer"])
def test_patch_by_read_only_role_is_403(client, company, persona):
    response = patch(client, company[persona], f"/api/accounts/{company['a'].pk}", {"city": "X"})
    assert response.status_code == 403


def test_patch_of_an_invisible_account_is_404(client, company):
    response = patch(
        client, company["other_kam"], f"/api/accounts/{company['a'].pk}", {"city": "X"}
    )
    assert response.status_code == 404


def test_patch_through_session_needs_csrf(company):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(company["owner"])
    response = browser.patch(
        f"/api/accounts/{company['a'].pk}", {"city": "X"}, content_type="application/json"
    )
    assert response.status_code in {401, 403}


def test_revenue_series_has_the_requested_months(client, company, ledger):
    rows = get(client, company["owner"], f"/api/accounts/{company['a1'].pk}/revenue", months=12)
    assert len(rows.json()) == 12


def test_revenue_series_sums_to_invoice_lines(client, company, ledger):
    rows = get(client, company["owner"], f"/api/accounts/{company['a1'].pk}/revenue").json()
    assert sum(Decimal(row["revenue"]) for row in rows) == Decimal("2000.00")


def test_group_root_revenue_includes_subsidiaries(client, company, ledger):
    rows = get(client, company["owner"], f"/api/accounts/{company['a'].pk}/revenue").json()
    assert sum(Decimal(row["revenue"]) for row in rows) == Decimal("3650.50")


def test_group_root_revenue_alone_when_asked(client, company, ledger):
    url = f"/api/accounts/{company['a'].pk}/revenue"
    rows = get(client, company["owner"], url, group="false").json()
    assert sum(Decimal(row["revenue"]) for row in rows) == Decimal("1650.50")


def test_revenue_of_an_invisible_account_is_404(client, company, ledger):
    url = f"/api/accounts/{company['a'].pk}/revenue"
    assert get(client, company["other_kam"], url).status_code == 404


def test_session_login_reads_the_api(client, company):
    client.force_login(company["owner"])
    assert client.get("/api/accounts").status_code == 200


def test_openapi_docs_load(client):
    assert client.get("/api/docs").status_code == 200


def test_openapi_schema_lists_every_route(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {
        "/api/accounts",
        "/api/accounts/{account_id}",
        "/api/accounts/{account_id}/revenue",
        "/api/contacts",
        "/api/contacts/{contact_id}",
        "/api/ledger/products",
        "/api/ledger/invoices",
        "/api/ledger/invoices/{invoice_id}",
        "/api/ledger/payments",
    } <= set(paths)


def test_list_query_count_does_not_grow_with_rows(client, company, django_assert_max_num_queries):
    from openkam.accounts import services

    for number in range(30):
        services.account_create(actor=company["head"], name=f"Bulk {number}")
    headers = bearer(company["head"])
    with django_assert_max_num_queries(6):
        client.get("/api/accounts", headers=headers)
