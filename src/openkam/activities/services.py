"""Writes to activities: keyword-only, atomic, validated, audited.

`actor=None` is the system itself (imports, the demo): no permission checks, but the
same validation. A person may only write activities on accounts they see, and only
if their role may change account work (finance and viewer may not).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from openkam.accounts import access
from openkam.accounts.models import Account
from openkam.activities.models import Activity, ActivityContact, ActivityKind, ActivityStatus
from openkam.core import audit
from openkam.users.models import User
from openkam.users.permissions import Actor

if TYPE_CHECKING:
    from openkam.plans.models import PlanAction
    from openkam.stakeholders.models import Contact

EDITABLE_FIELDS = (
    "kind",
    "subject",
    "starts_at",
    "ends_at",
    "location",
    "objective",
    "outcome",
    "next_steps",
    "owner",
    "plan_action",
)
# Fields whose audit snapshot names the foreign key by id.
_ATTNAMES = {"owner": "owner_id", "plan_action": "plan_action_id"}


def _require_edit(actor: Actor, account: Account) -> None:
    """The actor may change this very account's activities (see accounts/access)."""
    access.require_edit(actor, account, _("You may not change activities of this account."))


def _group_of(account: Account) -> int:
    return account.group_root_id or account.pk


def _check_contacts(account: Account, contacts: list[Contact], actor: Actor = None) -> None:
    """Participants are people of the activity's account or of another company of its group,
    and people the actor may see: one they may not is refused as unknown, unnamed."""
    from openkam.stakeholders.models import Contact

    if actor is not None:
        ids = {c.pk for c in contacts}
        visible = Contact.objects.visible_to(actor).filter(pk__in=ids)
        if ids - set(visible.values_list("pk", flat=True)):
            raise ValidationError({"contacts": _("Unknown people.")})

    group = _group_of(account)
    rows = Contact.objects.filter(pk__in=[c.pk for c in contacts]).values_list(
        "pk", "account_id", "account__group_root_id"
    )
    allowed = {pk for pk, acc, root in rows if acc == account.pk or (root or acc) == group}
    foreign = [str(c) for c in contacts if c.pk not in allowed]
    if foreign:
        raise ValidationError(
            {
                "contacts": _("Not people of this account or its group: %(names)s.")
                % {"names": ", ".join(foreign)}
            }
        )


def _check_plan_action(account: Account, plan_action: PlanAction | None) -> None:
    if plan_action is None:
        return
    from openkam.plans.models import AccountPlan

    plan_account = AccountPlan.objects.filter(pk=plan_action.plan_id).values_list(
        "account_id", flat=True
    )
    if list(plan_account) != [account.pk]:
        raise ValidationError(
            {"plan_action": _("The plan action belongs to another account's plan.")}
        )


def _check_times(starts_at: datetime | None, ends_at: datetime | None) -> None:
    if starts_at and ends_at and ends_at < starts_at:
        raise ValidationError({"ends_at": _("The end cannot be before the start.")})


def _check_not_after_done(kind: str, starts_at: datetime, done_at: datetime) -> None:
    """A done activity took place before it was logged: it cannot start later (a task, due
    on its day, may be done before it)."""
    if kind != ActivityKind.TASK and starts_at and done_at and starts_at > done_at:
        when = date_format(timezone.localtime(done_at), "Y-m-d H:i")
        raise ValidationError(
            {"starts_at": _("A done activity cannot start after it was logged (%(when)s).")
             % {"when": when}}
        )  # fmt: skip


def _move_to_when_held(activity: Activity) -> None:
    """An activity planned for later whose outcome is logged now took place already: it
    moves to end when it was logged, keeping its length, so it counts as held then and
    not on the day it was planned for. A task may be done before the day it is due."""
    done_at = activity.done_at
    if activity.kind == ActivityKind.TASK or done_at is None or activity.starts_at <= done_at:
        return
    if activity.ends_at:
        activity.starts_at, activity.ends_at = (
            done_at - (activity.ends_at - activity.starts_at),
            done_at,
        )
    else:
        activity.starts_at = done_at


