"""The portfolio board: loads per KAM and reassignment with history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openkam.accounts.models import Account, Assignment, AssignmentRole, Tier
from openkam.accounts.services import account_set_tier
from openkam.portfolio.recompute import recompute_portfolio
from openkam.portfolio.reviews import board
from openkam.portfolio.tests.conftest import TODAY


def _load(loads, user):
    return next(load for load in loads if load.user == user)


def test_loads_count_accounts_groups_key_accounts_and_money(ledger):
    account_set_tier(actor=ledger["head"], account=ledger["a"], tier=Tier.KEY)
    board.portfolio_reassign(
        actor=ledger["head"], account=ledger["a1"], to_user=ledger["owner"], on=TODAY
    )
    recompute_portfolio(today=TODAY)
    owner = _load(board.kam_loads(viewer=ledger["head"], on=TODAY), ledger["owner"])
    assert (owner.accounts, owner.groups, owner.key_accounts) == (2, 1, 1)
    assert owner.revenue == 4000 and owner.margin == 1100
    assert owner.capacity == 10 and not owner.over_capacity


def test_a_kam_sees_only_their_own_load(ledger):
    loads = board.kam_loads(viewer=ledger["owner"], on=TODAY)
    assert [load.user for load in loads] == [ledger["owner"]]


def test_a_senior_sees_their_juniors_load(ledger):
    users = {load.user for load in board.kam_loads(viewer=ledger["senior"], on=TODAY)}
    assert users == {ledger["senior"], ledger["junior"]}


def test_reassignment_keeps_history_and_moves_visibility(ledger):
    board.portfolio_reassign(
        actor=ledger["head"], account=ledger["b"], to_user=ledger["owner"], on=TODAY
    )
    rows = Assignment.objects.filter(account=ledger["b"]).order_by("starts_on")
    assert [(a.user, a.ends_on) for a in rows] == [
        (ledger["other_kam"], TODAY - timedelta(days=1)),  # "to" is the last day held
        (ledger["owner"], None),
    ]
    assert ledger["b"] in Account.objects.visible_to(ledger["owner"])


def test_reassignment_runs_the_open_work_movers(ledger, monkeypatch):
    moved = []
    monkeypatch.setattr(
        board, "OPEN_WORK_MOVERS", [lambda a, old, new: moved.append((a, old, new))]
    )
    board.portfolio_reassign(actor=ledger["head"], account=ledger["b"], to_user=ledger["owner"])
    assert moved == [(ledger["b"], ledger["other_kam"], ledger["owner"])]


def test_support_role_replaces_only_the_named_person(ledger):
    board.portfolio_reassign(
        actor=ledger["head"],
        account=ledger["a"],
        to_user=ledger["junior"],
        role=AssignmentRole.SUPPORT,
        on=TODAY,
    )
    board.portfolio_reassign(
        actor=ledger["head"],
        account=ledger["a"],
        to_user=ledger["senior"],
        role=AssignmentRole.SUPPORT,
        from_user=ledger["junior"],
        on=TODAY,
    )
    # On the hand-over day only the new holder has it (the junior's same-day assignment
    # never held a day and is gone).
    active = Assignment.objects.active(TODAY).filter(account=ledger["a"])
    assert {(a.user, a.role) for a in active} == {
        (ledger["owner"], "owner"),
        (ledger["senior"], "support"),
    }


def test_only_heads_reassign_and_only_to_kams(ledger):
    with pytest.raises(PermissionDenied):
        board.portfolio_reassign(
            actor=ledger["owner"], account=ledger["b"], to_user=ledger["owner"]
        )
    with pytest.raises(ValidationError):
        board.portfolio_reassign(
            actor=ledger["head"], account=ledger["b"], to_user=ledger["viewer"]
        )


def test_on_the_handover_day_a_key_account_counts_for_the_new_owner_only(ledger):
    account_set_tier(actor=ledger["head"], account=ledger["b"], tier=Tier.KEY)
    board.portfolio_reassign(
        actor=ledger["head"], account=ledger["b"], to_user=ledger["owner"], on=TODAY
    )
    for day in (TODAY, TODAY + timedelta(days=1)):
        loads = board.kam_loads(viewer=ledger["head"], on=day)
        assert _load(loads, ledger["owner"]).key_account_ids == [ledger["b"].pk]
        assert _load(loads, ledger["other_kam"]).key_account_ids == []
    before = board.kam_loads(viewer=ledger["head"], on=TODAY - timedelta(days=1))
    assert _load(before, ledger["other_kam"]).key_account_ids == [ledger["b"].pk]
