"""Reads about contacts and the stakeholder map; they follow the visibility of their account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, TypedDict, cast

from django.db.models import DateField, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate

from openkam.accounts.access import account_visibility_q
from openkam.accounts.models import Account
from openkam.stakeholders.models import (
    CONVERSATION_KINDS,
    AttitudeChange,
    Contact,
    ContactLink,
)
from openkam.users.permissions import AnyUser

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    class LastContact(TypedDict):
        last_contact_on: date | None

    # A contact with the day of the latest conversation (`with_last_contact`, or set from
    # `last_contact_days`).
    ContactWithLastContact = WithAnnotations[Contact, LastContact]


def contact_list(
    *, user: AnyUser, account_id: int | None = None, q: str = "", include_archived: bool = False
) -> QuerySet[Contact]:
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


def contact_get(*, user: AnyUser, pk: int) -> Contact:
    """A visible contact; raises Contact.DoesNotExist otherwise."""
    return Contact.objects.visible_to(user).select_related("account").get(pk=pk)


# A person's last contact is read through the contacts' reverse relation `participations`:
# activities sit above stakeholders (an activity names the people it was with), so this
# module may not import them.
DONE = "done"  # an activity's status once its outcome is logged


def _last_conversation_day(user: AnyUser | None) -> Max:
    """The latest day a done customer conversation (CONVERSATION_KINDS) with the person took
    place among those `user` may see: one at an account hidden from the reader does not
    count, so a person's last contact is the last one the reader could open.

    A conversation counts on the day it took place (`starts_at`), not the day its outcome
    was logged (`done_at`), as on the planner and the home page. Days are local
    (TruncDate uses TIME_ZONE).
    """
    held = Q(
        participations__activity__status=DONE,
        participations__activity__kind__in=sorted(CONVERSATION_KINDS),
    )
    if account_visibility_q(user) is not None:
        visible = Account.objects.visible_to(user).values("pk")
        held &= Q(account__in=visible, participations__activity__account__in=visible)
    return Max(TruncDate("participations__activity__starts_at"), filter=held)


def last_contact_subquery(contact_ref: str = "pk", *, user: AnyUser | None) -> Subquery:
    """The day of the latest conversation with a contact that `user` may see, per row of
    an outer Contact query."""
    latest = (
        Contact.objects.filter(pk=OuterRef(contact_ref))
        .annotate(day=_last_conversation_day(user))
        .values("day")
    )
    return Subquery(latest, output_field=DateField())


def with_last_contact(
    contacts_qs: QuerySet[Contact], *, user: AnyUser | None
) -> QuerySet[ContactWithLastContact]:
    """Annotate `last_contact_on` (a date, None when never) on a Contact queryset, from the
    conversations `user` may see."""
    return contacts_qs.annotate(last_contact_on=last_contact_subquery(user=user))


def last_contact_days(contacts_qs: QuerySet[Contact], *, user: AnyUser | None) -> dict[int, date]:
    """The same date as `with_last_contact`, for many contacts in one grouped query, from
    the conversations `user` may see.

    One aggregate over the participations of all the contacts at once: its plan does not
    depend on table statistics the way a per-row subquery's does (a subquery planned
    without statistics may scan all activities once per contact).
    """
    rows = (
        Contact.objects.filter(pk__in=contacts_qs.values("pk"))
        .order_by()
        .annotate(day=_last_conversation_day(user))
        .filter(day__isnull=False)
        .values_list("pk", "day")
    )
    return dict(rows)


def contact_last_contact_on(*, user: AnyUser | None, contact: Contact) -> date | None:
    """The day of the last conversation with one (visible) contact that `user` may see;
    None when never (or when the contact is hidden from them)."""
    visible = Contact.objects.visible_to(user).filter(pk=contact.pk)
    return last_contact_days(visible, user=user).get(contact.pk)


@dataclass(frozen=True)
class StakeholderMap:
    """One account's people, the links between them and the people at the other end of
    links into other (visible) accounts of the same customer group."""

    account: Account
    contacts: list[Contact]  # this account's current and former people, with last_contact_on
    links: list[ContactLink]  # between visible contacts, at least one end on this account
    outside: list[Contact]  # the other ends of links that sit on another group account

    @property
    def by_id(self) -> dict[int, Contact]:
        return {c.pk: c for c in [*self.contacts, *self.outside]}


def stakeholder_map(
    *, user: AnyUser, account: Account, include_archived: bool = False
) -> StakeholderMap:
    """The map of a (visible) account in three queries: its contacts, their last-contact
    dates, and the links."""
    visible = Contact.objects.visible_to(user)
    contacts_qs = visible.filter(account=account).select_related("relationship_owner")
    if not include_archived:
        contacts_qs = contacts_qs.filter(is_archived=False)
    contacts = list(contacts_qs.order_by("last_name", "first_name", "pk"))
    last_contacts = last_contact_days(contacts_qs, user=user)
    for person in contacts:
        cast("ContactWithLastContact", person).last_contact_on = last_contacts.get(person.pk)
    ids = {c.pk for c in contacts}
    outside_qs = visible.filter(is_archived=False).exclude(account=account)
    links = list(
        ContactLink.objects.filter(
            Q(source__in=contacts_qs, target__in=contacts_qs)
            | Q(source__in=contacts_qs, target__in=outside_qs)
            | Q(source__in=outside_qs, target__in=contacts_qs)
        )
        .select_related("source__account", "target__account")
        .order_by("kind", "pk")
    )
    outside: dict[int, Contact] = {}
    for link in links:
        for person in (link.source, link.target):
            if person.pk not in ids:
                outside[person.pk] = person
    return StakeholderMap(
        account=account, contacts=contacts, links=links, outside=list(outside.values())
    )


def attitude_history(*, user: AnyUser, contact: Contact) -> QuerySet[AttitudeChange]:
    """A visible contact's attitude changes, newest first."""
    return (
        AttitudeChange.objects.visible_to(user)
        .filter(contact=contact)
        .select_related("changed_by")
        .order_by("-changed_at", "-id")
    )


def link_candidates(*, user: AnyUser, contact: Contact) -> QuerySet[Contact]:
    """People a contact may be linked to: visible, current, same account or customer group."""
    group = contact.account.group_root_id or contact.account_id
    return (
        Contact.objects.visible_to(user)
        .filter(is_archived=False)
        .filter(
            Q(account_id=contact.account_id) | Q(account_id=group) | Q(account__group_root_id=group)
        )
        .exclude(pk=contact.pk)
        .select_related("account")
        .order_by("last_name", "first_name", "pk")
    )
