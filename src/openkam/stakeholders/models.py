"""People at an account and how they decide: the stakeholder map.

A contact is a person at one customer legal entity. Their place in the buying centre
(role, influence, attitude to us, relationship strength, who owns the relationship on
our side) lives on the contact; attitude changes are kept as rows, and links between
people (reports to, influences, allied with, rival of) are their own records.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from openkam.accounts.access import AccountChildQuerySet
from openkam.core.models import SourcedModel, TimeStampedModel

# The kinds of activity that are a conversation with the customer: they count as contact
# with a person (last contact, coverage). Activities name their kinds after these.
CONVERSATION_KINDS = frozenset({"meeting", "visit", "call", "email"})


class BuyingRole(models.TextChoices):
    DECISION_MAKER = "decision_maker", _("decision maker")
    ECONOMIC_BUYER = "economic_buyer", _("economic buyer")
    TECHNICAL_BUYER = "technical_buyer", _("technical buyer")
    USER = "user", _("user")
    INFLUENCER = "influencer", _("influencer")
    GATEKEEPER = "gatekeeper", _("gatekeeper")
    CHAMPION = "champion", _("champion")
    VIP = "vip", _("VIP")
    KEY_OPINION_LEADER = "kol", _("key opinion leader")
    # Not a buyer: the person in accounts payable whom payment reminders go to.
    PAYER = "payer", _("payer (accounts payable)")


class Attitude(models.TextChoices):
    """How a person sees us, from our strongest ally to an open opponent."""

    CHAMPION = "champion", _("champion")
    SUPPORTER = "supporter", _("supporter")
    NEUTRAL = "neutral", _("neutral")
    SCEPTIC = "sceptic", _("sceptic")
    OPPONENT = "opponent", _("opponent")
    UNKNOWN = "unknown", _("unknown")


ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]


class Contact(SourcedModel):
    account = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100)
    position = models.CharField(_("position"), max_length=150, blank=True)
    department = models.CharField(_("department"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    is_archived = models.BooleanField(_("archived"), default=False)
    # The stakeholder map.
    buying_role = models.CharField(
        _("buying role"), max_length=20, choices=BuyingRole.choices, blank=True
    )
    influence = models.PositiveSmallIntegerField(
        _("influence"), null=True, blank=True, validators=ONE_TO_FIVE
    )
    # Current attitude, denormalised from AttitudeChange rows (the history) for maps.
    attitude = models.CharField(
        _("attitude to us"), max_length=10, choices=Attitude.choices, default=Attitude.UNKNOWN
    )
    relationship_strength = models.PositiveSmallIntegerField(
        _("relationship strength"), null=True, blank=True, validators=ONE_TO_FIVE
    )
    relationship_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("relationship owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_contacts",
    )
    # The day the person left the customer; kept on the map as history, flagged as a gap.
    left_on = models.DateField(_("left the company on"), null=True, blank=True)

    objects = AccountChildQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [SourcedModel.source_identity_constraint("contact_source_external_id_uniq")]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class ContactChildQuerySet(AccountChildQuerySet):
    account_path = "contact__account"


class AttitudeChange(models.Model):
    """One change of a person's attitude to us: who saw it, when, and why."""

    # Its name is made of translated words: the history tells it in the reader's language.
    NAME_IN_READERS_LANGUAGE = True

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="attitude_changes")
    attitude = models.CharField(_("attitude"), max_length=10, choices=Attitude.choices)
    previous_attitude = models.CharField(
        _("previous attitude"), max_length=10, choices=Attitude.choices
    )
    note = models.TextField(_("note"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("when"), auto_now_add=True)

    objects = ContactChildQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("attitude change")
        verbose_name_plural = _("attitude changes")

    def __str__(self) -> str:
        return f"{self.contact}: {self.get_previous_attitude_display()} → {self.get_attitude_display()}"


class LinkKind(models.TextChoices):
    REPORTS_TO = "reports_to", _("reports to")
    INFLUENCES = "influences", _("influences")
    ALLIED_WITH = "allied_with", _("allied with")
    RIVAL_OF = "rival_of", _("rival of")


class ContactLinkQuerySet(AccountChildQuerySet):
    """A link is visible only when both people are: a link to someone at a group account
    hidden from the reader (with its note) is as absent as that person."""

    account_path = "source__account"
    extra_account_paths = ("target__account",)


class ContactLink(TimeStampedModel):
    """A relation between two people of one customer group: `source` <kind> `target`."""

    # Its name is made of translated words: the history tells it in the reader's language.
    NAME_IN_READERS_LANGUAGE = True

    source = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(_("link"), max_length=12, choices=LinkKind.choices)
    note = models.CharField(_("note"), max_length=250, blank=True)

    objects = ContactLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("stakeholder link")
        verbose_name_plural = _("stakeholder links")
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="contact_link_uniq"),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="contact_link_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.get_kind_display()} {self.target}"
