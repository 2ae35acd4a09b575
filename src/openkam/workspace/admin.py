"""Back office for competitors: the shared names and who is present at which account."""

from __future__ import annotations

from django.contrib import admin
from django.db import models

from openkam.core.admin import AuditedAdmin
from openkam.workspace.models import AccountCompetitor, Competitor


@admin.register(Competitor)
class CompetitorAdmin(AuditedAdmin):
    # A website typed without a scheme is https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("name", "website")
    search_fields = ("name",)


@admin.register(AccountCompetitor)
class AccountCompetitorAdmin(AuditedAdmin):
    list_display = ("competitor", "account", "share_of_wallet", "product_lines")
    search_fields = ("competitor__name", "account__name")
    raw_id_fields = ("account", "competitor")
    list_select_related = ("competitor", "account")
