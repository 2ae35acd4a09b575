"""The credit section of the account page (registered in CreditConfig.ready)."""

from __future__ import annotations

from collections.abc import Mapping

from openkam.accounts.extensions import AccountPanel
from openkam.accounts.models import Account
from openkam.credit.assessment import assess
from openkam.credit.selectors import currencies_of
from openkam.users import permissions
from openkam.users.permissions import AnyUser


def _credit(user: AnyUser, account: Account) -> Mapping[str, object]:
    today = permissions.today()
    return {
        "assessments": [assess(account, currency, today) for currency in currencies_of(account)]
    }


CREDIT = AccountPanel(
    name="credit",
    template="credit/_account_panel.html",
    context=_credit,
    order=36,
)
