"""Contacts through the API: same visibility as their account."""

from __future__ import annotations

import pytest

from openkam.accounts.tests.factories import bearer
from openkam.stakeholders.services import contact_create


@pytest.fixture
def contacts(company):
    return {
        "a": contact_create(actor=company["head"], account=company["a"], last_name="Adamska"),
        "b": contact_create(actor=company["head"], account=company["b"], last_name="Borowski"),
    }


def get(client, user, url, **params):
    return client.get(url, params, headers=bearer(user))


def test_contacts_hold_only_visible_accounts(client, company, contacts):
    rows = get(client, company["owner"], "/api/contacts").json()["items"]
    assert [row["last_name"] for row in rows] == ["Adamska"]


def test_contacts_filter_by_account(client, company, contacts):
    rows = get(client, company["head"], "/api/contacts", account_id=company["b"].pk).json()
    assert [row["last_name"] for row in rows["items"]] == ["Borowski"]


def test_contact_detail(client, company, contacts):
    body = get(client, company["owner"], f"/api/contacts/{contacts['a'].pk}").json()
    assert (body["last_name"], body["account_name"]) == ("Adamska", "Alfa Hurt S.A.")


def test_contact_detail_of_an_invisible_account_is_404(client, company, contacts):
    url = f"/api/contacts/{contacts['a'].pk}"
    assert get(client, company["other_kam"], url).status_code == 404


def test_archived_contacts_hidden_by_default(client, company, contacts):
    from openkam.stakeholders.services import contact_update

    contact_update(actor=company["head"], contact=contacts["a"], is_archived=True)
    assert get(client, company["head"], "/api/contacts").json()["count"] == 1
