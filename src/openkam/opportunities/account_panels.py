"""The opportunities section of the account page (registered in OpportunitiesConfig.ready)."""

from __future__ import annotations

from collections.abc import Mapping

from openkam.accounts.extensions import AccountPanel
from openkam.accounts.models import Account
from openkam.opportunities import services
from openkam.opportunities.selectors import opportunities_for
from openkam.users.permissions import AnyUser

SHOWN = 5


def _opportunities(user: AnyUser, account: Account) -> Mapping[str, object]:
    rows = opportunities_for(user).filter(account=account).open().order_by("expected_close", "pk")
    return {
        "opportunities": list(rows[:SHOWN]),
        "can_sell": services.may_sell(user, account),
    }


OPPORTUNITIES = AccountPanel(
    name="opportunities",
    template="opportunities/_account_panel.html",
    context=_opportunities,
    order=34,
)
