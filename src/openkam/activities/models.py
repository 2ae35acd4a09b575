"""Meetings, calls, visits, e-mails, tasks and notes with a customer: planned and done.

An activity belongs to one account, may invite several of its contacts, and may serve a
plan action. Planned activities have a start; done ones also an outcome and next steps.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from openkam.accounts.access import AccountChildQuerySet
from openkam.core.models import SourcedModel
from openkam.stakeholders.models import CONVERSATION_KINDS


class ActivityKind(models.TextChoices):
    MEETING = "meeting", _("meeting")
    VISIT = "visit", _("visit")
    CALL = "call", _("call")
    EMAIL = "email", _("e-mail")
    TASK = "task", _("task")
    NOTE = "note", _("note")


# Kinds that are a conversation with the customer: they count as contact for coverage
# (defined where the stakeholder map reads them).
CONTACT_KINDS = frozenset(ActivityKind(kind) for kind in CONVERSATION_KINDS)
# Kinds that sit in a calendar at a time and go out in the .ics feed.
CALENDAR_KINDS = frozenset({ActivityKind.MEETING, ActivityKind.VISIT, ActivityKind.CALL})


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


class Activity(SourcedModel):
    account = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    kind = models.CharField(_("type"), max_length=10, choices=ActivityKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    subject = models.CharField(_("subject"), max_length=200)
    # When it happens (or is due, for a task); the end is optional.
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    objective = models.TextField(_("objective"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    contacts = models.ManyToManyField(
        "stakeholders.Contact",
        verbose_name=_("stakeholders"),
        through="ActivityContact",
        related_name="activities",
        blank=True,
    )
    plan_action = models.ForeignKey(
        "plans.PlanAction",
        verbose_name=_("plan action"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = AccountChildQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [SourcedModel.source_identity_constraint("activity_source_external_id_uniq")]
        indexes = [
            models.Index(fields=["account", "starts_at"], name="activity_account_start_idx"),
            models.Index(fields=["owner", "starts_at"], name="activity_owner_start_idx"),
        ]

    def __str__(self) -> str:
        return self.subject


class ActivityContactQuerySet(AccountChildQuerySet):
    """A participation is visible when both the activity and the person are: a reader of
    the activity's account does not see people of a group account hidden from them, and a
    reader of the person does not see conversations held at an account hidden from them."""

    account_path = "activity__account"
    extra_account_paths = ("contact__account",)


class ActivityContact(models.Model):
    """A stakeholder taking part in an activity."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participants")
    contact = models.ForeignKey(
        "stakeholders.Contact", on_delete=models.PROTECT, related_name="participations"
    )

    objects = ActivityContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["activity", "contact"], name="activity_contact_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.contact} @ {self.activity}"


class CalendarFeed(models.Model):
    """A user's secret calendar subscription (.ics) address.

    Calendar programs cannot log in, so the address itself is the credential. Only a
    SHA-256 of its token is stored, like API tokens: a copy of the database does not
    open anyone's diary. The address is shown once, when made; resetting it makes a new
    token and the old address stops working.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"calendar feed of {self.user}"
