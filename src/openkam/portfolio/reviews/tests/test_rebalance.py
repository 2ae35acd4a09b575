"""Rebalancing the board: whole customers move from the heaviest KAM to the lightest until
no KAM carries twice another's revenue; the head applies the moves in one step.

World (portfolio/tests/conftest.py, period to 2026-10-31): `owner` owns A (3,500 this
period), `other` owns B (6,000); below, `other` also gets D (5,000) and E (3,000).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from openkam.accounts import services as account_services
from openkam.accounts.models import Assignment, Tier
from openkam.portfolio.models import AnalysisSettings
from openkam.portfolio.recompute import recompute_portfolio
from openkam.portfolio.reviews import board, rebalance
from openkam.portfolio.tests.conftest import TODAY
from openkam.portfolio.tests.factories import invoice

BOARD = reverse("reviews:board")
REBALANCE = reverse("reviews:rebalance")


def customer(world, name: str, net: str, owner, parent=None, tier=Tier.STANDARD):
    head = world["head"]
    account = account_services.account_create(actor=head, name=name, parent=parent)
    account_services.assignment_start(
        actor=head, account=account, user=owner, starts_on=date(2026, 1, 1)
    )
    if tier != Tier.STANDARD:
        account_services.account_set_tier(actor=head, account=account, tier=tier)
    invoice(account, date(2026, 8, 1), ("Paper", net, "0"))
    return account


@pytest.fixture
def heavy_other(ledger):
    ledger["d"] = customer(ledger, "Delta", "5000", ledger["other_kam"])
    ledger["e"] = customer(ledger, "Epsilon", "3000", ledger["other_kam"])
    return ledger


def proposal(world):
    recompute_portfolio(today=TODAY)
    return rebalance.propose(board.kam_loads(viewer=world["head"]))


def moved(result) -> list[tuple[str, str, str]]:
    return [(m.customer.name, m.from_user.username, m.to_user.username) for m in result.moves]


def test_the_customer_closest_to_half_the_gap_moves_to_the_lightest(heavy_other):
    # other 14,000 vs owner 3,500: the gap is 10,500, half of it 5,250; Delta is closest.
    result = proposal(heavy_other)
    assert moved(result) == [("Delta", "other", "owner")]
    owner, other = heavy_other["owner"].pk, heavy_other["other_kam"].pk
    assert (result.revenue_after[owner], result.revenue_after[other]) == (8500, 9000)
    assert result.balanced


def test_a_balanced_board_gets_no_moves(ledger):
    result = proposal(ledger)  # 6,000 vs 3,500
    assert result.moves == [] and result.balanced


def test_key_accounts_move_only_into_free_places(heavy_other):
    settings = AnalysisSettings.current()
    settings.max_key_per_kam = 1
    settings.save()
    account_services.account_set_tier(
        actor=heavy_other["head"], account=heavy_other["a"], tier=Tier.KEY
    )
    account_services.account_set_tier(
        actor=heavy_other["head"], account=heavy_other["d"], tier=Tier.KEY
    )
    # The owner's one place is taken by A: Delta (key) may not go; Beta (6,000) is next best.
    assert moved(proposal(heavy_other)) == [("Beta Trade", "other", "owner")]


def test_a_group_moves_whole(ledger):
    root = customer(ledger, "Grupa Omega", "2000", ledger["other_kam"])
    customer(ledger, "Omega Sp. z o.o.", "2500", ledger["other_kam"], parent=root)
    customer(ledger, "Epsilon", "3000", ledger["other_kam"])
    # other 6,000 + 4,500 + 3,000 = 13,500 vs owner 3,500: half the gap is 5,000; the
    # group (4,500 together) is closest, and it moves with both of its accounts.
    result = proposal(ledger)
    assert moved(result) == [("Grupa Omega", "other", "owner")]
    assert len(result.moves[0].customer.account_ids) == 2


def test_nothing_that_would_overshoot_is_moved(ledger):
    # other owns only B (6,000) against a new small owner load: moving B would only swap
    # the imbalance round, so no move is proposed.
    account_services.assignment_start(
        actor=ledger["head"], account=ledger["a"], user=ledger["junior"], starts_on=TODAY
    )
    customer(ledger, "Tiny", "100", ledger["owner"])
    result = proposal(ledger)
    assert result.moves == [] and not result.balanced


# --- the page ----------------------------------------------------------------------------


def test_the_head_sees_the_proposal_and_applies_it(client, heavy_other):
    recompute_portfolio(today=TODAY)
    client.force_login(heavy_other["head"])
    body = client.get(BOARD).content.decode()
    assert 'id="rebalance"' in body and "Delta" in body.split('id="rebalance"')[1]
    post = [f"{heavy_other['d'].pk}:{heavy_other['other_kam'].pk}:{heavy_other['owner'].pk}"]
    response = client.post(REBALANCE, {"move": post})
    assert response.status_code == 302
    owners = Assignment.objects.active(heavy_other["today"]).filter(account=heavy_other["d"])
    assert [a.user for a in owners] == [heavy_other["owner"]]
    after = client.get(BOARD)
    assert after.context["board"].imbalance is None
    assert "1 account moved" in after.content.decode()


def test_a_stale_proposal_moves_nothing(client, heavy_other):
    recompute_portfolio(today=TODAY)
    client.force_login(heavy_other["head"])
    stale = [
        f"{heavy_other['d'].pk}:{heavy_other['owner'].pk}:{heavy_other['other_kam'].pk}",
        f"{heavy_other['e'].pk}:{heavy_other['other_kam'].pk}:{heavy_other['owner'].pk}",
    ]
    response = client.post(REBALANCE, {"move": stale}, follow=True)
    assert "The board has changed since the proposal was made" in response.content.decode()
    owners = Assignment.objects.active(heavy_other["today"]).filter(
        account__in=[heavy_other["d"], heavy_other["e"]], role="owner"
    )
    assert {a.user for a in owners} == {heavy_other["other_kam"]}


@pytest.mark.parametrize("persona", ["owner", "other_kam", "senior", "viewer", "finance"])
def test_only_heads_see_and_apply_a_rebalancing(client, heavy_other, persona):
    recompute_portfolio(today=TODAY)
    client.force_login(heavy_other[persona])
    assert 'id="rebalance"' not in client.get(BOARD).content.decode()
    move = f"{heavy_other['d'].pk}:{heavy_other['other_kam'].pk}:{heavy_other['owner'].pk}"
    assert client.post(REBALANCE, {"move": [move]}).status_code == 404


def test_garbled_moves_are_refused_with_a_message(client, heavy_other):
    client.force_login(heavy_other["head"])
    response = client.post(REBALANCE, {"move": ["1:2", "x:y:z"]}, follow=True)
    assert "No moves to apply" in response.content.decode()


# --- the rules, one by one -----------------------------------------------------------------


def test_twice_the_revenue_is_still_balanced_more_is_not():
    assert not rebalance.is_unbalanced({1: Decimal(200), 2: Decimal(100)})
    assert rebalance.is_unbalanced({1: Decimal("200.01"), 2: Decimal(100)})
    assert not rebalance.is_unbalanced({1: Decimal(900)})


def _customer(name, revenue, key_list=0, comparable=True):
    return rebalance.Customer(
        owner_id=1, name=name, account_ids=[len(name)], revenue=Decimal(revenue),
        key_list=key_list, comparable=comparable,
    )  # fmt: skip


def test_the_customer_closest_to_half_the_gap_that_fits_is_chosen():
    gap = Decimal(1000)
    half = _customer("half", 500)
    assert rebalance._best_customer([_customer("small", 100), half], gap, 0) is half
    # Never one with no revenue, one worth the whole gap, one in another currency, or one
    # whose key accounts do not fit the receiver's free places.
    assert rebalance._best_customer([_customer("nothing", 0)], gap, 0) is None
    assert rebalance._best_customer([_customer("whole", 1000)], gap, 0) is None
    assert rebalance._best_customer([_customer("eur", 500, comparable=False)], gap, 0) is None
    assert rebalance._best_customer([_customer("keys", 500, key_list=2)], gap, 1) is None
    assert rebalance._best_customer([_customer("keys", 500, key_list=1)], gap, 1).name == "keys"


def test_moves_go_on_until_balanced_each_from_the_heaviest_to_the_lightest(heavy_other):
    for name, net in [("Zeta", "4000"), ("Eta", "2500"), ("Theta", "1500")]:
        customer(heavy_other, name, net, heavy_other["other_kam"])
    customer(heavy_other, "Iota", "1000", heavy_other["senior"])
    result = proposal(heavy_other)
    # other 22,000, owner 3,500, senior 1,000. First other -> senior, gap 21,000: Beta
    # (6,000) is closest to 10,500. Then other (16,000) -> owner (3,500), gap 12,500: Delta
    # (5,000) is closest to 6,250. Then 11,000 against 7,000: within twice.
    assert moved(result) == [("Beta Trade", "other", "senior"), ("Delta", "other", "owner")]
    revenue = result.revenue_after
    assert revenue == {
        heavy_other["other_kam"].pk: 11000,
        heavy_other["owner"].pk: 8500,
        heavy_other["senior"].pk: 7000,
    }
    assert result.balanced and result.account_count == 2


def test_a_customer_in_another_currency_is_never_moved_or_counted(heavy_other):
    from openkam.ledger.models import InvoiceLine

    euro = customer(heavy_other, "Euro GmbH", "9000", heavy_other["other_kam"])
    account_services.account_update(actor=heavy_other["head"], account=euro, currency="EUR")
    InvoiceLine.objects.filter(account=euro).update(currency="EUR")
    result = proposal(heavy_other)
    assert "Euro GmbH" not in [name for name, _from, _to in moved(result)]
    assert result.revenue_after[heavy_other["other_kam"].pk] <= 14000


def test_a_group_is_named_by_its_root_and_a_stand_alone_by_itself(ledger):
    root = customer(ledger, "Grupa Omega", "100", ledger["other_kam"])
    customer(ledger, "Omega Duża", "4400", ledger["other_kam"], parent=root)
    recompute_portfolio(today=TODAY)
    loads = board.kam_loads(viewer=ledger["head"])
    units = rebalance.customers_of(rebalance.balancing_kams(loads), date.today())
    names = {unit.name: unit for unit in units[ledger["other_kam"].pk]}
    assert set(names) == {"Beta Trade", "Grupa Omega"}
    assert names["Grupa Omega"].revenue == 4500 and len(names["Grupa Omega"].account_ids) == 2
