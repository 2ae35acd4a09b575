"""Reads for the review pages, the board and their API: every one takes the user.

A KAM sees a review only through the accounts visible to them: the items, the counts and
the comparison are all computed over `ReviewItem.objects.visible_to(user)`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from openkam.accounts import access
from openkam.accounts.models import Account, Tier
from openkam.portfolio.models import Review, ReviewItem, ScoringModel
from openkam.portfolio.reviews import board, rebalance
from openkam.portfolio.reviews import services as reviews
from openkam.portfolio.reviews.services import KEY_LIST_TIERS
from openkam.users import permissions
from openkam.users.models import User
from openkam.users.permissions import AnyUser

DECIDED = (ReviewItem.Decision.ACCEPTED, ReviewItem.Decision.OVERRIDDEN)


def _visible_item_q(user: AnyUser, prefix: str = "") -> Q | None:
    """A Q over ReviewItem (through `prefix`) for the items `user` may see; None: all."""
    rule = access.account_visibility_q(user)
    if rule is None:
        return None
    return Q(**{f"{prefix}account__in": Account.objects.filter(rule).values("pk")})


def review_list(*, user: AnyUser) -> QuerySet[Review]:
    """Every review with counts of the items the user may see."""
    visible = _visible_item_q(user, prefix="items__")

    def count(**match: object) -> Count:
        condition = Q(**{f"items__{name}": value for name, value in match.items()})
        if visible is not None:
            condition &= visible
        return Count("items", filter=condition)

    return (
        Review.objects.select_related("scoring_model", "created_by")
        .annotate(
            promote_count=count(change=ReviewItem.Change.PROMOTE),
            demote_count=count(change=ReviewItem.Change.DEMOTE),
            keep_count=count(change=ReviewItem.Change.KEEP),
            pending_count=count(decision=ReviewItem.Decision.PENDING),
            decided_count=count(decision__in=DECIDED),
            proposed_key_count=count(proposed_tier__in=KEY_LIST_TIERS),
        )
        .order_by("-created_at", "-pk")
    )


def review_details() -> QuerySet[Review]:
    """Reviews with what their page shows; they hold no account data (their items do)."""
    return Review.objects.select_related("scoring_model", "created_by", "run", "previous")


def review_items(*, user: AnyUser, review: Review) -> QuerySet[ReviewItem]:
    return (
        ReviewItem.objects.visible_to(user)
        .filter(review=review)
        .select_related("account", "decided_by")
        .order_by("rank", "pk")
    )


@dataclass
class ReviewGroups:
    """A review's visible items split by proposed change, each list ranked."""

    promote: list[ReviewItem] = field(default_factory=list)
    demote: list[ReviewItem] = field(default_factory=list)
    keep: list[ReviewItem] = field(default_factory=list)

    @property
    def all(self) -> list[ReviewItem]:
        return sorted(self.promote + self.demote + self.keep, key=lambda i: (i.rank or 0, i.pk))

    @property
    def proposed_key(self) -> int:
        return sum(1 for item in self.all if item.proposed_tier in KEY_LIST_TIERS)

    @property
    def pending(self) -> int:
        return sum(1 for item in self.all if item.decision == ReviewItem.Decision.PENDING)

    @property
    def decided(self) -> int:
        return len(self.all) - self.pending

    @property
    def key_after_decisions(self) -> int:
        """Key accounts if every pending item is accepted as proposed."""
        return sum(
            1 for item in self.all if (item.final_tier or item.proposed_tier) in KEY_LIST_TIERS
        )


def grouped_items(items: Iterable[ReviewItem]) -> ReviewGroups:
    groups = ReviewGroups()
    for item in items:
        getattr(groups, item.change).append(item)
    return groups


