"""The tenders section of the account page (registered in TendersConfig.ready): the open
tenders with their deadlines, those near or past the deadline marked."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils import timezone

from openkam.accounts.extensions import AccountPanel
from openkam.accounts.models import Account
from openkam.tenders.selectors import deadline_alerts, tenders_for
from openkam.users.permissions import AnyUser

SHOWN = 5


def _tenders(user: AnyUser, account: Account) -> Mapping[str, object]:
    return {}  # the rows load after the page (panel_rows): the page keeps its query budget


def panel_rows(user: AnyUser, account: Account) -> Mapping[str, object]:
    """The rows of the section; the account is one the user may see."""
    rows = tenders_for(user).filter(account=account).open().order_by("deadline", "pk")
    alerts = deadline_alerts(user, timezone.now(), account=account)
    by_tender = {alert.tender.pk: alert for alert in alerts}
    return {"tender_rows": [(row, by_tender.get(row.pk)) for row in rows[:SHOWN]]}


TENDERS = AccountPanel(
    name="tenders",
    template="tenders/_account_panel.html",
    context=_tenders,
    order=35,
)
