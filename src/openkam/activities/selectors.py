"""Reads about activities. Every function takes the user and starts from `visible_to(user)`.

The planner is personal: the week and the overdue list hold the user's OWN activities
(a deputy plans their own visits; the absent KAM's meetings stay in that KAM's planner).
Suggestions cover every key or strategic account the user works today, their own or the
absent KAM's they stand in for, because a deputy keeps those relationships warm.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db.models import F, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from openkam.accounts.models import Account, Assignment, Tier
from openkam.activities.models import (
    CALENDAR_KINDS,
    CONTACT_KINDS,
    Activity,
    ActivityKind,
    ActivityStatus,
)
from openkam.users import permissions
from openkam.users.models import User
from openkam.users.permissions import AnyUser

if TYPE_CHECKING:
    from openkam.stakeholders.models import Contact

# What the week view shows: things with a time in the diary.
PLANNER_KINDS = CALENDAR_KINDS | {ActivityKind.TASK}
SUGGESTED_TIERS = (Tier.KEY, Tier.STRATEGIC)


def day_start(day: date) -> datetime:
    """Midnight at the start of `day` in the project's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def with_details(activities: QuerySet[Activity], *, user: AnyUser | None) -> QuerySet[Activity]:
    """Account, owner and participants in a fixed number of queries, whatever the rows.

    Participants are only the people `user` may see: a meeting on a subsidiary with people
    of a group account hidden from the reader shows the reader's people alone, on the page,
    in the .ics and in the API, as if the others were not there.
    """
    from openkam.stakeholders.models import Contact

    people = Contact.objects.visible_to(user).order_by("last_name", "first_name", "pk")
    # Loaded into `activity.contacts.all()` itself, so templates read the filtered list.
    return activities.select_related("account", "owner").prefetch_related(
        Prefetch("contacts", queryset=people)
    )


def participants(activity: Activity) -> list[Contact]:
    """The people of an activity as `with_details` loaded them for its reader; none when
    the activity was not loaded that way (never the unfiltered list)."""
    loaded = getattr(activity, "_prefetched_objects_cache", {}).get("contacts")
    return [] if loaded is None else list(loaded)


def week_activities(*, user: User, week_start: date, days: int = 7) -> QuerySet[Activity]:
    """The user's planned and done diary activities in the `days` days from `week_start`."""
    start = day_start(week_start)
    activities = Activity.objects.visible_to(user).filter(
        owner=user,
        kind__in=PLANNER_KINDS,
        status__in=(ActivityStatus.PLANNED, ActivityStatus.DONE),
        starts_at__gte=start,
        starts_at__lt=day_start(week_start + timedelta(days=days)),
    )
    return with_details(activities, user=user).order_by("starts_at", "pk")


def overdue_activities(*, user: User, today: date) -> QuerySet[Activity]:
    """The user's activities still planned although their day has passed."""
    activities = Activity.objects.visible_to(user).filter(
        owner=user, status=ActivityStatus.PLANNED, starts_at__lt=day_start(today)
    )
    return with_details(activities, user=user).order_by("starts_at", "pk")


def account_activities(
    *, user: AnyUser, account: Account, kind: str = "", status: str = ""
) -> QuerySet[Activity]:
    """Every visible activity of one account, newest first, optionally by kind and status."""
    activities = Activity.objects.visible_to(user).filter(account=account)
    if kind:
        activities = activities.filter(kind=kind)
    if status:
        activities = activities.filter(status=status)
    return with_details(activities, user=user).order_by("-starts_at", "-pk")


def activity_list(
    *,
    user: AnyUser,
    account_id: int | None = None,
    starts_from: date | None = None,
    starts_to: date | None = None,
    status: str = "",
    kind: str = "",
) -> QuerySet[Activity]:
    """Visible activities for the API: by account, start day range (inclusive), status, kind."""
    activities = Activity.objects.visible_to(user)
    if account_id is not None:
        activities = activities.filter(account_id=account_id)
    if starts_from is not None:
        activities = activities.filter(starts_at__gte=day_start(starts_from))
    if starts_to is not None:
        activities = activities.filter(starts_at__lt=day_start(starts_to + timedelta(days=1)))
    if status:
        activities = activities.filter(status=status)
    if kind:
        activities = activities.filter(kind=kind)
    return with_details(activities, user=user).order_by("-starts_at", "-pk")


def week_counts(*, user: User, week_start: date, weeks: int = 8) -> list[tuple[date, int]]:
    """Customer conversations held (done) per week, the last `weeks` weeks up to this one.

    Information for the KAM's own rhythm, never a quota: no target is attached.
    """
    first = week_start - timedelta(weeks=weeks - 1)
    starts = (
        Activity.objects.visible_to(user)
        .filter(
            owner=user,
            status=ActivityStatus.DONE,
            kind__in=CONTACT_KINDS,
            starts_at__gte=day_start(first),
            starts_at__lt=day_start(week_start + timedelta(days=7)),
        )
        .values_list("starts_at", flat=True)
    )
    counts = {first + timedelta(weeks=i): 0 for i in range(weeks)}
    for started in starts:
        counts[monday_of(local_date(started))] += 1
    return sorted(counts.items())


@dataclass(frozen=True)
class ContactSuggestion:
    account: Account
    last_contact_on: date | None
    days_since: int | None  # None: never contacted


def worked_accounts(*, user: AnyUser, today: date) -> QuerySet[Account]:
    """Accounts the user works today: assigned to them or to whom they stand in for.

    Heads and administrators see the whole portfolio, so for them it is every visible
    account. The read-only roles (finance, viewers) see it too but work none.
    """
    if not permissions.can_edit_account_work(user):
        return Account.objects.none()
    accounts = Account.objects.visible_to(user)
    if permissions.sees_all_accounts(user):
        return accounts
    acting = permissions.acting_for_user_ids(user, today)
    assigned = Assignment.objects.active(today).filter(user_id__in=acting)
    return accounts.filter(pk__in=assigned.values("account_id"))


def contact_suggestions(*, user: AnyUser, today: date, limit: int = 10) -> list[ContactSuggestion]:
    """Key and strategic accounts with no customer contact for longest; never-contacted first.

    Contact means a done meeting, visit, call or e-mail; planned ones do not count, but an
    account with a contact already planned from today on is left out: it is in hand.
    """
    contact_q = Q(activities__status=ActivityStatus.DONE, activities__kind__in=CONTACT_KINDS)
    planned = Activity.objects.filter(
        status=ActivityStatus.PLANNED, kind__in=CONTACT_KINDS, starts_at__gte=day_start(today)
    )
    accounts = (
        worked_accounts(user=user, today=today)
        .filter(tier__in=SUGGESTED_TIERS, is_archived=False)
        .exclude(pk__in=planned.values("account_id"))
        .annotate(last_contact_at=Max("activities__starts_at", filter=contact_q))
        # Never contacted first: say so, NULLs sort differently on SQLite and PostgreSQL.
        .order_by(F("last_contact_at").asc(nulls_first=True), "name", "pk")
    )
    suggestions = []
    for account in accounts[:limit]:
        last = account.last_contact_at
        last_day = local_date(last) if last else None
        days = (today - last_day).days if last_day else None
        suggestions.append(ContactSuggestion(account, last_day, days))
    return suggestions
