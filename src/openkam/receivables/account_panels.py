"""The receivables section of the account page (registered in ReceivablesConfig.ready)."""

from __future__ import annotations

from collections.abc import Mapping

from openkam.accounts.extensions import AccountPanel
from openkam.accounts.models import Account
from openkam.receivables import selectors
from openkam.receivables.models import CollectionPolicy
from openkam.users.permissions import AnyUser


def _receivables(user: AnyUser, account: Account) -> Mapping[str, object]:
    return {
        "receivables": selectors.account_receivables(user=user, account=account),
        "dso_norm": CollectionPolicy.current().dso_norm_days,
    }


RECEIVABLES = AccountPanel(
    name="receivables",
    template="receivables/_account_panel.html",
    context=_receivables,
    order=35,
)
