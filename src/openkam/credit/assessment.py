"""The credit assessment of an account in one currency, and the verdict on an order.

The recommended maximum next order is computed in steps a person can follow (each step
is kept with its label and amount and shown as it is):

1. the credit limit in force (the account's own; without one, the group's);
2. less the open receivables (what the ledger says is owed, unapplied credit netted);
3. less the orders confirmed but not yet invoiced;
4. that room, cut by a share for a slow or a habitual late payer (average delay of the
   invoices paid in the last 12 months, norms in the collection and credit policies);
5. no more than the room left under the group's limit, when the group has one;
6. nothing at all while any undisputed invoice is overdue by more than the collection
   policy's hold days.

An account with no limit anywhere has no maximum: only rule 6 holds its orders.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openkam.accounts.models import Account
from openkam.core.templatetags.openkam_format import money
from openkam.credit.commitments import commitments
from openkam.credit.models import CreditException, CreditLimit, CreditPolicy, LimitScope
from openkam.receivables import engine
from openkam.receivables.collections import average_days_late
from openkam.receivables.engine import AccountScope
from openkam.receivables.models import CollectionPolicy, Dispute
from openkam.receivables.snapshots import KeptLedgers, kept_as_of

CENT = Decimal("0.01")
ZERO = Decimal(0)


@dataclass(frozen=True)
class Step:
    """One line of the computation, kept as a code and numbers (not words), so that the
    evidence frozen with an exception reads in the language of whoever opens it."""

    code: str
    amount: Decimal | None
    days: int | None = None
    percent: int | None = None

    @property
    def label(self) -> str:
        return str(STEP_LABELS[self.code]) % {"days": self.days, "percent": self.percent}

    @property
    def note(self) -> str:
        if self.code != "cut":
            return ""
        return str(gettext_lazy("invoices paid %(days)s days late on average")) % {
            "days": self.days
        }


STEP_LABELS = {
    "no_limit": gettext_lazy("No credit limit is set"),
    "limit": gettext_lazy("Credit limit"),
    "receivables": gettext_lazy("Less open receivables"),
    "orders": gettext_lazy("Less orders not yet invoiced"),
    "group_limit": gettext_lazy("Credit limit of the group"),
    "group_exposure": gettext_lazy("Less what the group owes and has ordered"),
    "room": gettext_lazy("Room under the limit"),
    "cut": gettext_lazy("Less %(percent)s%% for payment behaviour"),
    "group_cap": gettext_lazy("No more than the room left under the group's limit"),
    "hold": gettext_lazy("Held: debt overdue more than %(days)s days"),
    "recommended": gettext_lazy("Recommended maximum next order"),
}


@dataclass
class Assessment:
    account: Account
    currency: str
    on: date
    limit: CreditLimit | None = None
    group_limit: CreditLimit | None = None
    receivables: Decimal = ZERO
    orders: Decimal = ZERO
    overdue: Decimal = ZERO
    overdue_beyond_hold: Decimal = ZERO
    oldest_overdue_days: int = 0
    hold_days: int = 0
    average_days_late: float = 0.0
    cut_percent: int = 0
    group_exposure: Decimal = ZERO
    group_room: Decimal | None = None
    recommended: Decimal | None = None
    steps: list[Step] = field(default_factory=list)

    @property
    def exposure(self) -> Decimal:
        return self.receivables + self.orders

    @property
    def on_hold(self) -> bool:
        return self.overdue_beyond_hold > 0


@dataclass(frozen=True)
class Verdict:
    """May an order go ahead: `reasons` says why not; `exception` is the approved
    exception that lets it go ahead anyway."""

    assessment: Assessment
    reasons: list[str]
    exception: CreditException | None = None

    @property
    def passed(self) -> bool:
        return not self.reasons or self.exception is not None


def limit_in_force(account: Account, currency: str, scope: str, on: date) -> CreditLimit | None:
    return _limits_of(account, currency, on).get(scope)


def _limits_of(account: Account, currency: str, on: date) -> dict[str, CreditLimit]:
    """The account's own limit and its group's, in force on the day, in one query."""
    root_id = account.group_root_id or account.pk
    rows = CreditLimit.objects.filter(
        Q(account_id=account.pk, scope=LimitScope.ACCOUNT)
        | Q(account_id=root_id, scope=LimitScope.GROUP),
        currency=currency, valid_from__lte=on,
    ).order_by("-valid_from", "-id")  # fmt: skip
    latest: dict[str, CreditLimit] = {}
    for limit in rows:
        latest.setdefault(limit.scope, limit)
    return latest


def _group_ids(account: Account) -> list[int]:
    root_id = account.group_root_id or account.pk
    return list(Account.objects.filter(group_root_id=root_id).values_list("pk", flat=True)) or [
        account.pk
    ]


def _owed(account_ids: list[int], currency: str, on: date, kept: KeptLedgers) -> Decimal:
    rows = engine.aging(AccountScope.of_ids(account_ids), on, kept)
    return max(ZERO, sum((row.balance for row in rows if row.currency == currency), ZERO))


def _overdue(assessment: Assessment, hold_days: int, items: list[engine.OpenRow]) -> None:
    """Overdue amounts of the account, and those overdue beyond the hold days; an invoice
    under open dispute holds nothing (its amount is being argued, not withheld)."""
    disputed = set(
        Dispute.objects.filter(
            invoice__account=assessment.account, resolved_on__isnull=True
        ).values_list("invoice_id", flat=True)
    )
    for item in items:
        if item.currency != assessment.currency or item.due_on is None or item.amount <= 0:
            continue
        days = (assessment.on - item.due_on).days
        if days <= 0 or item.invoice_id in disputed:
            continue
        assessment.overdue += item.amount
        assessment.oldest_overdue_days = max(assessment.oldest_overdue_days, days)
        if days > hold_days:
            assessment.overdue_beyond_hold += item.amount


def assess(account: Account, currency: str, on: date) -> Assessment:
    collection = CollectionPolicy.current()
    policy = CreditPolicy.current()
    result = Assessment(account=account, currency=currency, on=on)
    result.hold_days = collection.hold_days_overdue
    limits = _limits_of(account, currency, on)
    result.limit = limits.get(LimitScope.ACCOUNT)
    result.group_limit = limits.get(LimitScope.GROUP)
    # One pass of the engine gives both what is owed and what is overdue.
    kept = kept_as_of(on)  # read once for both statements
    items = engine.open_items(AccountScope.of_ids([account.pk]), on, kept)
    owed = sum((item.amount for item in items if item.currency == currency), ZERO)
    result.receivables = max(ZERO, owed)
    result.orders = commitments([account.pk], currency)
    _overdue(result, collection.hold_days_overdue, items)
    result.average_days_late = average_days_late([account.pk], on).get(account.pk, 0.0)
    result.cut_percent = _cut(result.average_days_late, collection, policy)
    if result.group_limit is not None:
        members = _group_ids(account)
        result.group_exposure = _owed(members, currency, on, kept) + commitments(members, currency)
        result.group_room = max(ZERO, result.group_limit.amount - result.group_exposure)
    _recommend(result)
    return result


def _cut(days_late: float, collection: CollectionPolicy, policy: CreditPolicy) -> int:
    if days_late > collection.late_payer_days:
        return policy.late_payer_cut
    if days_late >= 1:
        return policy.slow_payer_cut
    return 0


def _recommend(result: Assessment) -> None:
    steps = result.steps
    room = _room(result)
    if room is None:
        steps.append(Step("no_limit", None))
    else:
        if result.cut_percent:
            room = (room * (100 - result.cut_percent) / 100).quantize(CENT)
            steps.append(
                Step("cut", room, days=round(result.average_days_late), percent=result.cut_percent)
            )
        if result.group_room is not None and result.limit is not None:
            room = min(room, result.group_room)
            steps.append(Step("group_cap", result.group_room))
        result.recommended = room
    if result.on_hold:
        result.recommended = ZERO
        steps.append(Step("hold", result.overdue_beyond_hold, days=result.hold_days))
    if result.recommended is not None:
        steps.append(Step("recommended", result.recommended))


def _room(result: Assessment) -> Decimal | None:
    """The limit less the exposure it caps: the account's own, else the group's."""
    steps = result.steps
    if result.limit is not None:
        steps.append(Step("limit", result.limit.amount))
        steps.append(Step("receivables", -result.receivables))
        steps.append(Step("orders", -result.orders))
        room = max(ZERO, result.limit.amount - result.exposure)
    elif result.group_limit is not None and result.group_room is not None:
        steps.append(Step("group_limit", result.group_limit.amount))
        steps.append(Step("group_exposure", -result.group_exposure))
        room = result.group_room
    else:
        return None
    steps.append(Step("room", room))
    return room


def check_order(
    account: Account,
    currency: str,
    amount: Decimal,
    on: date,
    exception: CreditException | None = None,
) -> Verdict:
    """The verdict on an order of `amount` that is not yet counted among open orders."""
    assessment = assess(account, currency, on)
    reasons = []
    if assessment.on_hold:
        reasons.append(
            _("%(amount)s is overdue more than %(days)s days.")
            % {
                "amount": money(assessment.overdue_beyond_hold, currency),
                "days": assessment.hold_days,
            }
        )
    if assessment.recommended is not None and amount > assessment.recommended:
        reasons.append(
            _("The order of %(amount)s is above the recommended maximum of %(maximum)s.")
            % {
                "amount": money(amount, currency),
                "maximum": money(assessment.recommended, currency),
            }
        )
    covering = (
        exception if exception is not None and exception.covers(amount, currency, on) else None
    )
    return Verdict(assessment=assessment, reasons=reasons, exception=covering)
