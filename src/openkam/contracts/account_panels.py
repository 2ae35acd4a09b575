"""The contracts' section of the account page (registered in ContractsConfig.ready)."""

from __future__ import annotations

from collections.abc import Mapping

from openkam.accounts.extensions import AccountPanel
from openkam.accounts.models import Account
from openkam.contracts import selectors
from openkam.users import permissions
from openkam.users.permissions import AnyUser


def _contracts(user: AnyUser, account: Account) -> Mapping[str, object]:
    today = permissions.today()
    return {
        "contracts": selectors.account_contracts(user=user, account=account, today=today),
        "today": today,
    }


CONTRACTS = AccountPanel(
    name="contracts",
    template="contracts/_account_contracts_panel.html",
    context=_contracts,
    order=35,
)
