"""The promotions section of the account page (registered in PromotionsConfig.ready):
the account's progress in the promotions running today."""

from __future__ import annotations

from collections.abc import Mapping

from openkam.accounts.extensions import AccountPanel
from openkam.accounts.models import Account
from openkam.promotions import selectors
from openkam.users import permissions
from openkam.users.permissions import AnyUser

SHOWN = 4


def _promotions(user: AnyUser, account: Account) -> Mapping[str, object]:
    # The account is one the user may see (the page found it through the gate).
    today = permissions.today()
    rows = [row for row in selectors.account_progress(account, today, since=today)
            if row.promotion.covers(today)]  # fmt: skip
    return {"promotion_rows": rows[:SHOWN], "promotion_more": max(0, len(rows) - SHOWN)}


PROMOTIONS = AccountPanel(
    name="promotions",
    template="promotions/_account_panel.html",
    context=_promotions,
    order=39,
)
