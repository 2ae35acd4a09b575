"""A person's last contact counts only the conversations the reader may see: a meeting held
at the hidden group root (with a person of the subsidiary taking part) neither dates the
last contact nor closes a coverage gap for a KAM who supports only the subsidiary."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from openkam.accounts import services as account_services
from openkam.accounts.models import AssignmentRole, Tier
from openkam.stakeholders import selectors
from openkam.stakeholders.coverage import Gap, coverage_alerts
from openkam.stakeholders.models import BuyingRole, Contact
from openkam.stakeholders.tests.factories import person, talk
from openkam.users.models import Role
from openkam.workspace.brief import meeting_brief


@pytest.fixture
def decider(company, make_user):
    """A decision maker at A1, met at A1 40 days ago and at the hidden root A 10 days ago."""
    kam = make_user("support", Role.KAM)
    account_services.assignment_start(
        actor=company["head"], account=company["a1"], user=kam, role=AssignmentRole.SUPPORT
    )
    account_services.account_set_tier(actor=company["head"], account=company["a1"], tier=Tier.KEY)
    company["a1"].refresh_from_db()
    today = company["today"]
    who = person(company["a1"], "Decyzyjny", buying_role=BuyingRole.DECISION_MAKER)
    talk(who, today - timedelta(days=40), owner=company["owner"])
    at_root = talk(who, today - timedelta(days=10), owner=company["owner"])
    at_root.account = company["a"]
    at_root.save(update_fields=["account"])
    return {
        "kam": kam,
        "who": who,
        "seen_day": today - timedelta(days=40),
        "hidden_day": today - timedelta(days=10),
    }


def test_the_selectors_count_only_visible_conversations(company, decider):
    who, kam = decider["who"], decider["kam"]
    people = Contact.objects.filter(pk=who.pk)
    assert selectors.last_contact_days(people, user=kam) == {who.pk: decider["seen_day"]}
    assert (
        selectors.with_last_contact(people, user=kam).get().last_contact_on == decider["seen_day"]
    )
    assert selectors.contact_last_contact_on(user=kam, contact=who) == decider["seen_day"]
    # The root's KAM sees both meetings.
    owner = company["owner"]
    assert selectors.contact_last_contact_on(user=owner, contact=who) == decider["hidden_day"]


def test_the_map_and_the_brief_date_the_last_visible_conversation(company, decider):
    kam = decider["kam"]
    stake_map = selectors.stakeholder_map(user=kam, account=company["a1"])
    assert [vars(p)["last_contact_on"] for p in stake_map.contacts] == [decider["seen_day"]]
    brief = meeting_brief(user=kam, account=company["a1"], today=company["today"])
    assert [p.last_contact_on for p in brief.stakeholders] == [decider["seen_day"]]


def test_coverage_counts_days_since_the_last_visible_conversation(company, decider, settings):
    settings.OPENKAM_COVERAGE_DAYS = 30
    alerts = coverage_alerts(user=decider["kam"], today=company["today"], accounts=[company["a1"]])
    silent = [a for a in alerts if a.kind == Gap.DECISION_MAKER_SILENT]
    assert [(a.contact, a.days) for a in silent] == [(decider["who"], 40)]
    # For the root's KAM the decision maker was met ten days ago: no gap.
    owner_alerts = coverage_alerts(
        user=company["owner"], today=company["today"], accounts=[company["a1"]]
    )
    assert [a for a in owner_alerts if a.kind == Gap.DECISION_MAKER_SILENT] == []


def test_pages_and_api_show_no_hidden_date(client, company, decider):
    client.force_login(decider["kam"])
    hidden = decider["hidden_day"].isoformat()
    a1, who = company["a1"].pk, decider["who"].pk
    for url in (
        reverse("account_stakeholders:map", args=[a1]),
        reverse("stakeholders:person", args=[who]),
        reverse("account_workspace:brief", args=[a1]),
        reverse("api:stakeholder_map", args=[a1]),
        reverse("api:account_brief", args=[a1]),
        reverse("api:stakeholder_coverage"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert hidden not in body, url
    person_page = client.get(reverse("stakeholders:person", args=[who])).content.decode()
    assert decider["seen_day"].isoformat() in person_page
