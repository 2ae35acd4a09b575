"""Test data for the workspace pages, written directly (the services are tested elsewhere)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from openkam.activities.models import Activity, ActivityContact
from openkam.plans.models import AccountPlan, PlanReview
from openkam.stakeholders.models import AttitudeChange, Contact


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def add_activity(account, owner, starts_at: datetime, subject: str = "Meeting", **fields):
    fields.setdefault("kind", "meeting")
    contacts = fields.pop("contacts", ())
    activity = Activity.objects.create(
        account=account, owner=owner, starts_at=starts_at, subject=subject, **fields
    )
    invite(activity, *contacts)
    return activity


def invite(activity, *contacts) -> None:
    for contact in contacts:
        ActivityContact.objects.create(activity=activity, contact=contact)


def add_contact(account, last_name: str, **fields) -> Contact:
    return Contact.objects.create(account=account, last_name=last_name, **fields)


def add_plan(account, owner, today: date, title: str = "Plan 2026", **fields) -> AccountPlan:
    fields.setdefault("status", "active")
    return AccountPlan.objects.create(
        account=account,
        owner=owner,
        title=title,
        period_start=fields.pop("period_start", today - timedelta(days=60)),
        period_end=fields.pop("period_end", today + timedelta(days=300)),
        **fields,
    )


def add_review(plan, reviewer, reviewed_on: date, health: str = "green", comment: str = ""):
    return PlanReview.objects.create(
        plan=plan, reviewer=reviewer, reviewed_on=reviewed_on, health=health, comment=comment
    )


def add_attitude_change(contact, user, changed_at: datetime, attitude: str, note: str = ""):
    change = AttitudeChange.objects.create(
        contact=contact,
        attitude=attitude,
        previous_attitude=contact.attitude,
        note=note,
        changed_by=user,
    )
    # `changed_at` is set on insert; tests place the change in time afterwards.
    AttitudeChange.objects.filter(pk=change.pk).update(changed_at=changed_at)
    change.refresh_from_db()
    return change
