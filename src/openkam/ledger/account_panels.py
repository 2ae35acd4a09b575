"""The ledger's section of the account page (registered in LedgerConfig.ready)."""

from __future__ import annotations

from collections.abc import Mapping

from openkam.accounts.extensions import AccountPanel
from openkam.accounts.models import Account
from openkam.ledger import selectors
from openkam.users.permissions import AnyUser


def _recent_documents(user: AnyUser, account: Account) -> Mapping[str, object]:
    return {
        "invoices": selectors.recent_invoices(user=user, account_id=account.pk),
        "payments": selectors.recent_payments(user=user, account_id=account.pk),
    }


RECENT_DOCUMENTS = AccountPanel(
    name="money",
    template="ledger/_account_money_panel.html",
    context=_recent_documents,
    order=40,
)
