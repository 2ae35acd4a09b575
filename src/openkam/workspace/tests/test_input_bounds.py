"""A null for a competitor's notes reached the database's NOT NULL (a 500); the API now
refuses it with 422 and the row keeps its notes."""

from __future__ import annotations

from openkam.accounts.tests.factories import bearer
from openkam.workspace import services


def test_the_api_refuses_null_notes_and_keeps_them(client, company):
    competitor = services.competitor_get_or_create(actor=company["head"], name="Rival")
    row = services.account_competitor_add(
        actor=company["head"], account=company["a"], competitor=competitor, notes="Cheaper"
    )
    response = client.patch(
        f"/api/workspace/account-competitors/{row.pk}",
        {"notes": None},
        content_type="application/json",
        headers=bearer(company["owner"]),
    )
    assert response.status_code == 422
    row.refresh_from_db()
    assert row.notes == "Cheaper"
