"""People at an account. Buying roles, influence and attitude come with the stakeholder map."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from openkam.core.models import SourcedModel
from openkam.core.visibility import AccountChildQuerySet


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

    objects = AccountChildQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [SourcedModel.source_identity_constraint("contact_source_external_id_uniq")]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
