"""The account timeline: everything that happened at an account, newest first.

Each source is one small function returning a queryset of the same columns (COLUMNS).
The page is one UNION ALL of the chosen sources, ordered and cut (LIMIT/OFFSET) in the
database, so a page costs the same whatever the page number and however much history
the account has. Date-only sources (invoices, payments, reviews, assignments) are cast to
datetimes at midnight so the union has one column type on SQLite and PostgreSQL.

Invoices and payments are summarised per day and currency (count and total), so a busy
account's timeline is not a wall of invoice numbers. Later sources (complaints,
contracts) add one function and one entry in SOURCES.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import (
    CharField,
    Count,
    DateTimeField,
    DecimalField,
    F,
    IntegerField,
    Max,
    QuerySet,
    Sum,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account, Assignment, AssignmentRole, KeyStatusChange, Tier
from openkam.activities.models import Activity, ActivityKind, ActivityStatus
from openkam.core import bounds
from openkam.core.models import MONEY_DIGITS, MONEY_PLACES
from openkam.ledger.models import Invoice, Payment
from openkam.plans.models import PlanHealth, PlanReview
from openkam.stakeholders.models import Attitude, AttitudeChange

PAGE_SIZE = 50
MONEY = DecimalField(max_digits=MONEY_DIGITS + 4, decimal_places=MONEY_PLACES)

# The columns every source selects, in this order (prefixed: models have fields called
# `kind` and `amount`, which an annotation may not shadow).
COLUMNS = (
    "t_kind",  # which source: see KINDS
    "t_at",  # when, as a datetime
    "t_subtype",  # activity kind, previous tier/attitude, assignment role
    "t_title",  # subject, plan title, contact name
    "t_state",  # status, new tier, health, attitude, currency of a money row
    "t_note",  # outcome, reason, comment
    "t_amount",  # money rows: total of the day
    "t_count",  # money rows: how many invoices or payments that day
    "t_object_id",  # the row's own id (for money rows: the day's largest id)
    "t_link_id",  # a related record to link to (plan, contact)
    "t_actor_id",  # who did it (or the assigned person)
)


def _text(value: str = "") -> Cast:
    return Cast(Value(value), CharField(max_length=200))


def _null(field) -> Cast:
    return Cast(Value(None), field)


def _day(field_name: str) -> Cast:
    return Cast(F(field_name), DateTimeField())


def _long_text(expression) -> Cast:
    return Cast(expression, TextField())


def _row(queryset: QuerySet, **columns) -> QuerySet:
    """Fill the missing columns with typed NULLs/blanks and select COLUMNS in order."""
    defaults = {
        "t_subtype": _text(),
        "t_title": _text(),
        "t_state": _text(),
        "t_note": _long_text(Value("")),
        "t_amount": _null(MONEY),
        "t_count": Cast(Value(1), IntegerField()),
        "t_link_id": _null(IntegerField()),
        "t_actor_id": _null(IntegerField()),
    }
    defaults.update(columns)
    return queryset.annotate(**defaults).values(*COLUMNS)


# --- the sources -----------------------------------------------------------------------


def activities_source(user, account: Account) -> QuerySet:
    rows = Activity.objects.visible_to(user).filter(account=account)
    rows = rows.exclude(status=ActivityStatus.CANCELLED).order_by()
    return _row(
        rows,
        t_kind=_text("activity"),
        t_at=F("starts_at"),
        t_subtype=Cast(F("kind"), CharField(max_length=200)),
        t_title=Cast(F("subject"), CharField(max_length=200)),
        t_state=Cast(F("status"), CharField(max_length=200)),
        t_note=_long_text(F("outcome")),
        t_object_id=F("pk"),
        t_actor_id=F("owner_id"),
    )


def _money_per_day(queryset: QuerySet, kind: str, day: str, amount: str) -> QuerySet:
    grouped = queryset.order_by().values(day, "currency")
    return _row(
        grouped,
        t_kind=_text(kind),
        t_at=_day(day),
        t_state=Cast(F("currency"), CharField(max_length=200)),
        t_amount=Cast(Sum(amount), MONEY),
        t_count=Cast(Count("pk"), IntegerField()),
        t_object_id=Max("pk"),
    )


def invoices_source(user, account: Account) -> QuerySet:
    invoices = Invoice.objects.visible_to(user).filter(account=account)
    return _money_per_day(invoices, "invoices", "issued_on", "net_total")


def payments_source(user, account: Account) -> QuerySet:
    payments = Payment.objects.visible_to(user).filter(account=account)
    return _money_per_day(payments, "payments", "paid_on", "amount")


def key_status_source(user, account: Account) -> QuerySet:
    rows = KeyStatusChange.objects.visible_to(user).filter(account=account).order_by()
    return _row(
        rows,
        t_kind=_text("key_status"),
        t_at=F("decided_at"),
        t_subtype=Cast(F("previous_tier"), CharField(max_length=200)),
        t_state=Cast(F("tier"), CharField(max_length=200)),
        t_note=_long_text(F("reason")),
        t_object_id=F("pk"),
        t_actor_id=F("decided_by_id"),
    )


def assignment_starts_source(user, account: Account) -> QuerySet:
    rows = Assignment.objects.visible_to(user).filter(account=account).order_by()
    return _row(
        rows,
        t_kind=_text("assignment_start"),
        t_at=_day("starts_on"),
        t_subtype=Cast(F("role"), CharField(max_length=200)),
        t_object_id=F("pk"),
        t_actor_id=F("user_id"),
    )


def assignment_ends_source(user, account: Account) -> QuerySet:
    rows = Assignment.objects.visible_to(user).filter(account=account, ends_on__isnull=False)
    return _row(
        rows.order_by(),
        t_kind=_text("assignment_end"),
        t_at=_day("ends_on"),
        t_subtype=Cast(F("role"), CharField(max_length=200)),
        t_object_id=F("pk"),
        t_actor_id=F("user_id"),
    )


def plan_reviews_source(user, account: Account) -> QuerySet:
    rows = PlanReview.objects.visible_to(user).filter(plan__account=account).order_by()
    return _row(
        rows,
        t_kind=_text("plan_review"),
        t_at=_day("reviewed_on"),
        t_title=Cast(F("plan__title"), CharField(max_length=200)),
        t_state=Cast(F("health"), CharField(max_length=200)),
        t_note=_long_text(F("comment")),
        t_object_id=F("pk"),
        t_link_id=F("plan_id"),
        t_actor_id=F("reviewer_id"),
    )


def attitude_source(user, account: Account) -> QuerySet:
    rows = AttitudeChange.objects.visible_to(user).filter(contact__account=account).order_by()
    name = Concat(
        F("contact__first_name"), Value(" "), F("contact__last_name"), output_field=CharField()
    )
    return _row(
        rows,
        t_kind=_text("attitude"),
        t_at=F("changed_at"),
        t_subtype=Cast(F("previous_attitude"), CharField(max_length=200)),
        t_title=Cast(name, CharField(max_length=200)),
        t_state=Cast(F("attitude"), CharField(max_length=200)),
        t_note=_long_text(F("note")),
        t_object_id=F("pk"),
        t_link_id=F("contact_id"),
        t_actor_id=F("changed_by_id"),
    )


Source = Callable[..., QuerySet]

# Filter name -> (label, sources). The order is the order of the filter buttons.
SOURCES: dict[str, tuple[str | Promise, tuple[Source, ...]]] = {
    "activities": (_("Activities"), (activities_source,)),
    "invoices": (_("Invoices"), (invoices_source,)),
    "payments": (_("Payments"), (payments_source,)),
    "key_status": (_("Key status"), (key_status_source,)),
    "assignments": (_("Assignments"), (assignment_starts_source, assignment_ends_source)),
    "plan_reviews": (_("Plan reviews"), (plan_reviews_source,)),
    "attitudes": (_("Attitudes"), (attitude_source,)),
}


# --- the page --------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    kind: str
    at: datetime
    subtype: str
    title: str
    state: str
    note: str
    amount: Decimal | None
    count: int
    object_id: int
    link_id: int | None
    actor_id: int | None
    actor: object = None

    @property
    def is_day(self) -> bool:
        """Date-only events: show the day, not a midnight time."""
        return self.kind not in {"activity", "key_status", "attitude"}

    @property
    def on(self) -> date:
        at = self.at
        if self.is_day:
            return at.date()  # midnight UTC: the day itself, whatever the local zone
        return timezone.localtime(at).date()

    @property
    def subtype_label(self) -> str:
        return _label(self.kind, self.subtype)

    @property
    def state_label(self) -> str:
        return _label(self.kind, self.state)


def _label(kind: str, code: str) -> str:
    choices = {
        "activity": {**dict(ActivityKind.choices), **dict(ActivityStatus.choices)},
        "key_status": dict(Tier.choices),
        "assignment_start": dict(AssignmentRole.choices),
        "assignment_end": dict(AssignmentRole.choices),
        "plan_review": dict(PlanHealth.choices),
        "attitude": dict(Attitude.choices),
    }.get(kind, {})
    return str(choices.get(code, code))


@dataclass(frozen=True)
class TimelinePage:
    entries: list[TimelineEntry]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def selected_kinds(raw) -> list[str]:
    """The filter names asked for that exist; none (or only unknown ones) means all."""
    kinds = [kind for kind in (raw or []) if kind in SOURCES]
    return kinds or list(SOURCES)


def timeline_queryset(*, user, account: Account, kinds: list[str] | None = None) -> QuerySet:
    """The UNION ALL of the chosen sources, newest first, in one total order."""
    sources = [
        source(user, account) for kind in selected_kinds(kinds) for source in SOURCES[kind][1]
    ]
    first, *rest = sources
    union = first.union(*rest, all=True) if rest else first
    # Ties on the same instant are broken by the id and then the source, so the order is
    # total and LIMIT/OFFSET pages neither repeat nor skip a row.
    return union.order_by("-t_at", "-t_object_id", "t_kind", "t_state")


def timeline_page(
    *,
    user,
    account: Account,
    kinds: list[str] | None = None,
    page: int = 1,
    per_page: int = PAGE_SIZE,
) -> TimelinePage:
    """One page of the timeline: one query for the rows, one for the people named."""
    page = max(1, page)
    offset = bounds.page_offset(page, per_page)
    rows = [] if offset is None else list(timeline_queryset(user=user, account=account, kinds=kinds)[
        offset : offset + per_page + 1
    ])  # fmt: skip
    entries = [_entry(row) for row in rows[:per_page]]
    return TimelinePage(entries=_with_actors(entries), number=page, has_next=len(rows) > per_page)


def _entry(row: dict) -> TimelineEntry:
    return TimelineEntry(
        kind=row["t_kind"],
        at=row["t_at"],
        subtype=row["t_subtype"] or "",
        title=(row["t_title"] or "").strip(),
        state=row["t_state"] or "",
        note=row["t_note"] or "",
        amount=None
        if row["t_amount"] is None
        else Decimal(row["t_amount"]).quantize(Decimal("0.01")),
        count=int(row["t_count"] or 0),
        object_id=row["t_object_id"],
        link_id=row["t_link_id"],
        actor_id=row["t_actor_id"],
    )


def _with_actors(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    """Name the people of a page in one query (only user names, no account data)."""
    from dataclasses import replace

    from openkam.users.models import User

    ids = {entry.actor_id for entry in entries if entry.actor_id}
    users = User.objects.in_bulk(ids) if ids else {}
    return [replace(entry, actor=users.get(entry.actor_id)) for entry in entries]
