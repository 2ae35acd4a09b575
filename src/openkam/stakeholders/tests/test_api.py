"""The stakeholder map API: the map, coverage, attitude changes, links; who may write."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from openkam.accounts import services as account_services
from openkam.accounts.models import Tier
from openkam.accounts.tests.factories import bearer
from openkam.stakeholders import services
from openkam.stakeholders.models import AttitudeChange, BuyingRole, ContactLink
from openkam.stakeholders.tests.factories import person, talk


@pytest.fixture
def mapped(company):
    boss = person(company["a"], "Prezes", buying_role=BuyingRole.DECISION_MAKER, influence=5)
    clerk = person(company["a"], "Referent")
    link = services.contact_link_create(
        actor=company["head"], source=clerk, target=boss, kind="reports_to"
    )
    talk(boss, company["today"] - timedelta(days=70))
    return {"boss": boss, "clerk": clerk, "link": link, **company}


def _post(client, user, path, data):
    return client.post(
        path, json.dumps(data), content_type="application/json", headers=bearer(user)
    )


def test_map_lists_people_links_last_contact_and_gaps(client, mapped):
    response = client.get(
        f"/api/stakeholders/accounts/{mapped['a'].pk}/map", headers=bearer(mapped["owner"])
    )
    assert response.status_code == 200
    body = response.json()
    people = {p["last_name"]: p for p in body["people"]}
    assert people["Prezes"]["buying_role"] == "decision_maker"
    assert people["Prezes"]["last_contact_on"] == str(mapped["today"] - timedelta(days=70))
    assert people["Referent"]["last_contact_on"] is None
    assert [(x["source_id"], x["target_id"], x["kind"]) for x in body["links"]] == [
        (mapped["clerk"].pk, mapped["boss"].pk, "reports_to")
    ]
    assert {(a["kind"], a["days"]) for a in body["alerts"]} == {
        ("no_economic_buyer", None),
        ("decision_maker_silent", 70),
    }


def test_coverage_for_the_user(client, mapped):
    account_services.account_set_tier(actor=mapped["head"], account=mapped["a"], tier=Tier.KEY)
    mine = client.get("/api/stakeholders/coverage", headers=bearer(mapped["owner"])).json()
    assert [a["message"] for a in mine] == [
        "No economic buyer mapped at Alfa Hurt S.A.",
        "No contact with the decision maker Prezes at Alfa Hurt S.A. for 70 days",
    ]
    assert (
        client.get("/api/stakeholders/coverage", headers=bearer(mapped["other_kam"])).json() == []
    )


def test_attitude_change_and_history(client, mapped):
    path = f"/api/stakeholders/contacts/{mapped['boss'].pk}/attitudes"
    response = _post(client, mapped["owner"], path, {"attitude": "supporter", "note": "Dinner"})
    assert response.status_code == 201
    assert response.json()["previous_attitude"] == "unknown"
    history = client.get(path, headers=bearer(mapped["viewer"])).json()
    assert [(h["attitude"], h["note"]) for h in history] == [("supporter", "Dinner")]
    assert _post(client, mapped["owner"], path, {"attitude": "fan"}).status_code == 422


@pytest.mark.parametrize("who,status", [("viewer", 403), ("finance", 403), ("other_kam", 404)])
def test_writes_refuse_read_only_roles_and_strangers(client, mapped, who, status):
    user = mapped[who]
    boss = mapped["boss"]
    attitude = f"/api/stakeholders/contacts/{boss.pk}/attitudes"
    assert _post(client, user, attitude, {"attitude": "champion"}).status_code == status
    links = f"/api/stakeholders/contacts/{mapped['clerk'].pk}/links"
    assert (
        _post(client, user, links, {"target_id": boss.pk, "kind": "allied_with"}).status_code
        == status
    )
    response = client.delete(f"/api/stakeholders/links/{mapped['link'].pk}", headers=bearer(user))
    assert response.status_code == status
    assert AttitudeChange.objects.count() == 0
    assert ContactLink.objects.count() == 1


def test_link_create_and_delete(client, mapped):
    owner = mapped["owner"]
    path = f"/api/stakeholders/contacts/{mapped['boss'].pk}/links"
    response = _post(client, owner, path, {"target_id": mapped["clerk"].pk, "kind": "allied_with"})
    assert response.status_code == 201
    assert response.json()["kind"] == "allied_with"
    # The same link again, and a person of an account the owner cannot see.
    again = _post(client, owner, path, {"target_id": mapped["clerk"].pk, "kind": "allied_with"})
    assert again.status_code == 422
    stranger = person(mapped["b"], "Obcy")
    hidden = _post(client, owner, path, {"target_id": stranger.pk, "kind": "rival_of"})
    assert hidden.status_code == 404
    link_id = response.json()["id"]
    deleted = client.delete(f"/api/stakeholders/links/{link_id}", headers=bearer(owner))
    assert deleted.status_code == 204
    assert not ContactLink.objects.filter(pk=link_id).exists()


def test_openapi_describes_the_map_routes(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {
        "/api/stakeholders/accounts/{account_id}/map",
        "/api/stakeholders/coverage",
        "/api/stakeholders/contacts/{contact_id}/attitudes",
        "/api/stakeholders/contacts/{contact_id}/links",
        "/api/stakeholders/links/{link_id}",
    } <= set(paths)
