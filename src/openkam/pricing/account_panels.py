"""The prices section of the account page (registered in PricingConfig.ready): a way into
the price check. It reads nothing, so the account page stays within its query budget;
the tier and the prices are worked out on the price check page."""

from __future__ import annotations

from collections.abc import Mapping

from openkam.accounts.extensions import AccountPanel
from openkam.accounts.models import Account
from openkam.users.permissions import AnyUser


def _prices(user: AnyUser, account: Account) -> Mapping[str, object]:
    return {}


PRICES = AccountPanel(
    name="prices",
    template="pricing/_account_panel.html",
    context=_prices,
    order=38,
)
