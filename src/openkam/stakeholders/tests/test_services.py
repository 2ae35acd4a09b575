"""Writes to the stakeholder map: attitude history, links between people, role fields."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openkam.core.models import AuditEntry
from openkam.stakeholders import services
from openkam.stakeholders.models import Attitude, AttitudeChange, BuyingRole, ContactLink, LinkKind
from openkam.stakeholders.tests.factories import person


def test_attitude_set_keeps_history_and_the_current_value(company):
    buyer = person(company["a"], "Kupiec")
    services.attitude_set(actor=company["owner"], contact=buyer, attitude=Attitude.NEUTRAL)
    services.attitude_set(
        actor=company["deputy"], contact=buyer, attitude=Attitude.CHAMPION, note=" Won the pilot "
    )
    buyer.refresh_from_db()
    assert buyer.attitude == Attitude.CHAMPION
    history = list(
        AttitudeChange.objects.filter(contact=buyer).values_list(
            "previous_attitude", "attitude", "note", "changed_by__username"
        )
    )
    assert history == [
        ("neutral", "champion", "Won the pilot", "deputy"),
        ("unknown", "neutral", "", "owner"),
    ]
    entry = AuditEntry.objects.filter(object_id=str(buyer.pk)).latest("pk")
    assert entry.account_id == company["a"].pk
    assert entry.changes["attitude"] == ["neutral", "champion"]


def test_attitude_set_refuses_read_only_roles_and_unknown_values(company):
    buyer = person(company["a"], "Kupiec")
    with pytest.raises(PermissionDenied):
        services.attitude_set(actor=company["viewer"], contact=buyer, attitude="champion")
    with pytest.raises(ValidationError):
        services.attitude_set(actor=company["owner"], contact=buyer, attitude="fan")
    assert AttitudeChange.objects.count() == 0
    buyer.refresh_from_db()
    assert buyer.attitude == Attitude.UNKNOWN


def test_links_within_an_account_or_a_group_and_audited(company):
    boss = person(company["a"], "Boss")
    clerk = person(company["a"], "Clerk")
    driver = person(company["a1"], "Driver")  # a subsidiary: same customer group
    link = services.contact_link_create(
        actor=company["owner"], source=clerk, target=boss, kind=LinkKind.REPORTS_TO
    )
    services.contact_link_create(
        actor=company["owner"], source=driver, target=boss, kind=LinkKind.INFLUENCES
    )
    created = AuditEntry.objects.get(model="stakeholders.ContactLink", object_id=str(link.pk))
    assert created.account_id == company["a"].pk
    assert created.changes["kind"] == [None, "reports_to"]
    link_id = link.pk
    services.contact_link_delete(actor=company["owner"], link=link)
    assert list(ContactLink.objects.values_list("source__last_name", "kind")) == [
        ("Driver", "influences")
    ]
    assert AuditEntry.objects.filter(
        model="stakeholders.ContactLink", object_id=str(link_id), action="delete"
    ).exists()


@pytest.mark.parametrize("case", ["self", "other_customer", "duplicate", "bad_kind"])
def test_bad_links_are_refused(company, case):
    boss = person(company["a"], "Boss")
    clerk = person(company["a"], "Clerk")
    stranger = person(company["b"], "Stranger")
    services.contact_link_create(
        actor=company["owner"], source=clerk, target=boss, kind=LinkKind.REPORTS_TO
    )
    source, target, kind = {
        "self": (boss, boss, LinkKind.ALLIED_WITH),
        "other_customer": (boss, stranger, LinkKind.RIVAL_OF),
        "duplicate": (clerk, boss, LinkKind.REPORTS_TO),
        "bad_kind": (clerk, boss, "loves"),
    }[case]
    # The head sees both customers, so the refusal is the rule's, not visibility's.
    with pytest.raises(ValidationError):
        services.contact_link_create(actor=company["head"], source=source, target=target, kind=kind)
    assert ContactLink.objects.count() == 1


def test_a_link_to_a_person_the_actor_cannot_see_is_refused_as_missing(company):
    boss = person(company["a"], "Boss")
    stranger = person(company["b"], "Stranger")
    for source, target in ((boss, stranger), (stranger, boss)):
        with pytest.raises(PermissionDenied):
            services.contact_link_create(
                actor=company["owner"], source=source, target=target, kind=LinkKind.RIVAL_OF
            )
    assert not ContactLink.objects.exists()


def test_link_writes_refuse_read_only_roles(company):
    boss = person(company["a"], "Boss")
    clerk = person(company["a"], "Clerk")
    with pytest.raises(PermissionDenied):
        services.contact_link_create(
            actor=company["finance"], source=clerk, target=boss, kind=LinkKind.REPORTS_TO
        )
    link = services.contact_link_create(
        actor=company["owner"], source=clerk, target=boss, kind=LinkKind.REPORTS_TO
    )
    with pytest.raises(PermissionDenied):
        services.contact_link_delete(actor=company["viewer"], link=link)
    assert ContactLink.objects.count() == 1


def test_role_fields_are_validated_and_audited(company):
    buyer = person(company["a"], "Kupiec")
    services.contact_update(
        actor=company["owner"],
        contact=buyer,
        buying_role=BuyingRole.ECONOMIC_BUYER,
        influence=5,
        relationship_strength=2,
        relationship_owner=company["owner"],
        left_on=company["today"],
    )
    entry = AuditEntry.objects.filter(object_id=str(buyer.pk), model="stakeholders.Contact").latest(
        "pk"
    )
    assert entry.changes == {
        "buying_role": ["", "economic_buyer"],
        "influence": [None, 5],
        "relationship_strength": [None, 2],
        "relationship_owner": [None, company["owner"].pk],
        "left_on": [None, str(company["today"])],
    }
    for bad in ({"influence": 6}, {"relationship_strength": 0}, {"buying_role": "boss"},
                {"relationship_owner": company["viewer"]}):  # fmt: skip
        with pytest.raises(ValidationError):
            services.contact_update(actor=company["owner"], contact=buyer, **bad)
        buyer.refresh_from_db()
    assert (buyer.influence, buyer.relationship_owner) == (5, company["owner"])
