"""The promotions section of the account page (registered in PromotionsConfig.ready):
the account's progress in the promotions running today. The section loads its rows
after the page (htmx, from the account's promotions page with `?panel=1`), so the
account page stays within its query budget; the rows follow the same gate."""

from __future__ import annotations

from collections.abc import Mapping

from openkam.accounts.extensions import AccountPanel
from openkam.accounts.models import Account
from openkam.promotions import selectors
from openkam.users import permissions
from openkam.users.permissions import AnyUser

SHOWN = 4


def _promotions(user: AnyUser, account: Account) -> Mapping[str, object]:
    return {}


def panel_rows(account: Account) -> Mapping[str, object]:
    """The rows of the section; the account is one the user may see."""
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
