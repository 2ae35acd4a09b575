"""People: users with a role and grade, teams, and deputies for absences."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from openkam.core.models import TimeStampedModel


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    HEAD = "head", _("Head of key accounts")
    SENIOR_KAM = "senior_kam", _("Senior KAM")
    KAM = "kam", _("KAM")
    JUNIOR_KAM = "junior_kam", _("Junior KAM")
    FINANCE = "finance", _("Finance")
    VIEWER = "viewer", _("Viewer")


KAM_ROLES = frozenset({Role.SENIOR_KAM, Role.KAM, Role.JUNIOR_KAM})
SEE_ALL_ROLES = frozenset({Role.ADMIN, Role.HEAD, Role.FINANCE, Role.VIEWER})
READ_ONLY_ROLES = frozenset({Role.FINANCE, Role.VIEWER})


class Team(TimeStampedModel):
    name = models.CharField(_("name"), max_length=120, unique=True)
    head = models.ForeignKey(
        "users.User",
        verbose_name=_("head"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="headed_teams",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    # Juniors work under a senior KAM, who sees and directs their accounts.
    senior = models.ForeignKey(
        "self",
        verbose_name=_("senior KAM"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="juniors",
    )
    language = models.CharField(_("language"), max_length=5, blank=True)
    calendar_token = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_kam(self) -> bool:
        return self.role in KAM_ROLES

    @property
    def sees_everything(self) -> bool:
        return self.role in SEE_ALL_ROLES or self.is_superuser


class DeputyQuerySet(models.QuerySet):
    def active(self, on):
        """Deputyships that give access on the day `on`: within their dates and not ended
        before it."""
        return self.filter(starts_on__lte=on, ends_on__gte=on).filter(
            models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=on)
        )


class Deputy(TimeStampedModel):
    """While `principal` is away, `deputy` sees and works the principal's accounts.

    A deputyship is history: it is ended (`ended_on`, the first day without access), never
    deleted. One ended before it started gave no access at all (it was cancelled).
    """

    principal = models.ForeignKey(
        User, verbose_name=_("absent KAM"), on_delete=models.PROTECT, related_name="deputies"
    )
    deputy = models.ForeignKey(
        User, verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="deputising"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Set when ended early: from this day on it gives no access (see services.deputy_end).
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    objects = DeputyQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("deputy")
        verbose_name_plural = _("deputies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="deputy_range_ordered",
            ),
            models.CheckConstraint(
                condition=~models.Q(principal=models.F("deputy")),
                name="deputy_not_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} for {self.principal} {self.starts_on}..{self.ends_on}"

    @property
    def was_cancelled(self) -> bool:
        """Ended before its first day: it never gave access."""
        return self.ended_on is not None and self.ended_on <= self.starts_on


class ApiToken(TimeStampedModel):
    """A personal API token; only its SHA-256 is stored, the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} {self.name} ({self.prefix}...)"
