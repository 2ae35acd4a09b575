"""Building blocks shared by every app: timestamps, ERP identity, audit log, job rows."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MONEY_DIGITS = 18
MONEY_PLACES = 2


def money_field(verbose_name, **kwargs) -> models.DecimalField:
    """Money is always Decimal; the currency lives in a sibling field."""
    kwargs.setdefault("default", 0)
    return models.DecimalField(
        verbose_name, max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, **kwargs
    )


def currency_field(**kwargs) -> models.CharField:
    kwargs.setdefault("default", "PLN")
    return models.CharField(_("currency"), max_length=3, **kwargs)


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class SourcedModel(TimeStampedModel):
    """A record that may come from an ERP: identified there by (source, external_id).

    Records typed in by hand have source "manual" and an empty external id.
    """

    source = models.CharField(_("source"), max_length=40, default="manual")
    external_id = models.CharField(_("external id"), max_length=100, blank=True, default="")

    class Meta:
        abstract = True

    @classmethod
    def source_identity_constraint(cls, name: str) -> models.UniqueConstraint:
        return models.UniqueConstraint(
            fields=["source", "external_id"],
            condition=~models.Q(external_id=""),
            name=name,
        )


class AuditEntry(models.Model):
    """One change made through the product: who, when, what, each field's old and new value."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("updated")
        ARCHIVE = "archive", _("archived")
        DELETE = "delete", _("deleted")
        IMPORT = "import", _("imported")

    class Via(models.TextChoices):
        """Where a change was made. A value not listed here (written by an older or a newer
        version) is kept and shown as written."""

        WEB = "web", _("web interface")
        ADMIN = "admin", _("back office")
        API = "api", _("API")
        IMPORT = "import", _("import")
        VCARD = "vcard", _("vCard import")
        DEMO = "demo", _("demo data")
        SYSTEM = "system", _("system")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    model = models.CharField(_("record type"), max_length=60)
    object_id = models.CharField(_("record id"), max_length=40)
    object_repr = models.CharField(_("record"), max_length=200, blank=True)
    # Every account-related change also points at the account, so an account page
    # can show the history of the account and everything hanging off it.
    account = models.ForeignKey(
        "accounts.Account",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_entries",
    )
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    via = models.CharField(_("via"), max_length=20, choices=Via.choices, default=Via.WEB)

    # Not columns: set by accounts.selectors.audit_history for the account page (the
    # changes as accounts.selectors.FieldChange rows, the record type's name, the label).
    field_changes: list[Any]
    model_name: str
    label: str

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id"], name="audit_object_idx")]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.model} {self.object_id}"


class Job(TimeStampedModel):
    """A long piece of work run by the worker, with progress the pages and terminal can show."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="jobs",
    )
    params = models.JSONField(default=dict, blank=True)
    total = models.PositiveBigIntegerField(_("total"), default=0)
    done = models.PositiveBigIntegerField(_("done"), default=0)
    message = models.CharField(_("message"), max_length=500, blank=True)
    log = models.TextField(_("log"), blank=True)
    result = models.JSONField(default=dict, blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def display_title(self) -> str:
        """The title in the reader's language (core/jobs.py `job_title`)."""
        from openkam.core.jobs import job_title

        return job_title(self)

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.status == self.Status.SUCCEEDED else 0
        return min(100, int(self.done * 100 / self.total))

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}
