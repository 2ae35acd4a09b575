"""Participants follow the visibility rule: a KAM who supports a subsidiary (and not its
group root) sees only the people they may see taking part in a meeting, on the page, in
the .ics, in the account's list, in the planner and in the API; editing the meeting keeps
the people they cannot see, untouched and unnamed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from icalendar import Calendar

from openkam.accounts import access
from openkam.accounts import services as account_services
from openkam.accounts.models import AssignmentRole
from openkam.activities import feeds, selectors, services
from openkam.activities.models import Activity, ActivityContact
from openkam.activities.tests.factories import at, days, meeting, person
from openkam.users.models import Role

HIDDEN = ("Hiddenperson", "Chief Zyxologist", "hidden.zyx@alfa.example")


@pytest.fixture
def support_kam(company, make_user):
    """A KAM with a support assignment on A1 only: A (its group root) is hidden from them."""
    kam = make_user("support", Role.KAM, email="support@openkam.example")
    account_services.assignment_start(
        actor=company["head"], account=company["a1"], user=kam, role=AssignmentRole.SUPPORT
    )
    return kam


@pytest.fixture
def meeting_with_root_people(company, support_kam):
    """A meeting on A1 with one person of A1 and one of the hidden root A."""
    seen = person(company, "a1", "Widoczna", email="widoczna@alfa.example")
    hidden = person(
        company, "a", "Hiddenperson", position="Chief Zyxologist", email="hidden.zyx@alfa.example"
    )
    activity = meeting(
        company, "a1", "Group meeting", company["today"] + days(1), contacts=[seen, hidden],
        owner=support_kam,
    )  # fmt: skip
    return {"activity": activity, "seen": seen, "hidden": hidden}


def loaded(user, pk: int) -> Activity:
    """An activity as the pages and the API load it for `user`."""
    return access.visible_or_404(
        selectors.with_details(Activity.objects.all(), user=user), user, pk=pk
    )


def _assert_hidden(body: str) -> None:
    assert [text for text in HIDDEN if text in body] == []


def test_the_reader_sees_only_the_people_they_may_see(
    company, support_kam, meeting_with_root_people
):
    activity = loaded(support_kam, meeting_with_root_people["activity"].pk)
    assert selectors.participants(activity) == [meeting_with_root_people["seen"]]
    assert list(activity.contacts.all()) == [meeting_with_root_people["seen"]]
    # The root's KAM sees everyone who takes part.
    whole = loaded(company["owner"], activity.pk)
    assert len(selectors.participants(whole)) == 2


def test_an_activity_not_loaded_for_a_reader_lists_nobody(meeting_with_root_people):
    assert selectors.participants(meeting_with_root_people["activity"]) == []


def test_pages_name_no_hidden_person(client, support_kam, meeting_with_root_people):
    client.force_login(support_kam)
    activity = meeting_with_root_people["activity"]
    for url in (
        reverse("activities:detail", args=[activity.pk]),
        reverse("activities:edit", args=[activity.pk]),
        reverse("account_activities:list", args=[activity.account_id]),
        reverse("activities:planner") + f"?week={activity.starts_at.date().isoformat()}",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        _assert_hidden(body)
    detail = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert "Widoczna" in detail


def test_the_ics_invites_only_visible_people(client, support_kam, meeting_with_root_people):
    client.force_login(support_kam)
    activity = meeting_with_root_people["activity"]
    response = client.get(reverse("activities:ics", args=[activity.pk]))
    event = next(iter(Calendar.from_ical(response.content).walk("VEVENT")))
    attendees = event.get("attendee")
    attendees = attendees if isinstance(attendees, list) else [attendees]
    assert [str(a) for a in attendees] == ["mailto:widoczna@alfa.example"]
    _assert_hidden(response.content.decode().replace("\r\n ", ""))


def test_the_calendar_feed_invites_only_visible_people(
    client, support_kam, meeting_with_root_people
):
    token = feeds.calendar_feed_reset(user=support_kam)
    response = client.get(reverse("activities:feed", args=[token]))
    assert response.status_code == 200
    body = response.content.decode().replace("\r\n ", "")
    assert "widoczna@alfa.example" in body
    _assert_hidden(body)


def test_the_api_lists_only_visible_people(client, support_kam, meeting_with_root_people):
    client.force_login(support_kam)
    activity = meeting_with_root_people["activity"]
    detail = client.get(reverse("api:activity_detail", args=[activity.pk])).json()
    assert [c["name"] for c in detail["contacts"]] == ["Widoczna"]
    listed = client.get(reverse("api:activity_list") + f"?account_id={activity.account_id}")
    _assert_hidden(listed.content.decode())
    _assert_hidden(client.get(reverse("api:activity_detail", args=[activity.pk])).content.decode())


def test_an_edit_keeps_the_people_the_editor_cannot_see(
    company, support_kam, meeting_with_root_people
):
    activity = loaded(support_kam, meeting_with_root_people["activity"].pk)
    other = person(company, "a1", "Nowy")
    services.activity_update(
        actor=support_kam, activity=activity, contacts=[other], subject="Group meeting, moved"
    )
    taking_part = set(
        ActivityContact.objects.filter(activity=activity).values_list("contact_id", flat=True)
    )
    assert taking_part == {other.pk, meeting_with_root_people["hidden"].pk}


def test_the_edit_page_saves_without_dropping_hidden_people(
    client, support_kam, meeting_with_root_people
):
    client.force_login(support_kam)
    activity = meeting_with_root_people["activity"]
    seen = meeting_with_root_people["seen"]
    response = client.post(
        reverse("activities:edit", args=[activity.pk]),
        {
            "kind": activity.kind,
            "subject": "Renamed",
            "starts_at": activity.starts_at.strftime("%Y-%m-%dT%H:%M"),
            "contacts": [seen.pk],
        },
    )
    assert response.status_code == 302
    assert activity.participants.count() == 2


def test_a_hidden_person_cannot_be_invited(company, support_kam, meeting_with_root_people):
    with pytest.raises(ValidationError) as caught:
        services.activity_create(
            actor=support_kam,
            account=company["a1"],
            kind="meeting",
            subject="Sneaky",
            starts_at=at(company["today"] + days(2)),
            contacts=[meeting_with_root_people["hidden"]],
        )
    assert "Hiddenperson" not in str(caught.value)


def test_the_api_refuses_a_hidden_person_as_unknown(
    client, company, support_kam, meeting_with_root_people
):
    client.force_login(support_kam)
    response = client.post(
        reverse("api:activity_list"),
        {
            "account_id": company["a1"].pk,
            "kind": "meeting",
            "subject": "Sneaky",
            "starts_at": at(company["today"] + days(2)).isoformat(),
            "contact_ids": [meeting_with_root_people["hidden"].pk],
        },
        "application/json",
        headers={"X-CSRFToken": "x"},
    )
    assert response.status_code in (403, 422)
    _assert_hidden(response.content.decode())


def test_a_follow_up_invites_only_the_people_its_author_sees(
    company, support_kam, meeting_with_root_people
):
    follow_up = services.activity_follow_up_create(
        actor=support_kam,
        activity=meeting_with_root_people["activity"],
        subject="Next",
        starts_at=at(company["today"] + days(8)),
    )
    assert list(follow_up.contacts.all()) == [meeting_with_root_people["seen"]]
