"""The orders section of the account page (registered in SalesConfig.ready)."""

from __future__ import annotations

from collections.abc import Mapping

from openkam.accounts.extensions import AccountPanel
from openkam.accounts.models import Account
from openkam.sales.selectors import orders_for
from openkam.users.permissions import AnyUser

RECENT = 5


def _orders(user: AnyUser, account: Account) -> Mapping[str, object]:
    return {"orders": list(orders_for(user).filter(account=account)[:RECENT])}


ORDERS = AccountPanel(
    name="orders", template="sales/_account_panel.html", context=_orders, order=37
)
