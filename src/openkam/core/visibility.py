"""Querysets that start from what a user may see.

Account visibility is decided in `openkam.users.permissions`; every other record that
hangs off an account inherits it through its `account` foreign key.
"""

from __future__ import annotations

from django.db import models

from openkam.users import permissions


class AccountVisibleQuerySet(models.QuerySet):
    """For the Account model itself."""

    def visible_to(self, user):
        rule = permissions.account_visibility_q(user)
        return self.all() if rule is None else self.filter(rule)


class AccountChildQuerySet(models.QuerySet):
    """For records with an `account` foreign key (contacts, invoices, payments...)."""

    account_path = "account"

    def visible_to(self, user):
        from openkam.accounts.models import Account

        if permissions.sees_all_accounts(user):
            return self.all()
        visible = Account.objects.visible_to(user).values("pk")
        return self.filter(**{f"{self.account_path}__in": visible})
