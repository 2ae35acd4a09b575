"""Reads about contacts; they follow the visibility of their account."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from openkam.stakeholders.models import Contact


def contact_list(
    *, user, account_id: int | None = None, q: str = "", include_archived: bool = False
) -> QuerySet:
    contacts = Contact.objects.visible_to(user).select_related("account")
    if account_id is not None:
        contacts = contacts.filter(account_id=account_id)
    if not include_archived:
        contacts = contacts.filter(is_archived=False)
    if q:
        contacts = contacts.filter(
            Q(last_name__icontains=q)
            | Q(first_name__icontains=q)
            | Q(email__icontains=q)
            | Q(position__icontains=q)
        )
    return contacts.order_by("last_name", "first_name", "pk")


def contact_get(*, user, pk: int) -> Contact:
    """A visible contact; raises Contact.DoesNotExist otherwise."""
    return Contact.objects.visible_to(user).select_related("account").get(pk=pk)
