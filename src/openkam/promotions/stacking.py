"""Which of several promotions that apply to the same line the customer gets.

Promotions that combine all apply together, except that of one exclusion group only the
best one does; a promotion that does not combine applies alone. The customer gets the
better of the two: the best promotion that stands alone, or the best set that combines.
"Better" adds up the percentages (`Promotion.rank_pct`), as the customer would compare
them. Each promotion left out says which one beat it and why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from openkam.promotions.models import Promotion

SAME_GROUP = "exclusion_group"
ALONE = "not_combinable"
REASONS = {
    SAME_GROUP: _("same exclusion group; the other gives the customer more"),
    ALONE: _("does not combine with other promotions; the customer is better off with the other"),
}


@dataclass(frozen=True)
class Choice:
    promotion: Promotion
    applies: bool
    beaten_by: Promotion | None = None
    reason: str = ""

    @property
    def reason_text(self) -> str:
        return str(REASONS.get(self.reason, ""))


def _order(promotion: Promotion) -> tuple:
    # Best first; on a tie the one ending sooner (then the older), so the answer is stable.
    return (-promotion.rank_pct, promotion.ends_on, promotion.pk or 0)


def _combined(candidates: list[Promotion]) -> list[Promotion]:
    """The best set of combinable promotions: one per exclusion group, all ungrouped."""
    chosen: list[Promotion] = []
    groups: set[str] = set()
    for promotion in candidates:
        if not promotion.combinable:
            continue
        if promotion.exclusion_group:
            if promotion.exclusion_group in groups:
                continue
            groups.add(promotion.exclusion_group)
        chosen.append(promotion)
    return chosen


def _worth(promotions: list[Promotion]) -> Decimal:
    return sum((promotion.rank_pct for promotion in promotions), Decimal(0))


def resolve(promotions: Iterable[Promotion]) -> list[Choice]:
    """Every promotion with whether it applies, best first."""
    candidates = sorted(promotions, key=_order)
    best_set = _combined(candidates)
    for promotion in candidates:
        # The best that stands alone, when it is worth more than the set or there is no set.
        if not promotion.combinable and (not best_set or _worth([promotion]) > _worth(best_set)):
            best_set = [promotion]
            break
    winners = {promotion.pk for promotion in best_set}
    return [
        Choice(promotion, True) if promotion.pk in winners else _beaten(promotion, best_set)
        for promotion in candidates
    ]


def _beaten(promotion: Promotion, winners: list[Promotion]) -> Choice:
    for winner in winners:
        if promotion.exclusion_group and winner.exclusion_group == promotion.exclusion_group:
            return Choice(promotion, False, winner, SAME_GROUP)
    return Choice(promotion, False, winners[0] if winners else None, ALONE)
