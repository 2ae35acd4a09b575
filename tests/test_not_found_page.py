"""A record you may not see and a missing one answer the same styled 404 page."""

from __future__ import annotations


def test_other_kams_account_and_missing_account_look_the_same(client, company):
    client.force_login(company["owner"])
    hidden = client.get(f"/accounts/{company['b'].pk}/")
    missing = client.get("/accounts/999999/")
    assert hidden.status_code == missing.status_code == 404
    page = hidden.content.decode()
    assert "There is nothing here, or nothing you may see." in page
    assert company["b"].name not in page
    assert "There is nothing here, or nothing you may see." in missing.content.decode()
