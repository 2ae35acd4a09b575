"""The stakeholder pages: map (graph, table, org chart, gaps), a person, their forms."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from openkam.stakeholders import services
from openkam.stakeholders.models import AttitudeChange, BuyingRole, ContactLink, LinkKind
from openkam.stakeholders.tests.factories import person, talk


@pytest.fixture
def people(company):
    a = company["a"]
    boss = person(
        a, "Prezes", first_name="Anna", buying_role=BuyingRole.DECISION_MAKER, influence=5
    )
    buyer = person(a, "Kupiec", buying_role=BuyingRole.ECONOMIC_BUYER, relationship_strength=3)
    clerk = person(a, "Referent", position="Buyer")
    driver = person(company["a1"], "Kierowca")  # at the subsidiary
    services.contact_link_create(
        actor=company["head"], source=buyer, target=boss, kind="reports_to"
    )
    services.contact_link_create(
        actor=company["head"], source=clerk, target=buyer, kind="reports_to"
    )
    services.contact_link_create(
        actor=company["head"], source=driver, target=boss, kind="influences"
    )
    talk([buyer, clerk], company["today"] - timedelta(days=3))
    return {"boss": boss, "buyer": buyer, "clerk": clerk, "driver": driver}


def _graph(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="stakeholder-data" type="application/json">')
    body = html[start:].split(">", 1)[1].split("</script>", 1)[0]
    return json.loads(body)


def test_map_page_shows_graph_table_org_chart_and_gaps(client, company, people):
    client.force_login(company["owner"])
    response = client.get(f"/accounts/{company['a'].pk}/stakeholders/")
    assert response.status_code == 200
    html = response.content.decode()
    graph = _graph(response)
    nodes = {n["name"]: n for n in graph["nodes"]}
    assert set(nodes) == {"Anna Prezes", "Kupiec", "Referent", "Kierowca"}
    # The org chart places managers above their reports; the subsidiary's driver below.
    assert nodes["Anna Prezes"]["y"] > nodes["Kupiec"]["y"] > nodes["Referent"]["y"]
    assert nodes["Kierowca"]["outside"] and nodes["Kierowca"]["account"] == company["a1"].name
    assert nodes["Kupiec"]["last_contact"] == str(company["today"] - timedelta(days=3))
    assert nodes["Anna Prezes"]["size"] > nodes["Referent"]["size"]
    assert nodes["Anna Prezes"]["url"] == f"/stakeholders/{people['boss'].pk}/"
    assert {(e["kind"], e["directed"]) for e in graph["edges"]} == {
        ("reports_to", True),
        ("influences", True),
    }
    # Org chart: nested lists, the clerk inside the buyer inside the boss.
    org = html[html.index('id="org-chart"') :]
    assert org.index("Anna Prezes") < org.index("Kupiec") < org.index("Referent")
    assert "Never in contact with the decision maker Anna Prezes" in html
    assert 'id="people"' in html and "Buyer" in html


def test_map_page_queries_do_not_grow_with_people(
    client, company, people, django_assert_max_num_queries
):
    client.force_login(company["owner"])
    url = f"/accounts/{company['a'].pk}/stakeholders/"
    client.get(url)
    with django_assert_max_num_queries(10) as before:
        client.get(url)
    for n in range(15):
        extra = person(company["a"], f"Extra{n}", buying_role=BuyingRole.CHAMPION, influence=2)
        services.contact_link_create(
            actor=company["head"], source=extra, target=people["boss"], kind="reports_to"
        )
        talk(extra, company["today"] - timedelta(days=n))
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(url)


def test_person_page_forms_record_attitude_role_and_links(client, company, people):
    client.force_login(company["owner"])
    clerk = people["clerk"]
    base = f"/stakeholders/{clerk.pk}/"
    assert client.get(base).status_code == 200
    boss_page = client.get(f"/stakeholders/{people['boss'].pk}/").content.decode()
    assert "Never in contact with the decision maker Anna Prezes" in boss_page
    assert 'id="person-gaps"' not in client.get(base).content.decode()
    response = client.post(base + "attitude/", {"attitude": "supporter", "note": "Liked the demo"})
    assert response.status_code == 302
    response = client.post(
        base + "roles/",
        {"buying_role": "influencer", "influence": "3", "relationship_strength": "4",
         "relationship_owner": company["owner"].pk, "left_on": ""},
    )  # fmt: skip
    assert response.status_code == 302
    response = client.post(
        base + "links/", {"direction": "in", "kind": "allied_with", "other": people["driver"].pk}
    )
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert (clerk.attitude, clerk.buying_role, clerk.influence, clerk.relationship_owner) == (
        "supporter", "influencer", 3, company["owner"]
    )  # fmt: skip
    assert ContactLink.objects.filter(
        source=people["driver"], target=clerk, kind=LinkKind.ALLIED_WITH
    ).exists()
    html = client.get(base).content.decode()
    assert "Liked the demo" in html and "Supporter".lower() in html.lower()


def test_person_forms_show_errors(client, company, people):
    client.force_login(company["owner"])
    clerk = people["clerk"]
    response = client.post(f"/stakeholders/{clerk.pk}/attitude/", {"attitude": "fan"})
    assert response.status_code == 422
    response = client.post(f"/stakeholders/{clerk.pk}/roles/", {"influence": "9"})
    assert response.status_code == 422
    # Linking to themselves is not offered; a person of another customer is not a choice.
    stranger = person(company["b"], "Obcy")
    response = client.post(
        f"/stakeholders/{clerk.pk}/links/",
        {"direction": "out", "kind": "rival_of", "other": stranger.pk},
    )
    assert response.status_code == 422
    response = client.post(
        f"/stakeholders/{clerk.pk}/links/",
        {"direction": "out", "kind": "reports_to", "other": people["buyer"].pk},
    )
    assert response.status_code == 422
    assert "already linked" in response.content.decode()
    assert AttitudeChange.objects.count() == 0


def test_link_removal_from_the_person_page(client, company, people):
    client.force_login(company["owner"])
    link = ContactLink.objects.get(source=people["clerk"])
    response = client.post(
        f"/stakeholders/links/{link.pk}/delete/", {"contact": people["clerk"].pk}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/stakeholders/{people['clerk'].pk}/"
    assert not ContactLink.objects.filter(pk=link.pk).exists()


def test_read_only_and_strangers(client, company, people):
    clerk = people["clerk"]
    client.force_login(company["viewer"])
    assert client.get(f"/stakeholders/{clerk.pk}/").status_code == 200
    assert (
        client.post(f"/stakeholders/{clerk.pk}/attitude/", {"attitude": "champion"}).status_code
        == 404
    )
    client.force_login(company["other_kam"])
    assert client.get(f"/accounts/{company['a'].pk}/stakeholders/").status_code == 404
    assert client.get(f"/stakeholders/{clerk.pk}/").status_code == 404


def test_contact_form_edits_the_map_fields(client, company, people):
    client.force_login(company["owner"])
    clerk = people["clerk"]
    form = client.get(f"/stakeholders/{clerk.pk}/edit/").content.decode()
    assert 'name="buying_role"' in form and 'type="date"' in form
    assert f'value="{company["viewer"].pk}"' not in form  # read-only roles own no relationship
    response = client.post(
        f"/stakeholders/{clerk.pk}/edit/",
        {"last_name": "Referent", "buying_role": "gatekeeper", "influence": "2",
         "relationship_strength": "5", "relationship_owner": company["owner"].pk,
         "left_on": str(company["today"])},
    )  # fmt: skip
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert (clerk.buying_role, clerk.influence, clerk.relationship_strength, clerk.left_on) == (
        "gatekeeper", 2, 5, company["today"]
    )  # fmt: skip


def test_add_contact_from_the_map_returns_to_the_map(client, company, people):
    client.force_login(company["owner"])
    map_url = f"/accounts/{company['a'].pk}/stakeholders/?view=org"
    page = client.get(map_url).content.decode()
    add_link = page.split("stakeholders/new/?next=", 1)[1].split('"', 1)[0]
    form = client.get(f"/accounts/{company['a'].pk}/stakeholders/new/?next={add_link}")
    assert f'name="next" value="{map_url}"' in form.content.decode().replace("&amp;", "&")
    response = client.post(
        f"/accounts/{company['a'].pk}/stakeholders/new/",
        {"last_name": "Nowy", "next": map_url},
    )
    assert response["Location"] == map_url


def test_a_next_address_elsewhere_is_not_followed(client, company, people):
    client.force_login(company["owner"])
    response = client.post(
        f"/accounts/{company['a'].pk}/stakeholders/new/",
        {"last_name": "Nowy", "next": "https://evil.example/phish"},
    )
    assert response["Location"] == f"/accounts/{company['a'].pk}/"
