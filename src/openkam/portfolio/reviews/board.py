"""The portfolio board: each KAM's load against capacity, and reassignment that keeps history."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.accounts.models import Account, Assignment, AssignmentRole, Tier
from openkam.accounts.services import assignment_hand_over, assignment_start
from openkam.portfolio.models import AnalysisSettings, Scope
from openkam.users import permissions
from openkam.users.models import KAM_ROLES, Role, User

# Later apps (plans, activities, opportunities) register a function here that moves a
# departing owner's open work on an account to the new owner: fn(account, from_user, to_user).
OPEN_WORK_MOVERS: list[Callable[[Account, User, User], int]] = []


# The tiers of the key list: they take a KAM's capacity, as in reviews.
KEY_LIST_TIERS = (Tier.KEY, Tier.STRATEGIC)
ZERO = Decimal("0.00")


@dataclass
class KamLoad:
    user: User
    key_accounts: int = 0  # key and strategic: the key list, which takes the capacity
    strategic_accounts: int = 0
    accounts: int = 0
    groups: int = 0
    currency: str = ""  # the board's currency: revenue and margin are in it
    revenue: Decimal = ZERO
    margin: Decimal = ZERO
    # Revenue of owned accounts that sell in other currencies, never summed with the above.
    other_currencies: dict[str, Decimal] = field(default_factory=dict)
    capacity: int = 0
    key_account_ids: list[int] = field(default_factory=list)

    @property
    def over_capacity(self) -> bool:
        return self.key_accounts > self.capacity

    @property
    def free_places(self) -> int:
        return max(self.capacity - self.key_accounts, 0)

    @property
    def load_percent(self) -> int:
        return round(100 * self.key_accounts / self.capacity) if self.capacity else 0


def board_kams(viewer: User) -> QuerySet[User]:
    """The KAMs whose load `viewer` may see: all for heads; self and juniors for a senior."""
    kams = User.objects.filter(is_active=True, role__in=KAM_ROLES)
    if permissions.sees_all_accounts(viewer):
        return kams
    if viewer.role == Role.SENIOR_KAM:
        return kams.filter(Q(pk=viewer.pk) | Q(senior=viewer))
    return kams.filter(pk=viewer.pk)


def owned_on(on: date, user_ids) -> QuerySet[Assignment]:
    """Owner assignments held on `on` (one owner per account and day)."""
    return Assignment.objects.active(on).filter(role=AssignmentRole.OWNER, user_id__in=user_ids)


def board_currency(money_rows: Iterable[Mapping[str, Any]]) -> str:
    """The currency most owned accounts sell in (the company's own, as a rule), then the
    one with more revenue; from the rows of the money query, one per KAM and currency."""
    accounts: dict[str, int] = {}
    revenue: dict[str, Decimal] = {}
    for row in money_rows:
        code = row["account__currency"]
        accounts[code] = accounts.get(code, 0) + row["count"]
        revenue[code] = revenue.get(code, ZERO) + (row["revenue"] or ZERO)
    if not accounts:
        return ""
    return min(accounts, key=lambda code: (-accounts[code], -revenue[code], code))


def kam_loads(*, viewer: User, on: date | None = None) -> list[KamLoad]:
    """Owner load per KAM: accounts, key-list accounts, groups, revenue and margin of the
    last analysis (in the board's currency; other currencies apart)."""
    on = on or timezone.localdate()
    capacity = AnalysisSettings.current().max_key_per_kam
    loads = {user.pk: KamLoad(user=user, capacity=capacity) for user in board_kams(viewer)}
    owned = owned_on(on, loads)
    totals = owned.values("user_id").annotate(
        accounts=Count("account_id", distinct=True),
        groups=Count("account__group_root_id", distinct=True),
        key=Count("account_id", filter=Q(account__tier__in=KEY_LIST_TIERS), distinct=True),
        strategic=Count("account_id", filter=Q(account__tier=Tier.STRATEGIC), distinct=True),
    )
    for row in totals:
        load = loads[row["user_id"]]
        load.accounts, load.groups = row["accounts"], row["groups"]
        load.key_accounts, load.strategic_accounts = row["key"], row["strategic"]
    # Joined from the assignments side: starting from the metrics with `assignments__in`
    # made SQLite probe the assignment subquery per metrics row (1.2 s on the demo).
    money = list(
        owned.filter(account__metrics__scope=Scope.ENTITY)
        .values("user_id", "account__currency")
        .annotate(
            revenue=Sum("account__metrics__revenue"),
            margin=Sum("account__metrics__margin"),
            count=Count("account_id"),
        )
    )
    currency = board_currency(money)
    for load in loads.values():
        load.currency = currency
    for sums in money:
        load = loads[sums["user_id"]]
        if sums["account__currency"] == currency:
            load.revenue, load.margin = sums["revenue"] or ZERO, sums["margin"] or ZERO
        elif sums["revenue"]:
            load.other_currencies[sums["account__currency"]] = sums["revenue"]
    for user_id, account_id in owned.filter(account__tier__in=KEY_LIST_TIERS).values_list(
        "user_id", "account_id"
    ):
        loads[user_id].key_account_ids.append(account_id)
    return sorted(loads.values(), key=lambda load: (-load.revenue, load.user.username))


@transaction.atomic
def portfolio_reassign(
    *,
    actor: User,
    account: Account,
    to_user: User,
    role: str = AssignmentRole.OWNER,
    from_user: User | None = None,
    on: date | None = None,
) -> Assignment:
    """Give `account` to `to_user` in `role` from `on`; the previous holder's assignment ends
    that day (history kept) and their open work on the account moves with it.

    For support and junior roles, which several people may hold, `from_user` names whose
    assignment ends; without it the new person is added alongside.
    """
    permissions.require_portfolio_manager(actor)
    if not to_user.is_active or to_user.role not in KAM_ROLES:
        raise ValidationError({"to_user": _("Accounts can only be given to an active KAM.")})
    on = on or timezone.localdate()
    previous = list(
        Assignment.objects.active(on).filter(account=account, role=role).select_related("user")
    )
    if role != AssignmentRole.OWNER:
        previous = [a for a in previous if from_user is not None and a.user_id == from_user.pk]
    if any(a.user_id == to_user.pk for a in previous):
        raise ValidationError(
            {"to_user": _("%(user)s already holds this account.") % {"user": to_user}}
        )
    if role != AssignmentRole.OWNER:  # the owner's hand-over is done by assignment_start
        for old in previous:
            assignment_hand_over(actor=actor, assignment=old, on=on)
    assignment = assignment_start(
        actor=actor, account=account, user=to_user, role=role, starts_on=on
    )
    for old in previous:
        for move in OPEN_WORK_MOVERS:
            move(account, old.user, to_user)
    return assignment
