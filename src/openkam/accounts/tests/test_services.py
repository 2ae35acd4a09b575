"""Account services: audit entries, group roots, tiers, assignments."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openkam.accounts import services
from openkam.accounts.models import Account, Assignment, KeyStatusChange, Tier
from openkam.core.models import AuditEntry


def test_update_records_each_changed_field_with_old_and_new_value(company):
    account = company["a"]
    services.account_update(
        actor=company["owner"], account=account, city="Kraków", segment="Retail"
    )
    entry = AuditEntry.objects.filter(account=account, action="update").latest("id")
    assert entry.actor == company["owner"]
    assert entry.changes == {"city": ["", "Kraków"], "segment": ["", "Retail"]}


def test_update_without_changes_writes_no_audit_entry(company):
    account = company["a"]
    before = AuditEntry.objects.count()
    services.account_update(actor=company["owner"], account=account, city=account.city)
    assert AuditEntry.objects.count() == before


def test_invalid_nip_is_rejected_and_nothing_changes(company):
    account = company["a"]
    with pytest.raises(ValidationError):
        services.account_update(actor=company["owner"], account=account, tax_id="1234567890")
    account.refresh_from_db()
    assert account.tax_id == "5260250995"


def test_viewer_cannot_edit(company):
    with pytest.raises(PermissionDenied):
        services.account_update(actor=company["viewer"], account=company["a"], city="X")


def test_group_root_follows_reparenting_at_any_depth(company):
    head = company["head"]
    grandchild = services.account_create(actor=head, name="Alfa Serwis", parent=company["a1"])
    assert grandchild.group_root == company["a"]
    services.account_update(actor=head, account=company["a1"], parent=company["b"])
    grandchild.refresh_from_db()
    assert grandchild.group_root == company["b"]
    assert Account.objects.get(pk=company["a1"].pk).group_root == company["b"]


def test_cycle_in_hierarchy_is_rejected(company):
    with pytest.raises(ValidationError):
        services.account_update(actor=company["head"], account=company["a"], parent=company["a1"])


def test_tier_change_is_a_history_row(company):
    services.account_set_tier(
        actor=company["head"], account=company["a"], tier=Tier.KEY, reason="top 5 by revenue"
    )
    change = KeyStatusChange.objects.get(account=company["a"])
    assert (change.previous_tier, change.tier, change.decided_by) == (
        Tier.STANDARD,
        Tier.KEY,
        company["head"],
    )
    assert Account.objects.get(pk=company["a"].pk).tier == Tier.KEY


def test_kam_cannot_set_tier(company):
    with pytest.raises(PermissionDenied):
        services.account_set_tier(actor=company["owner"], account=company["a"], tier=Tier.KEY)


def test_new_owner_ends_previous_ownership(company):
    services.assignment_start(
        actor=company["head"],
        account=company["a"],
        user=company["other_kam"],
        starts_on=company["today"],
    )
    old = Assignment.objects.get(account=company["a"], user=company["owner"])
    assert old.ends_on == company["today"] - timedelta(days=1)  # one owner per day
    assert Assignment.objects.filter(account=company["a"]).count() == 2
    owners_today = Assignment.objects.active(company["today"]).filter(
        account=company["a"], role="owner"
    )
    assert [a.user for a in owners_today] == [company["other_kam"]]


def test_an_owner_replaced_the_day_they_started_leaves_no_overlap(company):
    first = services.assignment_start(
        actor=company["head"],
        account=company["b"],
        user=company["owner"],
        starts_on=company["today"],
    )
    services.assignment_start(
        actor=company["head"], account=company["b"], user=company["other_kam"],
        starts_on=company["today"],
    )  # fmt: skip
    assert not Assignment.objects.filter(pk=first.pk).exists()
    assert AuditEntry.objects.filter(
        model="accounts.Assignment", object_id=str(first.pk), action="delete"
    ).exists()
    owners = Assignment.objects.active(company["today"]).filter(account=company["b"], role="owner")
    assert [a.user for a in owners] == [company["other_kam"]]
