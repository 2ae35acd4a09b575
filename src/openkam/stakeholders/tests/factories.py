"""Test data for the stakeholder map: people and done conversations, written directly."""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone

from openkam.activities.models import Activity, ActivityContact, ActivityStatus
from openkam.stakeholders.models import Contact


def person(account, last_name: str, **fields) -> Contact:
    return Contact.objects.create(account=account, last_name=last_name, **fields)


def talk(
    people,
    on: date,
    *,
    kind: str = "meeting",
    status: str = ActivityStatus.DONE,
    owner=None,
) -> Activity:
    """An activity with these people taking part, at noon local time on `on`."""
    people = list(people) if isinstance(people, (list, tuple)) else [people]
    account = people[0].account
    at = timezone.make_aware(datetime.combine(on, time(12, 0)))
    if owner is None:
        from openkam.users.models import User

        owner = User.objects.order_by("pk").first()
    activity = Activity.objects.create(
        account=account,
        kind=kind,
        status=status,
        subject=f"{kind} on {on}",
        starts_at=at,
        done_at=at if status == ActivityStatus.DONE else None,
        owner=owner,
    )
    ActivityContact.objects.bulk_create(
        ActivityContact(activity=activity, contact=p) for p in people
    )
    return activity
