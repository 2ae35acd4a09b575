"""The per-user calendar subscription: its secret token and what the feed holds.

The feed holds the user's OWN meetings, visits and calls (planned or done), from
`FEED_DAYS_BACK` days ago on, on accounts the user sees today. A deputy's feed does not
hold the absent KAM's meetings: those are the absent KAM's appointments, not the
deputy's, and the deputy sees them in the account's activity list when needed.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from openkam.activities.models import CALENDAR_KINDS, Activity, ActivityStatus, CalendarFeed
from openkam.activities.selectors import day_start, with_details
from openkam.users import permissions

FEED_DAYS_BACK = 90


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_reset(*, user) -> str:
    """Make (or replace) the user's feed token and return it; only its hash is kept."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        user=user, defaults={"token_hash": _hash(token), "last_used_at": None}
    )
    return token


@transaction.atomic
def calendar_feed_delete(*, user) -> None:
    CalendarFeed.objects.filter(user=user).delete()


def feed_of(user) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


def user_for_feed_token(token: str):
    """The active user whose feed this token opens, or None (unknown, reset, inactive)."""
    if not token:
        return None
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=_hash(token), user__is_active=True)
        .first()
    )
    if feed is None:
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed.user


def feed_activities(*, user, today: date | None = None) -> QuerySet:
    """What the user's subscription shows (visible, own, diary kinds, not cancelled)."""
    today = today or permissions.today()
    activities = Activity.objects.visible_to(user).filter(
        owner=user,
        kind__in=CALENDAR_KINDS,
        status__in=(ActivityStatus.PLANNED, ActivityStatus.DONE),
        starts_at__gte=day_start(today - timedelta(days=FEED_DAYS_BACK)),
    )
    return with_details(activities, user=user).order_by("starts_at", "pk")
