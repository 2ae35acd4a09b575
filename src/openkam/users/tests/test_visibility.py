"""The visibility predicate, persona by persona."""

from __future__ import annotations

import pytest

from openkam.accounts.models import Account
from openkam.ledger.models import Invoice

EXPECTED = {
    "owner": {"A", "A1"},
    "other_kam": {"B"},
    "junior": {"C"},
    "senior": {"C"},
    "deputy": {"A", "A1"},
    "past_deputy": set(),
    "head": {"A", "A1", "B", "C"},
    "admin": {"A", "A1", "B", "C"},
    "finance": {"A", "A1", "B", "C"},
    "viewer": {"A", "A1", "B", "C"},
}


@pytest.mark.parametrize("persona,expected", sorted(EXPECTED.items()))
def test_each_persona_sees_exactly_their_accounts(company, persona, expected):
    visible = Account.objects.visible_to(company[persona])
    assert set(visible.values_list("external_id", flat=True)) == expected


def test_anonymous_sees_nothing(company):
    from django.contrib.auth.models import AnonymousUser

    assert not Account.objects.visible_to(AnonymousUser()).exists()


def test_inactive_user_sees_nothing(company):
    owner = company["owner"]
    owner.is_active = False
    owner.save()
    assert not Account.objects.visible_to(owner).exists()


def test_ended_assignment_hides_the_account(company):
    from openkam.accounts import services
    from openkam.accounts.models import Assignment

    assignment = Assignment.objects.get(account=company["b"])
    services.assignment_end(
        actor=company["head"],
        assignment=assignment,
        ends_on=company["today"].replace(year=company["today"].year - 1),
    )
    assert not Account.objects.visible_to(company["other_kam"]).exists()


def test_child_records_follow_account_visibility(company):
    from datetime import date

    for account in (company["a"], company["b"]):
        Invoice.objects.create(
            number=f"FV/{account.external_id}",
            external_id=f"FV/{account.external_id}",
            account=account,
            issued_on=date(2026, 1, 5),
        )
    numbers = set(Invoice.objects.visible_to(company["owner"]).values_list("number", flat=True))
    assert numbers == {"FV/A"}
