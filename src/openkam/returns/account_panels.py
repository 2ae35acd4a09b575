"""The returns section of the account page (registered in ReturnsConfig.ready): the last
12 months' return rate of the account (and of its group) against the comparison, and the
top reasons. The section loads its rows after the page (htmx, from
/accounts/<id>/returns/, through the same gate), so the account page keeps its query
budget."""

from __future__ import annotations

from collections.abc import Mapping

from openkam.accounts.extensions import AccountPanel
from openkam.accounts.models import Account
from openkam.returns.filters import Span
from openkam.returns.selectors import account_view
from openkam.users import permissions
from openkam.users.permissions import AnyUser


def _returns(user: AnyUser, account: Account) -> Mapping[str, object]:
    return {}


def panel_rows(user: AnyUser, account: Account) -> Mapping[str, object]:
    """The rows of the section; the account is one the user may see."""
    return {"returns": account_view(user, account, Span.trailing(permissions.today()))}


RETURNS = AccountPanel(
    name="returns", template="returns/_account_panel.html", context=_returns, order=39
)
