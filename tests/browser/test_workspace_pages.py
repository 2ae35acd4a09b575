"""The account workspace's pages in real headless Chromium: the meeting brief on a phone,
the timeline's pages and filter, this week's meeting on the home page, the calendar
address, and no console errors on any of the new pages."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import TIMEOUT_MS
from .workspace_data import PEOPLE, add_workspace

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
MEETING = "Pallet wrap trial kick-off"
# More past calls than one timeline page holds (the page size is 50).
PAST_CALLS = 60


def at(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


@pytest.fixture
def workspace(live_server, company):
    """Alfa's workspace with a meeting today with two of its people (invited to the brief)."""
    from openkam.activities import services as activities

    data = {**company, **add_workspace(company)}
    data["meeting"] = activities.activity_create(
        actor=company["owner"],
        account=company["a"],
        kind="meeting",
        subject=MEETING,
        starts_at=at(company["today"], 10),
        ends_at=at(company["today"], 11),
        location="Alfa's head office in Łódź",
        objective="Agree which two warehouses run the trial and who measures the waste.",
        contacts=data["people"][:2],
    )
    return data


@pytest.fixture
def busy_workspace(workspace):
    """Sixty calls held on the sixty days before today: two timeline pages of activities."""
    from openkam.activities.models import Activity

    owner, account, today = workspace["owner"], workspace["a"], workspace["today"]
    Activity.objects.bulk_create(
        Activity(
            account=account,
            kind="call",
            status="done",
            subject=f"Call {number:02d} about the trial",
            starts_at=at(today - timedelta(days=number), 9),
            done_at=at(today - timedelta(days=number), 10),
            outcome="Talked it through.",
            owner=owner,
            created_by=owner,
        )
        for number in range(1, PAST_CALLS + 1)
    )
    return workspace


@pytest.fixture
def console_errors(page) -> list[str]:
    errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            errors.append(f"{page.url}: {message.text}") if message.type == "error" else None
        ),
    )
    return errors


