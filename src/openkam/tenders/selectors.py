"""What a reader may see of tenders: lists, deadline alerts and the price memory of past
tenders. Every read goes through the issuer's visibility (`Tender.objects.visible_to`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from openkam.accounts.models import Account
from openkam.tenders.models import Status, Tender, TenderLine, TenderQuerySet
from openkam.users.permissions import AnyUser


@dataclass(frozen=True)
class TenderFilter:
    status: str = ""
    owner: int | None = None
    account: int | None = None
    # Open tenders whose deadline falls within this many days (or has passed).
    due_within: int | None = None


def tenders_for(
    user: AnyUser, flt: TenderFilter | None = None, now: datetime | None = None
) -> TenderQuerySet:
    rows = Tender.objects.visible_to(user).select_related("account", "owner", "winner")
    flt = flt or TenderFilter()
    if flt.status:
        rows = rows.filter(status=flt.status)
    if flt.owner is not None:
        rows = rows.filter(owner_id=flt.owner)
    if flt.account is not None:
        rows = rows.filter(account_id=flt.account)
    if flt.due_within is not None and now is not None:
        rows = rows.open().filter(deadline__lte=now + timedelta(days=flt.due_within))
    return rows


@dataclass(frozen=True)
class DeadlineAlert:
    tender: Tender
    days_left: int  # calendar days to the deadline's day; negative once that day has gone
    overdue: bool
    open_documents: int  # required documents not done yet


def alert_days() -> int:
    return int(getattr(settings, "OPENKAM_TENDER_ALERT_DAYS", 7))


def deadline_alerts(
    user: AnyUser, now: datetime, days: int | None = None, account: Account | None = None
) -> list[DeadlineAlert]:
    """Tenders in preparation whose deadline is within `days` (the setting by default) of
    `now`, or has passed: soonest first, with how many required documents are not done.
    (A later notifications feature calls this as is.)"""
    window = alert_days() if days is None else days
    rows = (
        Tender.objects.visible_to(user)
        .filter(status=Status.PREPARING, deadline__lte=now + timedelta(days=window))
        .select_related("account", "owner")
        .annotate(open_docs=Count("documents", filter=Q(documents__is_done=False)))
        .order_by("deadline", "pk")
    )
    if account is not None:
        rows = rows.filter(account=account)
    return [
        DeadlineAlert(
            tender=row,
            days_left=_days_between(now, row.deadline),
            overdue=row.deadline < now,
            open_documents=getattr(row, "open_docs", 0),
        )  # fmt: skip
        for row in rows
    ]


def _days_between(now: datetime, deadline: datetime) -> int:
    """Calendar days in local time: a deadline tomorrow morning is "1 day left"."""
    return (timezone.localdate(deadline) - timezone.localdate(now)).days


@dataclass(frozen=True)
class PastPrice:
    tender: Tender
    product_line: str
    quantity: Decimal | None
    our_price: Decimal | None
    winning_price: Decimal | None
    currency: str
    winner: str
    price_gap: Decimal | None  # our price against the winning price, %
    status: str
    decided_on: date | None


def group_of(account: Account) -> Q:
    """The issuer's group: every account under the same top (itself when alone)."""
    root = account.group_root_id or account.pk
    return Q(account_id=root) | Q(account__group_root_id=root)


def past_prices(
    user: AnyUser,
    issuer: Account,
    product_lines: Iterable[str],
    exclude: Tender | None = None,
    limit: int = 50,
) -> list[PastPrice]:
    """Earlier decided tenders of the issuer and its group for the same product lines,
    latest decision first: what we offered, what won, who won. Only what `user` sees."""
    wanted = sorted({line for line in product_lines if line})
    if not wanted:
        return []
    tenders = Tender.objects.visible_to(user).decided().filter(group_of(issuer))
    if exclude is not None:
        tenders = tenders.exclude(pk=exclude.pk)
    rows = (
        TenderLine.objects.filter(tender__in=tenders, product_line__in=wanted)
        .select_related("tender", "tender__winner", "tender__account")
        .order_by("-tender__decided_on", "-tender__pk", "product_line")[:limit]
    )
    return [
        PastPrice(
            tender=row.tender,
            product_line=row.product_line,
            quantity=row.quantity,
            our_price=row.our_price,
            winning_price=row.winning_price,
            currency=row.tender.currency,
            winner=row.tender.winner_label,
            price_gap=row.price_gap,
            status=row.tender.status,
            decided_on=row.tender.decided_on,
        )  # fmt: skip
        for row in rows
    ]
