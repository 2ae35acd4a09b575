"""The opportunities section of the account page (registered in OpportunitiesConfig.ready)."""

from __future__ import annotations

from collections.abc import Mapping

from openkam.accounts.extensions import AccountPanel
from openkam.accounts.models import Account
from openkam.opportunities.selectors import opportunities_for
from openkam.users.permissions import AnyUser

SHOWN = 5


def _opportunities(user: AnyUser, account: Account) -> Mapping[str, object]:
    rows = opportunities_for(user).filter(account=account).open().order_by("expected_close", "pk")
    # The page's `may_edit` (the role may change account work, and the account is
    # visible) says whether a new one may be added: no query of our own for it.
    return {"opportunities": list(rows[:SHOWN])}


OPPORTUNITIES = AccountPanel(
    name="opportunities",
    template="opportunities/_account_panel.html",
    context=_opportunities,
    order=34,
)
