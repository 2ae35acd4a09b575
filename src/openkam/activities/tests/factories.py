"""Test helpers: contacts and activities written through the services."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from openkam.activities import services
from openkam.activities.models import ActivityKind
from openkam.stakeholders.services import contact_create


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def person(company, key: str, last_name: str, **fields):
    return contact_create(
        actor=company["head"], account=company[key], last_name=last_name, **fields
    )


def meeting(company, key: str, subject: str, day: date, *, owner=None, contacts=(), **fields):
    """A planned meeting on account `key`, owned by `owner` (the account's KAM by default)."""
    fields.setdefault("kind", ActivityKind.MEETING)
    return services.activity_create(
        actor=None,
        account=company[key],
        subject=subject,
        starts_at=at(day),
        ends_at=at(day, 11),
        owner=owner or company[{"a": "owner", "a1": "owner", "b": "other_kam"}.get(key, "junior")],
        contacts=contacts,
        **fields,
    )


def days(n: int) -> timedelta:
    return timedelta(days=n)