def _hidden_participant_ids(activity: Activity, actor: Actor) -> set[int]:
    """Participants the actor may not see: an edit by them keeps these as they are."""
    if actor is None:
        return set()
    from openkam.stakeholders.models import Contact

    taking_part = ActivityContact.objects.filter(activity=activity).values("contact_id")
    visible = Contact.objects.visible_to(actor).filter(pk__in=taking_part).values("pk")
    return set(
        ActivityContact.objects.filter(activity=activity)
        .exclude(contact_id__in=visible)
        .values_list("contact_id", flat=True)
    )


def _set_contacts(activity: Activity, contacts: list[Contact], keep: Iterable[int] = ()) -> None:
    """Make `contacts` the participants, keeping those in `keep` (ids) whatever they are."""
    ActivityContact.objects.filter(activity=activity).exclude(
        contact__in=[c.pk for c in contacts] + list(keep)
    ).delete()
    existing = set(
        ActivityContact.objects.filter(activity=activity).values_list("contact_id", flat=True)
    )
    ActivityContact.objects.bulk_create(
        [ActivityContact(activity=activity, contact=c) for c in contacts if c.pk not in existing]
    )


def _contact_ids(activity: Activity) -> list[int]:
    return sorted(
        ActivityContact.objects.filter(activity=activity).values_list("contact_id", flat=True)
    )


@transaction.atomic
def activity_create(
    *,
    actor: Actor,
    account: Account,
    kind: str,
    subject: str,
    starts_at: datetime,
    contacts: Iterable[Contact] = (),
    ends_at: datetime | None = None,
    location: str = "",
    objective: str = "",
    owner: User | None = None,
    plan_action: PlanAction | None = None,
    status: str = ActivityStatus.PLANNED,
    outcome: str = "",
    next_steps: str = "",
    done_at: datetime | None = None,
    source: str = "manual",
    external_id: str = "",
    via: str = "web",
) -> Activity:
    """Plan an activity (or record one that happened, with status "done")."""
    _require_edit(actor, account)
    owner = owner or actor
    if owner is None:
        raise ValidationError({"owner": _("An activity needs an owner.")})
    if status == ActivityStatus.DONE:
        done_at = done_at or timezone.now()
        _check_not_after_done(kind, starts_at, done_at)
    contacts = list(contacts)
    _check_contacts(account, contacts, actor)
    _check_plan_action(account, plan_action)
    _check_times(starts_at, ends_at)
    activity = Activity(
        account=account,
        kind=kind,
        status=status,
        subject=subject,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        objective=objective,
        outcome=outcome,
        next_steps=next_steps,
        done_at=done_at,
        owner=owner,
        plan_action=plan_action,
        created_by=actor,
        source=source,
        external_id=external_id,
    )
    activity.full_clean()
    activity.save()
    _set_contacts(activity, contacts)
    entry = audit.build_entry(
        actor=actor,
        instance=activity,
        action="create",
        changes={
            **{name: [None, value] for name, value in audit.snapshot(activity).items()},
            "contacts": [None, sorted(c.pk for c in contacts)],
        },
        via=via,
    )
    entry.save()
    return activity


