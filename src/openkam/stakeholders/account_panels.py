"""The stakeholder map's section of the account page (registered in StakeholdersConfig.ready)."""

from __future__ import annotations

from collections.abc import Mapping

from openkam.accounts.extensions import AccountPanel
from openkam.accounts.models import Account
from openkam.stakeholders import selectors
from openkam.users.permissions import AnyUser


def _contacts(user: AnyUser, account: Account) -> Mapping[str, object]:
    return {"contacts": selectors.contact_list(user=user, account_id=account.pk)}


CONTACTS = AccountPanel(
    name="contacts",
    template="stakeholders/_account_contacts_panel.html",
    context=_contacts,
    order=30,
)