def page_overflow(page) -> int:
    """How many pixels the page is wider than the screen (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_meeting_brief_reads_on_a_phone_without_scrolling_sideways(page, login, workspace, shot):
    page.set_viewport_size(PHONE)
    login("owner")
    meeting = workspace["meeting"]
    page.goto(
        reverse("account_workspace:brief", args=[workspace["a"].pk]) + f"?activity={meeting.pk}"
    )
    expect(page.locator("#meeting")).to_contain_text(MEETING)
    expect(page.locator("#meeting")).to_contain_text("who measures the waste")
    expect(page.locator("#plan")).to_contain_text(workspace["plan"].title)
    # The two people invited to the meeting are starred; the third is listed without.
    people = page.locator("#stakeholders")
    chief, buyer, lead = (f"{first} {last}" for first, last, *_ in PEOPLE)
    expect(people.locator("strong", has_text=chief)).to_contain_text("★")
    expect(people.locator("strong", has_text=buyer)).to_contain_text("★")
    expect(people).to_contain_text(lead)
    expect(people.locator("strong", has_text=lead)).to_have_count(0)
    shot("phone-meeting-brief")
    assert page_overflow(page) == 0
    # Every section fits the screen too, not only the page as a whole.
    widest = page.evaluate(
        """() => Math.max(...[...document.querySelectorAll('.brief section.card')]
            .map((card) => card.getBoundingClientRect().right))"""
    )
    assert widest <= PHONE["width"]
    # A table wider than the screen scrolls inside its card: none is cut off unreachably.
    clipped = page.evaluate(
        """() => [...document.querySelectorAll('.brief section.card')]
            .filter((card) => card.scrollWidth > card.clientWidth
                && !['auto', 'scroll'].includes(getComputedStyle(card).overflowX))
            .map((card) => card.id)"""
    )
    assert clipped == []


def test_timeline_pages_through_older_entries_and_filters_in_place(page, login, busy_workspace):
    login("owner")
    account = busy_workspace["a"]
    page.goto(reverse("account_workspace:timeline", args=[account.pk]))
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text(MEETING)  # today's meeting leads
    expect(timeline).to_contain_text("Call 01 about the trial")
    expect(timeline).not_to_contain_text("Call 60 about the trial")
    expect(timeline.locator(".pagination")).to_contain_text("Page 1")
    expect(timeline.get_by_role("link", name=re.compile("Newer"))).to_have_count(0)

    with page.expect_navigation():
        timeline.get_by_role("link", name=re.compile("Older")).click()
    assert parse_qs(urlsplit(page.url).query)["page"] == ["2"]
    expect(timeline).to_contain_text("Call 60 about the trial")
    expect(timeline).not_to_contain_text("Call 01 about the trial")
    expect(timeline.locator(".pagination")).to_contain_text("Page 2")
    expect(timeline.get_by_role("link", name=re.compile("Older"))).to_have_count(0)

    # The unfiltered list ends with the owner's assignment, 400 days back.
    expect(timeline).to_contain_text("starts as")

    # Ticking a type swaps the list in place (htmx) and keeps the filter in the address.
    page.goto(reverse("account_workspace:timeline", args=[account.pk]))
    page.evaluate("window.stillTheSamePage = true")
    page.locator(".timeline-filters input[value=assignments]").check()
    expect(timeline).not_to_contain_text("Call 01 about the trial")
    expect(timeline).to_contain_text("starts as")
    expect(page).to_have_url(re.compile(r"[?&]type=assignments(&|$)"))
    assert page.evaluate("window.stillTheSamePage === true")

    # Activities only: still two pages, and the next page keeps the filter.
    page.locator(".timeline-filters input[value=assignments]").uncheck()
    page.locator(".timeline-filters input[value=activities]").check()
    expect(timeline).to_contain_text("Call 01 about the trial")
    expect(page).to_have_url(re.compile(r"[?&]type=activities(&|$)"))
    with page.expect_navigation():
        timeline.get_by_role("link", name=re.compile("Older")).click()
    assert parse_qs(urlsplit(page.url).query) == {"page": ["2"], "type": ["activities"]}
    expect(timeline).to_contain_text("Call 60 about the trial")
    expect(timeline).not_to_contain_text("starts as")
    expect(page.locator(".timeline-filters input[value=activities]")).to_be_checked()


def test_home_page_shows_this_weeks_meeting_with_its_brief(page, login, workspace):
    login("owner")
    page.goto(reverse("home"))
    week = page.locator("#week")
    expect(week).to_contain_text(MEETING)
    expect(week).to_contain_text(workspace["a"].name)
    with page.expect_navigation():
        week.get_by_role("link", name="brief").click()
    expect(page.locator("#meeting")).to_contain_text(MEETING)
    # Another KAM's home does not show it.
    page.context.clear_cookies()
    login("other")
    page.goto(reverse("home"))
    expect(page.locator("body")).not_to_contain_text(MEETING)


def test_calendar_address_is_made_once_and_serves_the_meeting_without_login(
    page, login, browser, workspace
):
    login("owner")
    page.goto(reverse("activities:planner"))
    with page.expect_navigation():
        page.get_by_role("link", name="Subscribe in your calendar").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Make my calendar address").click()
    feed_url = page.locator("#new-feed-url").inner_text().strip()
    assert urlsplit(feed_url).path.endswith(".ics")

    # A calendar program has no session: a fresh context without cookies fetches it.
    stranger = browser.new_context()
    stranger.set_default_timeout(TIMEOUT_MS)
    try:
        response = stranger.request.get(feed_url)
        assert response.status == 200
        assert response.headers["content-type"].startswith("text/calendar")
        body = response.text()
        assert body.startswith("BEGIN:VCALENDAR")
        assert MEETING in body

        # The address is shown once; resetting it retires the old one.
        page.goto(reverse("activities:calendar_settings"))
        expect(page.locator("#new-feed-url")).to_have_count(0)
        with page.expect_navigation():
            page.get_by_role("button", name="Reset the address").click()
        new_url = page.locator("#new-feed-url").inner_text().strip()
        assert new_url != feed_url
        assert stranger.request.get(feed_url).status == 404
        assert stranger.request.get(new_url).status == 200
    finally:
        stranger.close()


def workspace_pages(data: dict) -> list[tuple[str, str]]:
    a = data["a"].pk
    plan, meeting, person = data["plan"].pk, data["meeting"].pk, data["people"][0].pk
    return [
        ("home", reverse("home")),
        ("planner", reverse("activities:planner")),
        ("plan activity", reverse("activities:create") + f"?account={a}"),
        ("activity", reverse("activities:detail", args=[meeting])),
        ("edit activity", reverse("activities:edit", args=[meeting])),
        ("account activities", reverse("account_activities:list", args=[a])),
        ("calendar settings", reverse("activities:calendar_settings")),
        ("stakeholder map", reverse("account_stakeholders:map", args=[a])),
        ("person", reverse("stakeholders:person", args=[person])),
        ("vCard import", reverse("account_stakeholders:vcard_import", args=[a])),
        ("plans", reverse("plans:list")),
        ("account plans", reverse("account_plans:list", args=[a])),
        ("plan", reverse("plans:detail", args=[plan])),
        ("edit plan", reverse("plans:edit", args=[plan])),
        ("print plan", reverse("plans:print", args=[plan])),
        ("new objective", reverse("plans:objective_create", args=[plan])),
        ("timeline", reverse("account_workspace:timeline", args=[a])),
        ("brief", reverse("account_workspace:brief", args=[a]) + f"?activity={meeting}"),
        ("competitors", reverse("account_workspace:competitors", args=[a])),
    ]


def test_new_pages_load_without_console_errors(
    page, login, workspace, page_problems, console_errors
):
    login("owner")
    failures = []
    for name, url in workspace_pages(workspace):
        response = page.goto(url)
        page.wait_for_load_state("networkidle")
        if response.status != 200:
            failures.append(f"{name} {url}: HTTP {response.status}")
    if page.locator("#stakeholder-graph").count():
        page.wait_for_selector("#stakeholder-graph .main-svg")
    assert failures == []
    assert console_errors == []
    assert page_problems.js_errors == []
    assert page_problems.failed_responses == []
    assert page_problems.external_requests == []


def test_new_pages_fit_a_phone_screen(page, login, workspace):
    """Journey 4 starts on a phone: no new page scrolls sideways as a whole (wide tables
    scroll inside their card). The print view is for paper and left out."""
    page.set_viewport_size(PHONE)
    login("owner")
    too_wide = {}
    for name, url in workspace_pages(workspace):
        if name == "print plan":
            continue
        page.goto(url)
        page.wait_for_load_state("networkidle")
        if overflow := page_overflow(page):
            too_wide[name] = overflow
    assert too_wide == {}


def test_stakeholder_graph_draws_on_the_map_page(page, login, workspace):
    login("owner")
    page.goto(reverse("account_stakeholders:map", args=[workspace["a"].pk]))
    page.wait_for_selector("#stakeholder-graph .main-svg")
    markers = page.locator("#stakeholder-graph .scatterlayer .trace .points path.point")
    expect(markers).to_have_count(len(PEOPLE))
    # Clicking a person in the graph opens their page: the chief, the most influential,
    # has the biggest marker.
    chief = workspace["people"][0]
    boxes = [markers.nth(i).bounding_box() for i in range(markers.count())]
    biggest = max(boxes, key=lambda box: box["width"])
    with page.expect_navigation():
        page.mouse.click(biggest["x"] + biggest["width"] / 2, biggest["y"] + biggest["height"] / 2)
    assert urlsplit(page.url).path == reverse("stakeholders:person", args=[chief.pk])
