"""Reads about contracts; they follow the visibility of their account.

A listed contract gets its dates worked out (`with_schedule`: the next deadline, the end
of the term one can still act on, the notice date, the alert) and, when it has a volume
commitment, its progress from the ledger (`with_progress`, a few queries for the whole
list).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet

from openkam.accounts.models import Account
from openkam.contracts import dates
from openkam.contracts.models import Contract, ContractFile, ContractKind, ContractStatus
from openkam.contracts.progress import commitment_progress
from openkam.users import permissions
from openkam.users.permissions import AnyUser

MAX_ENDING_DAYS = 3650
CALENDAR_DAYS_BACK = 90  # as the feed's activities


@dataclass(frozen=True)
class ContractFilters:
    q: str = ""
    kind: str = ""
    status: str = ""  # a status, "" for every one
    ending_within: int | None = None  # days: the term ends (or notice is due) by then
    at_risk: bool = False
    account_id: int | None = None


def contract_list(
    *, user: AnyUser, filters: ContractFilters | None = None, today: date | None = None
) -> QuerySet[Contract]:
    """The visible contracts matching the filters the database can answer; `ending_within`
    and `at_risk` are only narrowed here, and decided by `apply_date_filters`."""
    filters = filters or ContractFilters()
    today = today or permissions.today()
    contracts = Contract.objects.visible_to(user).select_related("account")
    if filters.account_id is not None:
        contracts = contracts.filter(account_id=filters.account_id)
    if filters.kind in ContractKind.values:
        contracts = contracts.filter(kind=filters.kind)
    if filters.status in ContractStatus.values:
        contracts = contracts.filter(status=filters.status)
    if filters.q:
        contracts = contracts.filter(
            Q(number__icontains=filters.q) | Q(account__name__icontains=filters.q)
        )
    if filters.ending_within is not None:
        # Only contracts with an end can end; one that does not renew, not in the past.
        contracts = contracts.filter(ends_on__isnull=False).filter(
            Q(auto_renews=True) | Q(ends_on__gte=today)
        )
    if filters.at_risk:
        contracts = contracts.filter(
            status=ContractStatus.ACTIVE, commitment_amount__isnull=False
        ).exclude(commitment_currency="")
    return contracts.order_by("account__name", "-starts_on", "number", "pk")


def with_schedule(contracts: Iterable[Contract], *, today: date) -> list[Contract]:
    """Each contract with `deadline`, `term_end`, `notice_on` and `alert` set (no query)."""
    offsets = dates.alert_offsets()
    listed = list(contracts)
    for contract in listed:
        found = dates.deadline(contract, today)
        contract.deadline = found
        contract.term_end = found.term.end if found else contract.ends_on
        contract.notice_on = found.on if found and found.is_notice else None
        contract.alert = dates.alert(contract, today, offsets)
    return listed


def with_progress(contracts: Iterable[Contract], *, user: AnyUser, today: date) -> list[Contract]:
    """Each contract with `progress` set: its volume commitment's, or None."""
    listed = list(contracts)
    found = commitment_progress(listed, user=user, today=today)
    for contract in listed:
        contract.progress = found.get(contract.pk)
    return listed


def apply_date_filters(
    contracts: Iterable[Contract], filters: ContractFilters, *, today: date
) -> list[Contract]:
    """The filters on worked-out figures, over contracts read `with_schedule` (and
    `with_progress` for `at_risk`)."""
    listed = list(contracts)
    if filters.ending_within is not None:
        last = today + timedelta(days=filters.ending_within)
        listed = [c for c in listed if _ends_or_due_by(c, today, last)]
    if filters.at_risk:
        listed = [c for c in listed if c.progress is not None and c.progress.at_risk]
    return listed


def _ends_or_due_by(contract: Contract, today: date, last: date) -> bool:
    """The term's end or its notice date falls between today and `last`."""
    days = [contract.term_end, contract.notice_on]
    return any(day is not None and today <= day <= last for day in days)


def contract_rows(
    *, user: AnyUser, today: date, filters: ContractFilters | None = None
) -> list[Contract]:
    """The list of contracts as pages and the API show it: filtered, with dates and
    progress worked out."""
    filters = filters or ContractFilters()
    contracts = with_schedule(contract_list(user=user, filters=filters, today=today), today=today)
    contracts = with_progress(contracts, user=user, today=today)
    return apply_date_filters(contracts, filters, today=today)


def account_contracts(*, user: AnyUser, account: Account, today: date) -> list[Contract]:
    """A visible account's contracts, running ones first, with dates and progress."""
    filters = ContractFilters(account_id=account.pk)
    rows = contract_rows(user=user, today=today, filters=filters)
    order: dict[str, int] = {ContractStatus.ACTIVE: 0, ContractStatus.DRAFT: 1}
    return sorted(rows, key=lambda c: (order.get(c.status, 2), -c.starts_on.toordinal(), c.pk))


def contract_detail(*, user: AnyUser, contract: Contract, today: date) -> Contract:
    """One (visible) contract with its dates and progress worked out."""
    with_schedule([contract], today=today)
    with_progress([contract], user=user, today=today)
    return contract


def contract_alerts(
    *, user: AnyUser, today: date, account_id: int | None = None
) -> list[dates.Alert]:
    """The alerts of the active contracts `user` may see, nearest deadline first."""
    contracts = (
        Contract.objects.visible_to(user)
        .select_related("account")
        .filter(status=ContractStatus.ACTIVE, ends_on__isnull=False)
        .filter(Q(auto_renews=True) | Q(ends_on__gte=today))
    )
    if account_id is not None:
        contracts = contracts.filter(account_id=account_id)
    offsets = dates.alert_offsets()
    alerts = [found for c in contracts if (found := dates.alert(c, today, offsets))]
    return sorted(alerts, key=lambda a: (a.deadline.on, a.days_left, getattr(a.contract, "pk", 0)))


def at_risk_contracts(*, user: AnyUser, today: date) -> list[Contract]:
    """The visible active contracts whose volume commitment is at risk."""
    return contract_rows(user=user, today=today, filters=ContractFilters(at_risk=True))


def contract_files(*, user: AnyUser, contract: Contract) -> QuerySet[ContractFile]:
    return (
        ContractFile.objects.visible_to(user)
        .filter(contract=contract)
        .select_related("uploaded_by")
        .order_by("-created_at", "-id")
    )


def calendar_contracts(*, user: AnyUser, today: date) -> list[Contract]:
    """The visible active contracts with an end (for the calendar feed), with dates; one
    that does not renew only until `CALENDAR_DAYS_BACK` days after its end."""
    since = today - timedelta(days=CALENDAR_DAYS_BACK)
    contracts = (
        Contract.objects.visible_to(user)
        .select_related("account")
        .filter(status=ContractStatus.ACTIVE, ends_on__isnull=False)
        .filter(Q(auto_renews=True) | Q(ends_on__gte=since))
        .order_by("ends_on", "pk")
    )
    return with_schedule(contracts, today=today)
