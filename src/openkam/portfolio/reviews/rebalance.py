"""Rebalancing the board: "no KAM carries twice the revenue of another" (journey 2).

What can move is a customer: a group with the accounts of it one KAM owns (groups are
judged as one customer and are not split), or a stand-alone account. The proposal moves
customers from the heaviest KAM to the lightest, each time the one whose revenue comes
closest to half the gap between them, as long as the lightest has free places for the
customer's key and strategic accounts, and stops when no KAM carries more than twice
another's revenue or no move narrows the gap. The head reviews the moves and applies
them in one step; every move is an ordinary reassignment (history kept, open work moved).

Revenue is that of the last analysis, in the board's currency; customers that sell in
another currency are never moved by the proposal (their revenue cannot be compared).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.accounts.models import Account
from openkam.portfolio.models import AccountMetrics, Scope
from openkam.portfolio.reviews.board import (
    KEY_LIST_TIERS,
    KamLoad,
    owned_on,
    portfolio_reassign,
)
from openkam.users import permissions
from openkam.users.models import User

# "No KAM carries twice the revenue of another" (JOURNEYS.md, journey 2).
IMBALANCE_RATIO = 2
MAX_MOVES = 25
ZERO = Decimal("0.00")


@dataclass
class Customer:
    """What moves as one: the accounts of a group (or one account) a KAM owns."""

    owner_id: int
    name: str  # the account with the most revenue, or the group's root
    account_ids: list[int] = field(default_factory=list)
    revenue: Decimal = ZERO
    key_list: int = 0  # key and strategic accounts among them
    comparable: bool = True  # sells in the board's currency only


@dataclass(frozen=True)
class Move:
    customer: Customer
    from_user: User
    to_user: User


@dataclass
class Proposal:
    moves: list[Move]
    revenue_after: dict[int, Decimal]  # user id -> revenue after the moves
    balanced: bool  # the goal is met after the moves

    @property
    def account_count(self) -> int:
        return sum(len(move.customer.account_ids) for move in self.moves)


def is_unbalanced(revenue: dict[int, Decimal]) -> bool:
    if len(revenue) < 2:
        return False
    return max(revenue.values()) > IMBALANCE_RATIO * min(revenue.values())


def balancing_kams(loads: list[KamLoad]) -> list[KamLoad]:
    """Who takes part: the KAMs who own accounts. A KAM with none (a team lead, a junior,
    someone just hired) is not "carrying half of nothing": a new KAM's first accounts are
    given by hand, and from then on the board balances them with the others."""
    return [load for load in loads if load.accounts]


def customers_of(loads: list[KamLoad], on: date) -> dict[int, list[Customer]]:
    """Each KAM's customers, as they would move."""
    owned = owned_on(on, [load.user.pk for load in loads])
    currency = loads[0].currency if loads else ""
    rows = owned.values_list(
        "user_id",
        "account_id",
        "account__group_root_id",
        "account__name",
        "account__tier",
        "account__currency",
    )
    revenue = dict(
        AccountMetrics.objects.filter(
            scope=Scope.ENTITY, account_id__in=owned.values("account_id")
        ).values_list("account_id", "revenue")
    )
    units: dict[tuple[int, int], Customer] = {}
    # Named by the group's root if the KAM owns it, else by the account with most revenue.
    naming: dict[tuple[int, int], tuple[bool, Decimal]] = {}
    for user_id, account_id, root_id, name, tier, account_currency in rows:
        key = (user_id, root_id or account_id)
        unit = units.setdefault(key, Customer(owner_id=user_id, name=name))
        own = revenue.get(account_id) or ZERO
        unit.account_ids.append(account_id)
        unit.revenue += own if account_currency == currency else ZERO
        unit.key_list += tier in KEY_LIST_TIERS
        unit.comparable &= account_currency == currency
        rank = (account_id == root_id, own)
        if rank > naming.get(key, (False, Decimal(-1))):
            naming[key] = rank
            unit.name = name
    by_owner: dict[int, list[Customer]] = defaultdict(list)
    for unit in units.values():
        by_owner[unit.owner_id].append(unit)
    return by_owner


def propose(loads: list[KamLoad], on: date | None = None) -> Proposal:
    """Moves that bring the board within the ratio, or as close as single moves can."""
    on = on or timezone.localdate()
    kams = balancing_kams(loads)
    users = {load.user.pk: load.user for load in kams}
    revenue = {load.user.pk: load.revenue for load in kams}
    places = {load.user.pk: load.capacity - load.key_accounts for load in kams}
    customers = customers_of(kams, on)
    moves: list[Move] = []
    while is_unbalanced(revenue) and len(moves) < MAX_MOVES:
        heavy = max(revenue, key=lambda pk: (revenue[pk], -pk))
        light = min(revenue, key=lambda pk: (revenue[pk], pk))
        chosen = _best_customer(customers[heavy], revenue[heavy] - revenue[light], places[light])
        if chosen is None:
            break
        customers[heavy].remove(chosen)
        customers[light].append(chosen)
        revenue[heavy] -= chosen.revenue
        revenue[light] += chosen.revenue
        places[heavy] += chosen.key_list
        places[light] -= chosen.key_list
        moves.append(Move(customer=chosen, from_user=users[heavy], to_user=users[light]))
    return Proposal(moves=moves, revenue_after=revenue, balanced=not is_unbalanced(revenue))


def _best_customer(candidates: list[Customer], gap: Decimal, places: int) -> Customer | None:
    """The customer closest to half the gap; moving one worth less than the gap narrows
    it, so the loop ends."""
    fitting = [
        c for c in candidates if c.comparable and ZERO < c.revenue < gap and c.key_list <= places
    ]
    if not fitting:
        return None
    return min(fitting, key=lambda c: (abs(c.revenue - gap / 2), c.name, c.account_ids[0]))


@transaction.atomic
def rebalance_apply(
    *, actor: User, moves: list[tuple[int, int, int]], on: date | None = None
) -> int:
    """Apply proposed moves, each (account id, from user id, to user id), as one step.

    A move is refused, and nothing applied, when the account has changed owner since the
    proposal was shown.
    """
    permissions.require_portfolio_manager(actor)
    on = on or timezone.localdate()
    accounts = Account.objects.visible_to(actor).in_bulk([account for account, _, _ in moves])
    kams = User.objects.in_bulk({user for _, a, b in moves for user in (a, b)})
    owners = dict(
        owned_on(on, kams).filter(account_id__in=accounts).values_list("account_id", "user_id")
    )
    for account_id, from_id, to_id in moves:
        account = accounts.get(account_id)
        if account is None or owners.get(account_id) != from_id or to_id not in kams:
            raise ValidationError(
                _("The board has changed since the proposal was made: look at it again.")
            )
        portfolio_reassign(actor=actor, account=account, to_user=kams[to_id], on=on)
    return len(moves)
