"""iCalendar (RFC 5545) output: one meeting as a file, or a user's diary as a feed.

Times go out in UTC ("Z"), which every calendar program converts to its own zone, so
no VTIMEZONE is needed. UIDs are derived from the activity's id and never change, so a
subscribed calendar updates an event instead of duplicating it. DTSTAMP is the last
change of the activity: a program that cached the event sees it has changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, timedelta

from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from openkam.activities.models import Activity, ActivityStatus
from openkam.activities.selectors import participants

PRODID = "-//OpenKAM//Activities//EN"
DEFAULT_LENGTH = timedelta(hours=1)  # when an activity has no end
CONTENT_TYPE = "text/calendar; charset=utf-8"
_STATUS: dict[str, str] = {
    ActivityStatus.PLANNED: "CONFIRMED",
    ActivityStatus.DONE: "CONFIRMED",
    ActivityStatus.CANCELLED: "CANCELLED",
}


def uid_for(activity: Activity) -> str:
    return f"openkam-activity-{activity.pk}@openkam"


def _description(activity: Activity) -> str:
    parts = [f"{_('Account')}: {activity.account.name}"]
    if activity.objective:
        parts.append(f"{_('Objective')}: {activity.objective}")
    if activity.status == ActivityStatus.DONE and activity.outcome:
        parts.append(f"{_('Outcome')}: {activity.outcome}")
    return "\n\n".join(parts)


def _person(email: str, name: str, role: str | None = None) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["CN"] = vText(name)
    if role:
        address.params["ROLE"] = vText(role)
    return address


def activity_event(activity: Activity, url: str = "") -> Event:
    """One VEVENT; the activity comes from `selectors.with_details` for the reader, whose
    visible people alone are attendees (one not loaded that way lists no attendee)."""
    event = Event()
    event.add("uid", uid_for(activity))
    event.add("dtstamp", activity.updated_at.astimezone(UTC))
    event.add("created", activity.created_at.astimezone(UTC))
    event.add("last-modified", activity.updated_at.astimezone(UTC))
    starts = activity.starts_at.astimezone(UTC)
    event.add("dtstart", starts)
    event.add("dtend", (activity.ends_at or activity.starts_at + DEFAULT_LENGTH).astimezone(UTC))
    event.add("summary", f"{activity.subject} · {activity.account.name}")
    event.add("description", _description(activity))
    event.add("status", _STATUS[activity.status])
    event.add("categories", [activity.get_kind_display()])
    if activity.location:
        event.add("location", activity.location)
    if url:
        event.add("url", url)
    if activity.owner.email:
        owner = activity.owner
        event.add("organizer", _person(owner.email, owner.get_full_name() or owner.username))
    for contact in participants(activity):
        if contact.email:
            event.add("attendee", _person(contact.email, str(contact), "REQ-PARTICIPANT"))
    return event


def calendar_bytes(
    activities: Iterable[Activity],
    *,
    name: str = "",
    url_for: Callable[[Activity], str] | None = None,
    method: str = "",
    extra_events: Iterable[Event] = (),
) -> bytes:
    """A VCALENDAR holding the activities (and `extra_events`: contract deadlines in the
    feed), ready to serve as text/calendar."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    for activity in activities:
        calendar.add_component(activity_event(activity, url_for(activity) if url_for else ""))
    for event in extra_events:
        calendar.add_component(event)
    return calendar.to_ical()
