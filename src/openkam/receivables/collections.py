"""Chasing what is overdue: promises and their keeping, the dunning level of each account,
and the worklist of who to chase today, most urgent first.

The worklist reads the stored open items (`refresh.py`) and counts days against today:
- an invoice under an open dispute is not chased (it stays in the aging);
- an account whose promise to pay is still running is paused until the promised day;
- a hold from another app (an open complaint, a key deal: `holds.py`) pauses it too;
- the level is the highest dunning level whose day the most overdue chased invoice has
  reached (a negative level reminds before the due date);
- the next step is due today when the account reached a level no step was taken at
  yet, else on the `next step on` day of the last step;
- ranking: broken promises first, then habitual late payers, then the highest level,
  then the largest amount.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account, Assignment, AssignmentRole
from openkam.ledger.models import Payment
from openkam.receivables.holds import holds_for
from openkam.receivables.models import (
    CollectionPolicy,
    CollectionStep,
    Dispute,
    DunningLevel,
    OpenItem,
    PromiseToPay,
    StepOwner,
)
from openkam.stakeholders.models import BuyingRole, Contact
from openkam.users.permissions import AnyUser

LATE_PAYER_MONTHS = 12


class PromiseState:
    OPEN, KEPT, BROKEN, WITHDRAWN = "open", "kept", "broken", "withdrawn"
    LABELS = {
        "open": _("open"), "kept": _("kept"), "broken": _("broken"), "withdrawn": _("withdrawn"),
    }  # fmt: skip


def with_paid(promises: QuerySet[PromiseToPay]) -> QuerySet[PromiseToPay]:
    """Promises with `paid`: what the account paid in the promise's currency from the day
    it was given to the promised day."""
    paid = (
        Payment.objects.filter(
            account_id=OuterRef("account_id"),
            currency=OuterRef("currency"),
            paid_on__gte=OuterRef("given_on"),
            paid_on__lte=OuterRef("promised_on"),
        )
        .order_by()
        .values("account_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    money = DecimalField(max_digits=18, decimal_places=2)
    return promises.annotate(paid=Coalesce(Subquery(paid, output_field=money), Decimal(0)))


def promise_state(promise: PromiseToPay, today: date) -> str:
    """Kept as soon as the payments reach the amount; broken the day after the promised
    day if they did not; withdrawn when a person took it back before."""
    if Decimal(str(promise.paid)) >= promise.amount:  # type: ignore[attr-defined]
        return PromiseState.KEPT
    if promise.cancelled_on is not None:
        return PromiseState.WITHDRAWN
    if today > promise.promised_on:
        return PromiseState.BROKEN
    return PromiseState.OPEN


def broken_promises(account_ids, today: date, since: date) -> dict[int, int]:
    """How many promises each account broke since a day."""
    counts: dict[int, int] = defaultdict(int)
    promises = with_paid(
        PromiseToPay.objects.filter(account_id__in=account_ids, promised_on__gte=since)
    )
    for promise in promises:
        if promise_state(promise, today) == PromiseState.BROKEN:
            counts[promise.account_id] += 1
    return counts


def average_days_late(account_ids, today: date) -> dict[int, float]:
    """Per account: how late, on average, payments naming an invoice came in the last year
    (an early payment counts as on time)."""
    since = today - timedelta(days=365)
    rows = Payment.objects.filter(
        account_id__in=account_ids, paid_on__gte=since, invoice__due_on__isnull=False
    ).values_list("account_id", "paid_on", "invoice__due_on")
    late: dict[int, list[int]] = defaultdict(list)
    for account_id, paid_on, due_on in rows.iterator(chunk_size=5000):
        assert due_on is not None  # filtered above
        late[account_id].append(max(0, (paid_on - due_on).days))
    return {account_id: sum(days) / len(days) for account_id, days in late.items()}


@dataclass
class WorkItem:
    account: Account
    currency: str
    overdue: Decimal  # chased: past due, not disputed
    disputed: Decimal
    max_days: int
    level: DunningLevel | None
    next_on: date | None
    owner: str  # the KAM's name or a role
    contact: Contact | None = None
    last_step: CollectionStep | None = None
    paused_until: date | None = None
    holds: list[str] = field(default_factory=list)
    broken_promises: int = 0
    days_late: float | None = None
    late_payer: bool = False

    @property
    def due_today(self) -> bool:
        return not self.paused and self.next_on is not None and self.next_on <= self._today

    @property
    def paused(self) -> bool:
        return self.paused_until is not None or bool(self.holds)

    _today: date = date.min

    def rank(self) -> tuple:
        return (
            -self.broken_promises,
            not self.late_payer,
            -(self.level.days if self.level else -10_000),
            -self.overdue,
            self.account.name,
        )


def worklist(*, user: AnyUser, today: date) -> list[WorkItem]:
    """Every visible account and currency with something to chase, most urgent first."""
    levels = list(DunningLevel.objects.order_by("days"))
    lead = -min((level.days for level in levels), default=0)
    items = _chased_items(user, today, max(lead, 0))
    if not items:
        return []
    account_ids = {account_id for account_id, _currency in items}
    accounts = Account.objects.in_bulk(account_ids)
    context = _Context(account_ids, today)
    work = []
    for (account_id, currency), (overdue, disputed, max_days) in items.items():
        level = _level_for(levels, max_days)
        if level is None:
            continue
        item = WorkItem(
            account=accounts[account_id], currency=currency, overdue=overdue,
            disputed=disputed, max_days=max_days, level=level, next_on=None,
            owner=context.owner(account_id, level),
        )  # fmt: skip
        context.fill(item)
        item._today = today
        work.append(item)
    work.sort(key=WorkItem.rank)
    return work


def _level_for(levels: list[DunningLevel], days: int) -> DunningLevel | None:
    reached = [level for level in levels if level.days <= days]
    return reached[-1] if reached else None


def _chased_items(user, today: date, lead: int) -> dict[tuple[int, str], tuple]:
    """{(account, currency): (chased amount, disputed amount, most days overdue)} over the
    stored open invoices due by `lead` days from today."""
    disputed = set(
        Dispute.objects.filter(resolved_on__isnull=True).values_list("invoice_id", flat=True)
    )
    rows = (
        OpenItem.objects.visible_to(user)
        .filter(due_on__isnull=False, amount__gt=0, due_on__lte=today + timedelta(days=lead))
        .values_list("account_id", "currency", "invoice_id", "due_on", "amount")
    )
    items: dict[tuple[int, str], list] = {}
    for account_id, currency, invoice_id, due_on, amount in rows.iterator(chunk_size=5000):
        entry = items.setdefault((account_id, currency), [Decimal(0), Decimal(0), None])
        if invoice_id in disputed:
            entry[1] += amount
            continue
        days = (today - due_on).days if due_on else 0
        if days > 0:
            entry[0] += amount
        entry[2] = days if entry[2] is None else max(entry[2], days)
    return {key: tuple(value) for key, value in items.items() if value[2] is not None}


class _Context:
    """What the worklist needs about its accounts, read once for all of them."""

    def __init__(self, account_ids: set[int], today: date):
        self.today = today
        policy = CollectionPolicy.current()
        self.late_payer_days = policy.late_payer_days
        self.kams = dict(
            Assignment.objects.active(today)
            .filter(account_id__in=account_ids, role=AssignmentRole.OWNER)
            .values_list("account_id", "user__last_name")
        )
        self.steps: dict[tuple[int, str], CollectionStep] = {}
        for step in (
            CollectionStep.objects.filter(account_id__in=account_ids)
            .select_related("level")
            .order_by("done_on", "pk")
        ):
            self.steps[(step.account_id, step.currency)] = step
        self.promises: dict[tuple[int, str], date] = {}
        running = with_paid(
            PromiseToPay.objects.filter(
                account_id__in=account_ids, cancelled_on__isnull=True, promised_on__gte=today
            )
        )
        for promise in running:
            if promise_state(promise, today) == PromiseState.OPEN:
                key = (promise.account_id, promise.currency)
                self.promises[key] = max(self.promises.get(key, today), promise.promised_on)
        self.broken = broken_promises(account_ids, today, today - timedelta(days=365))
        self.late = average_days_late(account_ids, today)
        self.holds = holds_for(account_ids, today)
        self.payers = _payer_contacts(account_ids)

    def owner(self, account_id: int, level: DunningLevel) -> str:
        if level.owner == StepOwner.KAM:
            return self.kams.get(account_id) or str(StepOwner.KAM.label)
        return str(StepOwner(level.owner).label)

    def fill(self, item: WorkItem) -> None:
        key = (item.account.pk, item.currency)
        item.last_step = self.steps.get(key)
        last = item.last_step
        # A step taken without a level (a call made on the API) keeps its own next date
        # until the debt reaches a level above the last step's.
        reached_new_level = last is None or (
            item.level is not None and last.level is not None and last.level.days < item.level.days
        )
        item.next_on = self.today if reached_new_level or last is None else last.next_on
        item.paused_until = self.promises.get(key)
        item.holds = self.holds.get(item.account.pk, [])
        item.broken_promises = self.broken.get(item.account.pk, 0)
        item.days_late = self.late.get(item.account.pk)
        item.late_payer = (item.days_late or 0) >= self.late_payer_days
        item.contact = self.payers.get(item.account.pk)


def _payer_contacts(account_ids) -> dict[int, Contact]:
    """The person reminders go to: the account's payer, else its economic buyer."""
    chosen: dict[int, Contact] = {}
    preference: dict[str, int] = {BuyingRole.PAYER: 0, BuyingRole.ECONOMIC_BUYER: 1}
    contacts = Contact.objects.filter(
        account_id__in=account_ids, buying_role__in=list(preference), is_archived=False,
        left_on__isnull=True,
    ).order_by("last_name", "pk")  # fmt: skip
    for contact in contacts:
        current = chosen.get(contact.account_id)
        if current is None or preference[contact.buying_role] < preference[current.buying_role]:
            chosen[contact.account_id] = contact
    return chosen
