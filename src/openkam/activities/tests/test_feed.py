"""The calendar feed and the single-meeting .ics, parsed back with the icalendar library."""

from __future__ import annotations

from datetime import UTC
from typing import Any

import pytest
from django.urls import reverse
from icalendar import Calendar

from openkam.activities import feeds, services
from openkam.activities.ical import uid_for
from openkam.activities.models import ActivityKind, CalendarFeed
from openkam.activities.tests.factories import at, days, meeting, person


def _events(response) -> dict[str, Any]:  # icalendar events, read as the test needs
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def diary(company):
    today = company["today"]
    jan = person(company, "a", "Nowak", first_name="Jan", email="jan@alfa.example")
    ewa = person(company, "a", "Kowalska", email="ewa@alfa.example")
    nomail = person(company, "a", "Bezmaila")
    visit = meeting(
        company,
        "a",
        "Plant visit",
        today + days(2),
        kind=ActivityKind.VISIT,
        contacts=[jan, ewa, nomail],
        location="Katowice, ul. Mariacka 1",
        objective="Agree the 2027 volumes",
    )
    held = meeting(company, "a", "Held call", today - days(10), kind=ActivityKind.CALL)
    services.activity_complete(actor=None, activity=held, outcome="Fine")
    return {
        "visit": visit,
        "held": held,
        "too_old": meeting(company, "a", "Too old", today - days(91)),
        "cancelled": services.activity_cancel(
            actor=None, activity=meeting(company, "a", "Called off", today + days(1))
        ),
        "task": meeting(company, "a", "A task", today, kind=ActivityKind.TASK),
        "deputy_own": meeting(company, "a", "Deputy's own", today, owner=company["deputy"]),
        "on_b": meeting(company, "b", "Beta secret", today, owner=company["other_kam"]),
    }


def test_feed_parses_back_with_own_calendar_meetings(client, company, diary):
    token = feeds.calendar_feed_reset(user=company["owner"])
    response = client.get(reverse("activities:feed", args=[token]))
    assert response.status_code == 200
    events = _events(response)
    assert set(events) == {"Plant visit · Alfa Hurt S.A.", "Held call · Alfa Hurt S.A."}
    visit = events["Plant visit · Alfa Hurt S.A."]
    activity = diary["visit"]
    assert str(visit["uid"]) == uid_for(activity)
    assert visit.decoded("dtstart") == activity.starts_at.astimezone(UTC)
    assert visit.decoded("dtstart").tzinfo is not None
    assert visit.decoded("dtend") == activity.ends_at.astimezone(UTC)
    assert visit.decoded("dtstamp") == activity.updated_at.astimezone(UTC).replace(microsecond=0)
    assert str(visit["location"]) == "Katowice, ul. Mariacka 1"
    assert "Agree the 2027 volumes" in str(visit["description"])
    attendees = sorted(str(a) for a in visit["attendee"])
    assert attendees == ["mailto:ewa@alfa.example", "mailto:jan@alfa.example"]
    assert str(visit["url"]).endswith(reverse("activities:detail", args=[activity.pk]))


def test_uids_are_stable_between_fetches(client, company, diary):
    token = feeds.calendar_feed_reset(user=company["owner"])
    url = reverse("activities:feed", args=[token])
    first = {str(e["uid"]) for e in _events(client.get(url)).values()}
    second = {str(e["uid"]) for e in _events(client.get(url)).values()}
    assert first == second == {uid_for(diary["visit"]), uid_for(diary["held"])}


def test_wrong_token_is_404_and_says_nothing(client, company, diary):
    token = feeds.calendar_feed_reset(user=company["owner"])
    for wrong in (token[:-1], token + "x", "x", token.upper()):
        response = client.get(reverse("activities:feed", args=[wrong]))
        assert response.status_code == 404
        assert b"Plant visit" not in response.content
        assert b"VCALENDAR" not in response.content


def test_reset_invalidates_the_old_address(client, company, diary):
    old = feeds.calendar_feed_reset(user=company["owner"])
    new = feeds.calendar_feed_reset(user=company["owner"])
    assert client.get(reverse("activities:feed", args=[old])).status_code == 404
    assert client.get(reverse("activities:feed", args=[new])).status_code == 200
    # Only the hash is kept: the token itself is nowhere in the database.
    feed = CalendarFeed.objects.get(user=company["owner"])
    assert new not in feed.token_hash
    assert len(feed.token_hash) == 64


def test_switched_off_or_inactive_user_feed_is_gone(client, company, diary):
    token = feeds.calendar_feed_reset(user=company["owner"])
    company["owner"].is_active = False
    company["owner"].save()
    assert client.get(reverse("activities:feed", args=[token])).status_code == 404
    company["owner"].is_active = True
    company["owner"].save()
    feeds.calendar_feed_delete(user=company["owner"])
    assert client.get(reverse("activities:feed", args=[token])).status_code == 404


def test_deputy_feed_holds_only_their_own_meetings(client, company, diary):
    # The deputy sees account A this week, but the absent owner's meetings stay in the
    # owner's diary; the deputy's feed has the deputy's own appointments only.
    token = feeds.calendar_feed_reset(user=company["deputy"])
    events = _events(client.get(reverse("activities:feed", args=[token])))
    assert set(events) == {"Deputy's own · Alfa Hurt S.A."}


def test_feed_follows_visibility(client, company, diary):
    # The owner's meeting on B (an account they do not work on today) stays out.
    meeting(company, "b", "Old Beta meeting", company["today"], owner=company["owner"])
    token = feeds.calendar_feed_reset(user=company["owner"])
    body = client.get(reverse("activities:feed", args=[token])).content
    assert b"Beta" not in body


def test_calendar_page_shows_the_address_once(client, company, diary):
    client.force_login(company["owner"])
    url = reverse("activities:calendar_settings")
    assert "no calendar address yet" in client.get(url).content.decode()
    made = client.post(url, {"action": "reset"})
    page = made.content.decode()
    shown = page.split('id="new-feed-url">')[1].split("</code>")[0]
    assert shown.startswith("http://testserver/activities/calendar/")
    token = shown.removeprefix("http://testserver/activities/calendar/").removesuffix(".ics")
    assert feeds.user_for_feed_token(token) == company["owner"]
    again = client.get(url).content.decode()
    assert token not in again
    assert "made on" in again
    assert client.post(url, {"action": "delete"}).status_code == 302
    assert feeds.user_for_feed_token(token) is None


def test_single_meeting_ics_download(client, company, diary):
    client.force_login(company["owner"])
    response = client.get(reverse("activities:ics", args=[diary["visit"].pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["method"]) == "PUBLISH"
    (event,) = calendar.walk("VEVENT")
    assert str(event["uid"]) == uid_for(diary["visit"])
    assert event.decoded("dtstart") == at(company["today"] + days(2)).astimezone(UTC)
    # Someone who does not see account A gets a 404.
    client.force_login(company["other_kam"])
    assert client.get(reverse("activities:ics", args=[diary["visit"].pk])).status_code == 404