def review_comparison(*, user: AnyUser, review: Review) -> dict[str, list[Account]] | None:
    """Entered, left and stayed against the previous review, as visible accounts."""
    if review.previous_id is None:
        return None
    ids = reviews.review_compare(review)
    wanted = {pk for pks in ids.values() for pk in pks}
    accounts = Account.objects.visible_to(user).filter(pk__in=wanted).only("pk", "name", "tier")
    by_id = {account.pk: account for account in accounts}
    return {
        key: sorted((by_id[pk] for pk in pks if pk in by_id), key=lambda a: a.name)
        for key, pks in ids.items()
    }


def keep_limit(review: Review) -> int:
    """The rank down to which a current key account is kept (capacity plus the margin)."""
    return math.floor(review.capacity * (1 + reviews.KEEP_MARGIN))


def default_model() -> ScoringModel | None:
    active = ScoringModel.objects.filter(is_active=True)
    return active.filter(is_default=True).first() or active.order_by("name").first()


def review_start_defaults() -> dict[str, Any]:
    from openkam.portfolio.models import AnalysisSettings

    return {
        "scoring_model": default_model(),
        "kam_count": reviews.active_kam_count(),
        "max_per_kam": AnalysisSettings.current().max_key_per_kam,
    }


# --- the board ---------------------------------------------------------------------------


@dataclass
class BoardCard:
    load: board.KamLoad
    key_accounts: list[Account]


@dataclass
class Board:
    cards: list[BoardCard]
    imbalance: tuple[board.KamLoad, board.KamLoad] | None  # (heaviest, lightest) if > 2x
    proposal: rebalance.Proposal | None = None  # for heads, when the board is unbalanced

    @property
    def capacity(self) -> int:
        return sum(card.load.capacity for card in self.cards)

    @property
    def key_accounts(self) -> int:
        return sum(card.load.key_accounts for card in self.cards)

    @property
    def over_capacity(self) -> list[board.KamLoad]:
        return [card.load for card in self.cards if card.load.over_capacity]

    @property
    def currency(self) -> str:
        return self.cards[0].load.currency if self.cards else ""


IMBALANCE_RATIO = rebalance.IMBALANCE_RATIO


def _imbalance(loads: list[board.KamLoad]) -> tuple[board.KamLoad, board.KamLoad] | None:
    """The heaviest and the lightest KAM when one carries more than twice the other, among
    the KAMs a rebalancing would move customers between."""
    kams = rebalance.balancing_kams(loads)
    if not rebalance.is_unbalanced({load.user.pk: load.revenue for load in kams}):
        return None
    heaviest = max(kams, key=lambda load: load.revenue)
    lightest = min(kams, key=lambda load: load.revenue)
    return heaviest, lightest


def board_for(*, user: User, on: date | None = None) -> Board:
    """The KAM loads the user may see, each with its key accounts (one query for all), and
    for a head of an unbalanced board a proposed rebalancing."""
    on = on or timezone.localdate()
    loads = board.kam_loads(viewer=user, on=on)
    wanted = {pk for load in loads for pk in load.key_account_ids}
    accounts = Account.objects.visible_to(user).filter(pk__in=wanted).only("pk", "name", "tier")
    by_id = {account.pk: account for account in accounts}
    cards = [
        BoardCard(
            load=load,
            key_accounts=sorted(
                (by_id[pk] for pk in load.key_account_ids if pk in by_id), key=lambda a: a.name
            ),
        )
        for load in loads
    ]
    imbalance = _imbalance(loads)
    proposal = None
    if imbalance and permissions.can_manage_portfolios(user):
        proposal = rebalance.propose(loads, on)
    return Board(cards=cards, imbalance=imbalance, proposal=proposal)


def reassignable_accounts(*, user: AnyUser) -> QuerySet[Account]:
    """The accounts the reassignment form offers: key and strategic accounts first."""
    return (
        Account.objects.visible_to(user)
        .filter(is_archived=False, tier__in=[Tier.KEY, Tier.STRATEGIC])
        .only("pk", "name", "tier")
        .order_by("name")
    )
