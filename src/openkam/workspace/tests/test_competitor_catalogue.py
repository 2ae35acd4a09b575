"""The shared competitor catalogue follows the visibility rule: a KAM reads the names used
at accounts they see (or in plans they see) and those they named themselves; a name used
only at accounts hidden from them is as absent as those accounts, in the list, the API,
the typing suggestions, a threat's choices, and when named by id."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from openkam.accounts import services as account_services
from openkam.accounts.models import AssignmentRole
from openkam.plans import selectors as plan_selectors
from openkam.plans import services as plan_services
from openkam.users.models import Role
from openkam.workspace import selectors, services
from openkam.workspace.models import Competitor

HIDDEN = ("Shadowcorp Zyx", "Orphancorp Zyx")


@pytest.fixture
def catalogue(company, make_user):
    """Visiblecorp at A1, Shadowcorp only at the hidden root A, Orphancorp named by the
    root's KAM and used nowhere; a KAM who supports A1 only."""
    kam = make_user("support", Role.KAM)
    account_services.assignment_start(
        actor=company["head"], account=company["a1"], user=kam, role=AssignmentRole.SUPPORT
    )
    owner = company["owner"]
    shown = services.competitor_create(actor=owner, name="Visiblecorp")
    shadow = services.competitor_create(actor=owner, name="Shadowcorp Zyx")
    orphan = services.competitor_create(actor=owner, name="Orphancorp Zyx")
    services.account_competitor_add(actor=owner, account=company["a1"], competitor=shown)
    services.account_competitor_add(
        actor=owner, account=company["a"], competitor=shadow, notes="Shadownote"
    )
    return {"kam": kam, "shown": shown, "shadow": shadow, "orphan": orphan}


def _names(queryset) -> set[str]:
    return {c.name for c in queryset}


def test_a_kam_reads_only_names_used_where_they_may_look(company, catalogue):
    kam = catalogue["kam"]
    assert _names(Competitor.objects.visible_to(kam)) == {"Visiblecorp"}
    assert _names(selectors.competitor_list(user=kam)) == {"Visiblecorp"}
    assert selectors.competitor_names(user=kam) == ["Visiblecorp"]
    assert _names(Competitor.objects.visible_to(company["owner"])) == {
        "Visiblecorp", "Shadowcorp Zyx", "Orphancorp Zyx"
    }  # fmt: skip


@pytest.mark.parametrize("persona", ["head", "finance", "viewer", "admin"])
def test_who_sees_every_account_reads_the_whole_catalogue(company, catalogue, persona):
    assert Competitor.objects.visible_to(company[persona]).count() == 3


def test_a_name_the_kam_gave_themselves_stays_theirs(company, catalogue):
    kam = catalogue["kam"]
    mine = services.competitor_create(actor=kam, name="Mycorp")
    assert mine.created_by == kam
    assert "Mycorp" in _names(Competitor.objects.visible_to(kam))
    assert "Mycorp" not in _names(Competitor.objects.visible_to(company["other_kam"]))


def test_a_name_in_a_visible_plan_is_readable(company, catalogue):
    plan = plan_services.plan_create(
        actor=company["owner"], account=company["a1"], title="Plan A1",
        period_start=date(2026, 1, 1), period_end=date(2026, 12, 31), template=None,
    )  # fmt: skip
    plan_services.risk_create(
        actor=company["owner"], plan=plan, description="Price war", kind="competitor",
        competitor=catalogue["shadow"],
    )  # fmt: skip
    assert "Shadowcorp Zyx" in _names(Competitor.objects.visible_to(catalogue["kam"]))


def test_a_threat_may_not_name_a_hidden_competitor(company, catalogue):
    plan = plan_services.plan_create(
        actor=company["owner"], account=company["a1"], title="Plan A1",
        period_start=date(2026, 1, 1), period_end=date(2026, 12, 31), template=None,
    )  # fmt: skip
    assert _names(plan_selectors.competitor_choices(user=catalogue["kam"])) == {"Visiblecorp"}
    with pytest.raises(ValidationError) as caught:
        plan_services.risk_create(
            actor=catalogue["kam"], plan=plan, description="Threat", kind="competitor",
            competitor=catalogue["orphan"],
        )  # fmt: skip
    assert "competitor" in caught.value.message_dict


def test_the_risk_form_offers_only_visible_names(client, company, catalogue):
    plan = plan_services.plan_create(
        actor=company["owner"], account=company["a1"], title="Plan A1",
        period_start=date(2026, 1, 1), period_end=date(2026, 12, 31), template=None,
    )  # fmt: skip
    client.force_login(catalogue["kam"])
    body = client.get(reverse("plans:risk_create", args=[plan.pk])).content.decode()
    assert "Visiblecorp" in body
    assert [name for name in HIDDEN if name in body] == []


def test_pages_and_api_name_no_hidden_competitor(client, company, catalogue):
    client.force_login(catalogue["kam"])
    for url in (
        reverse("account_workspace:competitors", args=[company["a1"].pk]),
        reverse("api:competitor_list"),
        reverse("api:competitor_list") + "?q=corp",
        reverse("api:account_competitors", args=[company["a1"].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert [name for name in HIDDEN if name in body] == [], url
    listed = client.get(reverse("api:competitor_list")).json()
    assert [(c["name"], c["visible_accounts"]) for c in listed] == [("Visiblecorp", 1)]


def test_the_api_answers_a_hidden_competitor_id_as_a_missing_one(client, company, catalogue):
    client.force_login(catalogue["kam"])
    url = reverse("api:account_competitors", args=[company["a1"].pk])

    def add(competitor_id: int):
        return client.post(url, {"competitor_id": competitor_id}, "application/json")

    hidden = add(catalogue["shadow"].pk)
    missing = add(10**6)
    assert (hidden.status_code, hidden.json()) == (missing.status_code, missing.json())
    assert hidden.status_code == 422
