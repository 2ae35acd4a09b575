"""The proposals section of the account page (registered in ProposalsConfig.ready)."""

from __future__ import annotations

from collections.abc import Mapping

from openkam.accounts.extensions import AccountPanel
from openkam.accounts.models import Account
from openkam.proposals.models import OPEN
from openkam.proposals.selectors import proposals_for
from openkam.users.permissions import AnyUser

SHOWN = 5


def _proposals(user: AnyUser, account: Account) -> Mapping[str, object]:
    return {}  # the rows load after the page (panel_rows): the page keeps its query budget


def panel_rows(user: AnyUser, account: Account) -> Mapping[str, object]:
    """The rows of the section; the account is one the user may see."""
    rows = proposals_for(user).filter(account=account, status__in=OPEN)
    return {"proposals": list(rows.order_by("-created_at", "-pk")[:SHOWN])}


PROPOSALS = AccountPanel(
    name="proposals",
    template="proposals/_account_panel.html",
    context=_proposals,
    order=35,
)
