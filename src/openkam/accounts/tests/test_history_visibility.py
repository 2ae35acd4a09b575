"""The account's history follows the visibility rule: an entry about a record the reader
may not see (a link from a person of a subsidiary to one at the hidden group root, with its
note; such a link removed since) is left out, as if it had never been."""

from __future__ import annotations

import pytest
from django.urls import reverse

from openkam.accounts import services as account_services
from openkam.accounts.models import AssignmentRole
from openkam.accounts.selectors import audit_history
from openkam.activities import services as activity_services
from openkam.activities.tests.factories import at, days
from openkam.core import audit
from openkam.stakeholders import services as stakeholder_services
from openkam.stakeholders.models import ContactLink
from openkam.users.models import Role

SECRETS = ("Hiddenperson", "Secretnote Zyx", "Deletednote Zyx")


@pytest.fixture
def group(company, make_user):
    """On A1: a person linked to someone at the hidden root A (one link kept, one removed),
    and a meeting with both; a KAM who supports A1 only."""
    head = company["head"]
    kam = make_user("support", Role.KAM)
    account_services.assignment_start(
        actor=head, account=company["a1"], user=kam, role=AssignmentRole.SUPPORT
    )
    seen = stakeholder_services.contact_create(
        actor=head, account=company["a1"], last_name="Widoczna"
    )
    boss = stakeholder_services.contact_create(
        actor=head, account=company["a"], last_name="Hiddenperson", first_name="Zyx"
    )
    kept = stakeholder_services.contact_link_create(
        actor=head, source=seen, target=boss, kind="reports_to", note="Secretnote Zyx"
    )
    gone = stakeholder_services.contact_link_create(
        actor=head, source=seen, target=boss, kind="influences", note="Deletednote Zyx"
    )
    stakeholder_services.contact_link_delete(actor=head, link=gone)
    meeting = activity_services.activity_create(
        actor=head, account=company["a1"], kind="meeting", subject="Group meeting",
        starts_at=at(company["today"] + days(1)), contacts=[seen, boss], owner=kam,
    )  # fmt: skip
    return {"kam": kam, "seen": seen, "boss": boss, "kept": kept, "meeting": meeting}


def _texts(entries) -> str:
    parts = []
    for entry in entries:
        parts.append(entry.label)
        parts.extend(f"{c.old} {c.new}" for c in entry.field_changes)
    return " | ".join(parts)


def test_links_to_hidden_people_are_left_out_of_the_history(company, group):
    entries = audit_history(user=group["kam"], account=company["a1"])
    assert [e for e in entries if e.model == "stakeholders.ContactLink"] == []
    text = _texts(entries)
    assert [secret for secret in SECRETS if secret in text] == []
    # What the KAM may see is still there: the person and the meeting.
    assert {"Widoczna", "Group meeting"} <= {e.label for e in entries}


def test_the_history_page_names_no_hidden_person_or_note(client, company, group):
    client.force_login(group["kam"])
    body = client.get(reverse("accounts:detail", args=[company["a1"].pk])).content.decode()
    assert [secret for secret in SECRETS if secret in body] == []


def test_a_meeting_entry_keeps_a_hidden_participant_as_a_bare_id(company, group):
    entries = audit_history(user=group["kam"], account=company["a1"])
    created = next(e for e in entries if e.label == "Group meeting" and e.action == "create")
    people = next(c for c in created.field_changes if c.field == "contacts")
    assert "Widoczna" in people.new and str(group["boss"].pk) in people.new


def test_whoever_sees_both_people_sees_the_links(company, group):
    entries = audit_history(user=company["owner"], account=company["a1"])
    links = [e for e in entries if e.model == "stakeholders.ContactLink"]
    assert {e.action for e in links} == {"create", "delete"}
    assert "Secretnote Zyx" in _texts(entries)


def test_hidden_records_are_told_apart_for_existing_and_removed_records(company, group):
    entries = list(company["a1"].audit_entries.all())
    hidden = audit.hidden_records(entries, group["kam"])
    assert {model for model, _ in hidden} == {"stakeholders.ContactLink"}
    assert len(hidden) == 2  # the kept link and the removed one
    assert audit.hidden_records(entries, company["head"]) == set()


def test_a_link_to_a_hidden_person_is_itself_hidden(company, group):
    assert not ContactLink.objects.visible_to(group["kam"]).exists()
    assert ContactLink.objects.visible_to(company["owner"]).get() == group["kept"]
