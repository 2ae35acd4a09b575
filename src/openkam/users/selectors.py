"""Reads about users' own things: the background jobs they may follow."""

from __future__ import annotations

from django.db.models import QuerySet

from openkam.core.models import Job
from openkam.users import permissions
from openkam.users.models import User
from openkam.users.permissions import AnyUser


def work_owners() -> QuerySet[User]:
    """The people a plan, objective, action or relationship may be given to, by name."""
    return User.objects.filter(is_active=True, role__in=permissions.WORK_OWNER_ROLES).order_by(
        "last_name", "first_name", "username"
    )


def recent_jobs(*, user: AnyUser, limit: int = 5) -> QuerySet[Job] | list[Job]:
    """Imports and other long jobs; only those who may run imports see them all."""
    if permissions.can_import(user):
        return Job.objects.select_related("created_by")[:limit]
    if permissions.is_active_user(user):
        return Job.objects.filter(created_by=user)[:limit]
    return []
