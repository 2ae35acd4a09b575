"""Contract deadlines as all-day calendar events, for the user's calendar feed.

The feed (activities/views/calendar.py) adds, for each active contract with an end that
the feed's owner may see, an event on its notice date (when it has one) and one on the
end of its term: the dates `contracts.dates` works out for today, so a contract that
renewed itself shows its next term's dates under the same UIDs, and calendar programs
move the events instead of duplicating them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, timedelta

from django.utils.translation import gettext as _
from icalendar import Event

from openkam.contracts import selectors
from openkam.contracts.models import Contract
from openkam.users import permissions
from openkam.users.permissions import AnyUser


def uid_for(contract: Contract, kind: str) -> str:
    return f"openkam-contract-{contract.pk}-{kind}@openkam"


def _event(contract: Contract, kind: str, day: date, summary: str, url: str) -> Event:
    event = Event()
    event.add("uid", uid_for(contract, kind))
    event.add("dtstamp", contract.updated_at.astimezone(UTC))
    event.add("last-modified", contract.updated_at.astimezone(UTC))
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add(
        "description",
        f"{_('Account')}: {contract.account.name}\n{_('Contract')}: {contract.number}"
        f" ({contract.get_kind_display()})",
    )
    event.add("transp", "TRANSPARENT")
    event.add("categories", [_("Contract")])
    if url:
        event.add("url", url)
    return event


def contract_events(
    *,
    user: AnyUser,
    today: date | None = None,
    url_for: Callable[[Contract], str] | None = None,
) -> list[Event]:
    """The notice dates and ends of the active contracts `user` may see, as of `today`."""
    today = today or permissions.today()
    events = []
    for contract in selectors.calendar_contracts(user=user, today=today):
        url = url_for(contract) if url_for else ""
        names = {"number": contract.number, "account": contract.account.name}
        if contract.notice_on is not None:
            summary = _("Notice date: contract %(number)s · %(account)s") % names
            events.append(_event(contract, "notice", contract.notice_on, summary, url))
        if contract.term_end is not None:
            summary = _("Contract %(number)s ends · %(account)s") % names
            events.append(_event(contract, "end", contract.term_end, summary, url))
    return events