@transaction.atomic
def activity_update(
    *,
    actor: Actor,
    activity: Activity,
    contacts: Iterable[Contact] | None = None,
    via: str = "web",
    **fields: Any,
) -> Activity:
    """Change an activity; `contacts=None` keeps the participants as they are.

    `contacts` are the participants the actor may see; people taking part whom the actor
    may not see (at a group account hidden from them) stay, untouched and unnamed.
    """
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"activity_update got unknown fields: {sorted(unknown)}")
    _require_edit(actor, activity.account)
    before = audit.snapshot(activity, [_ATTNAMES.get(name, name) for name in fields])
    before_contacts = _contact_ids(activity)
    planned_start = activity.starts_at
    for name, value in fields.items():
        setattr(activity, name, value)
    if "plan_action" in fields:
        _check_plan_action(activity.account, activity.plan_action)
    _check_times(activity.starts_at, activity.ends_at)
    if activity.status == ActivityStatus.DONE and activity.starts_at != planned_start:
        _check_not_after_done(activity.kind, activity.starts_at, activity.done_at or timezone.now())
    activity.full_clean()
    activity.save()
    if contacts is not None:
        contacts = list(contacts)
        _check_contacts(activity.account, contacts, actor)
        _set_contacts(activity, contacts, keep=_hidden_participant_ids(activity, actor))
    changes = audit.diff(before, audit.snapshot(activity, before.keys()))
    after_contacts = _contact_ids(activity)
    if after_contacts != before_contacts:
        changes["contacts"] = [before_contacts, after_contacts]
    if changes:
        audit.build_entry(
            actor=actor, instance=activity, action="update", changes=changes, via=via
        ).save()
    return activity


@transaction.atomic
def activity_complete(
    *,
    actor: Actor,
    activity: Activity,
    outcome: str,
    next_steps: str = "",
    done_at: datetime | None = None,
    via: str = "web",
) -> Activity:
    """Log what came out of an activity: it becomes done, with its outcome and next steps.

    One planned for later took place already: it moves to when it was logged (see
    `_move_to_when_held`); the audit entry keeps the time it was planned for.
    """
    _require_edit(actor, activity.account)
    if activity.status == ActivityStatus.CANCELLED:
        raise ValidationError({"status": _("A cancelled activity cannot be completed.")})
    if not outcome.strip():
        raise ValidationError({"outcome": _("Say what came out of it.")})
    fields = ["status", "outcome", "next_steps", "done_at", "starts_at", "ends_at"]
    before = audit.snapshot(activity, fields)
    activity.status = ActivityStatus.DONE
    activity.outcome = outcome
    activity.next_steps = next_steps
    activity.done_at = done_at or activity.done_at or timezone.now()
    _move_to_when_held(activity)
    activity.save(update_fields=[*fields, "updated_at"])
    audit.record_update(actor=actor, instance=activity, before=before, via=via)
    return activity


@transaction.atomic
def activity_cancel(
    *, actor: Actor, activity: Activity, reason: str = "", via: str = "web"
) -> Activity:
    """Call off a planned activity; the reason is kept as its outcome."""
    _require_edit(actor, activity.account)
    if activity.status != ActivityStatus.PLANNED:
        raise ValidationError({"status": _("Only a planned activity can be cancelled.")})
    before = audit.snapshot(activity, ["status", "outcome"])
    activity.status = ActivityStatus.CANCELLED
    if reason.strip():
        activity.outcome = reason.strip()
    activity.save(update_fields=["status", "outcome", "updated_at"])
    audit.record_update(actor=actor, instance=activity, before=before, via=via)
    return activity


@transaction.atomic
def activity_follow_up_create(
    *,
    actor: Actor,
    activity: Activity,
    subject: str,
    starts_at: datetime,
    kind: str = ActivityKind.MEETING,
    via: str = "web",
) -> Activity:
    """The next activity after this one: same account, owner, participants (those the actor
    may see: they invite it) and plan action."""
    from openkam.stakeholders.models import Contact

    people = Contact.objects.filter(participations__activity=activity)
    if actor is not None:
        people = people.filter(pk__in=Contact.objects.visible_to(actor).values("pk"))
    return activity_create(
        actor=actor,
        account=activity.account,
        kind=kind,
        subject=subject,
        starts_at=starts_at,
        contacts=list(people.order_by("pk")),
        objective=activity.next_steps,
        owner=activity.owner,
        plan_action=activity.plan_action,
        via=via,
    )
