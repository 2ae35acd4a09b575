"""The activities API: filters, visibility, writes and read-only roles."""

from __future__ import annotations

import json

from openkam.accounts.tests.factories import bearer
from openkam.activities.models import Activity, ActivityStatus
from openkam.activities.tests.factories import days, meeting, person


def _post(client, user, path, data):
    return client.post(
        path, json.dumps(data), content_type="application/json", headers=bearer(user)
    )


def test_list_filters_and_visibility(client, company):
    today = company["today"]
    first = meeting(company, "a", "First", today)
    meeting(company, "a", "Later", today + days(5), kind="call")
    meeting(company, "b", "Beta only", today)
    found = client.get(
        f"/api/activities?from={today}&to={today}&kind=meeting", headers=bearer(company["owner"])
    ).json()
    assert [row["subject"] for row in found["items"]] == ["First"]
    assert found["items"][0]["id"] == first.pk
    everything = client.get("/api/activities", headers=bearer(company["owner"])).json()
    assert {row["subject"] for row in everything["items"]} == {"First", "Later"}
    other = client.get(f"/api/activities/{first.pk}", headers=bearer(company["other_kam"]))
    assert other.status_code == 404


def test_create_complete_cancel(client, company):
    jan = person(company, "a", "Nowak", email="jan@alfa.example")
    owner = company["owner"]
    created = _post(
        client,
        owner,
        "/api/activities",
        {
            "account_id": company["a"].pk,
            "kind": "visit",
            "subject": "API visit",
            "starts_at": f"{company['today'] + days(1)}T09:00:00+01:00",
            "contact_ids": [jan.pk],
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["contacts"] == [{"id": jan.pk, "name": "Nowak", "email": "jan@alfa.example"}]
    assert body["owner_id"] == owner.pk
    done = _post(client, owner, f"/api/activities/{body['id']}/complete", {"outcome": "Good"})
    assert done.status_code == 200
    assert done.json()["status"] == "done"
    again = _post(client, owner, f"/api/activities/{body['id']}/cancel", {})
    assert again.status_code == 422
    other = meeting(company, "a", "To cancel", company["today"])
    cancelled = _post(client, owner, f"/api/activities/{other.pk}/cancel", {"reason": "Ill"})
    assert cancelled.json()["status"] == "cancelled"


def test_create_refuses_foreign_or_unknown_contacts(client, company):
    stranger = person(company, "b", "Obcy")
    head = company["head"]
    data = {
        "account_id": company["a"].pk,
        "kind": "call",
        "subject": "Mixed",
        "starts_at": f"{company['today']}T09:00:00Z",
        "contact_ids": [stranger.pk],
    }
    response = _post(client, head, "/api/activities", data)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "contacts"]
    # The owner does not even see B's contact: it is unknown to them.
    owner_try = _post(client, company["owner"], "/api/activities", data)
    assert owner_try.status_code == 422
    assert owner_try.json()["detail"][0]["loc"] == ["body", "contact_ids"]
    assert not Activity.objects.filter(subject="Mixed").exists()


def test_read_only_roles_get_403_and_strangers_404(client, company):
    activity = meeting(company, "a", "Guarded", company["today"])
    path = f"/api/activities/{activity.pk}/complete"
    assert _post(client, company["viewer"], path, {"outcome": "x"}).status_code == 403
    assert _post(client, company["finance"], path, {"outcome": "x"}).status_code == 403
    assert _post(client, company["other_kam"], path, {"outcome": "x"}).status_code == 404
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.PLANNED
