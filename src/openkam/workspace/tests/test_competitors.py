"""Competitors at accounts: services, pages and API."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from openkam.accounts.tests.factories import bearer
from openkam.core.models import AuditEntry
from openkam.workspace import selectors, services
from openkam.workspace.models import AccountCompetitor, Competitor


@pytest.fixture
def rival(company):
    return services.competitor_create(actor=company["owner"], name="Rival Ltd")


def add(company, rival, key="a", **fields):
    return services.account_competitor_add(
        actor=company["head"], account=company[key], competitor=rival, **fields
    )


# --- services --------------------------------------------------------------------------


def test_competitor_names_are_unique_regardless_of_case(company, rival):
    with pytest.raises(ValidationError):
        services.competitor_create(actor=company["owner"], name="rival ltd")


def test_get_or_create_reuses_an_existing_name(company, rival):
    assert services.competitor_get_or_create(actor=company["owner"], name=" RIVAL LTD ") == rival


def test_adding_a_competitor_is_audited(company, rival):
    row = add(company, rival, share_of_wallet=Decimal("30"), notes="Cheaper by 5%")
    entry = AuditEntry.objects.get(model="workspace.AccountCompetitor", action="create")
    assert entry.account_id == company["a"].pk
    assert entry.changes["notes"] == [None, "Cheaper by 5%"]
    assert row.share_of_wallet == Decimal("30")


def test_a_competitor_is_recorded_once_per_account(company, rival):
    add(company, rival)
    with pytest.raises(ValidationError):
        add(company, rival)


def test_share_of_wallet_is_a_percentage(company, rival):
    with pytest.raises(ValidationError):
        add(company, rival, share_of_wallet=Decimal("120"))


def test_update_records_old_and_new_values(company, rival):
    row = add(company, rival, notes="old")
    services.account_competitor_update(actor=company["owner"], account_competitor=row, notes="new")
    entry = AuditEntry.objects.get(model="workspace.AccountCompetitor", action="update")
    assert entry.changes == {"notes": ["old", "new"]}


def test_remove_deletes_and_keeps_an_audit_entry(company, rival):
    row = add(company, rival, notes="gone")
    services.account_competitor_remove(actor=company["owner"], account_competitor=row)
    assert not AccountCompetitor.objects.exists()
    entry = AuditEntry.objects.get(model="workspace.AccountCompetitor", action="delete")
    assert (entry.account_id, entry.changes["notes"]) == (company["a"].pk, ["gone", None])


@pytest.mark.parametrize("persona", ["finance", "viewer"])
def test_read_only_roles_may_not_add(company, rival, persona):
    with pytest.raises(PermissionDenied):
        services.account_competitor_add(
            actor=company[persona], account=company["a"], competitor=rival
        )


def test_a_kam_may_not_add_at_an_account_they_do_not_see(company, rival):
    with pytest.raises(PermissionDenied):
        services.account_competitor_add(
            actor=company["owner"], account=company["b"], competitor=rival
        )


def test_competitor_list_counts_only_visible_accounts(company, rival):
    add(company, rival, key="a")
    add(company, rival, key="b")
    counts = {c.name: c.visible_accounts for c in selectors.competitor_list(user=company["owner"])}
    assert counts == {"Rival Ltd": 1}


# --- pages -----------------------------------------------------------------------------


def test_page_lists_competitors_of_the_account(client, company, rival):
    add(company, rival, notes="Strong in logistics")
    client.force_login(company["owner"])
    body = client.get(
        reverse("account_workspace:competitors", args=[company["a"].pk])
    ).content.decode()
    assert "Rival Ltd" in body and "Strong in logistics" in body


def test_page_adds_a_new_competitor_by_name(client, company):
    client.force_login(company["owner"])
    url = reverse("account_workspace:competitors", args=[company["a"].pk])
    response = client.post(url, {"name": "Newcomer", "share_of_wallet": "12.5", "notes": ""})
    assert response.status_code == 302
    row = AccountCompetitor.objects.get()
    assert (row.competitor.name, row.share_of_wallet) == ("Newcomer", Decimal("12.50"))


def test_page_shows_the_duplicate_error_on_the_form(client, company, rival):
    add(company, rival)
    client.force_login(company["owner"])
    url = reverse("account_workspace:competitors", args=[company["a"].pk])
    response = client.post(url, {"name": "Rival Ltd"})
    assert response.status_code == 200
    assert "already recorded" in response.content.decode()


def test_page_edits_and_removes(client, company, rival):
    row = add(company, rival)
    client.force_login(company["owner"])
    edit = reverse("workspace:competitor_edit", args=[row.pk])
    client.post(edit, {"product_lines": "Pallets", "notes": "x"})
    row.refresh_from_db()
    assert row.product_lines == "Pallets"
    client.post(reverse("workspace:competitor_remove", args=[row.pk]))
    assert not AccountCompetitor.objects.exists()


def test_viewer_sees_no_add_form(client, company, rival):
    client.force_login(company["viewer"])
    body = client.get(
        reverse("account_workspace:competitors", args=[company["a"].pk])
    ).content.decode()
    assert "Add a competitor" not in body


# --- API -------------------------------------------------------------------------------


def test_api_adds_by_name_and_lists(client, company):
    headers = bearer(company["owner"])
    url = f"/api/workspace/accounts/{company['a'].pk}/competitors"
    response = client.post(
        url, {"name": "Api Rival", "share_of_wallet": "40"}, "application/json", headers=headers
    )
    assert response.status_code == 201
    listed = client.get(url, headers=headers).json()
    assert [(r["competitor_name"], r["share_of_wallet"]) for r in listed] == [
        ("Api Rival", "40.00")
    ]


def test_api_patch_and_delete(client, company, rival):
    row = add(company, rival)
    headers = bearer(company["owner"])
    url = f"/api/workspace/account-competitors/{row.pk}"
    patched = client.patch(url, {"notes": "via api"}, "application/json", headers=headers)
    assert patched.json()["notes"] == "via api"
    assert client.delete(url, headers=headers).status_code == 204
    assert not AccountCompetitor.objects.exists()


def test_api_read_only_role_gets_403(client, company, rival):
    row = add(company, rival)
    response = client.delete(
        f"/api/workspace/account-competitors/{row.pk}", headers=bearer(company["finance"])
    )
    assert response.status_code == 403
    assert AccountCompetitor.objects.exists()


def test_api_hidden_account_is_404(client, company, rival):
    row = add(company, rival, key="b")
    headers = bearer(company["owner"])
    assert (
        client.get(
            f"/api/workspace/accounts/{company['b'].pk}/competitors", headers=headers
        ).status_code
        == 404
    )
    assert (
        client.delete(f"/api/workspace/account-competitors/{row.pk}", headers=headers).status_code
        == 404
    )


def test_api_creates_a_competitor_name(client, company):
    response = client.post(
        "/api/workspace/competitors",
        {"name": "Named"},
        "application/json",
        headers=bearer(company["owner"]),
    )
    assert response.status_code == 201
    assert Competitor.objects.filter(name="Named").exists()


def test_page_query_count_does_not_grow_with_competitors(client, company, rival):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    add(company, rival)
    client.force_login(company["owner"])
    url = reverse("account_workspace:competitors", args=[company["a"].pk])
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return len(captured)

    small = count()
    for number in range(10):
        other = services.competitor_create(actor=company["owner"], name=f"Other {number}")
        add(company, other)
    assert count() == small
