"""Issue 4's journey in real headless Chromium: a KAM plans a meeting with two people in the
weekly planner, logs its outcome, changes a person's attitude, sees the stakeholder graph
and the plan's "meetings held" objective follow, and gets the plan as a PDF."""

from __future__ import annotations

import io
import json
import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .workspace_data import OBJECTIVE_TITLE, PEOPLE, add_workspace


def earlier_today() -> tuple[str, str]:
    """A meeting already over when its outcome is logged, yet today, whatever the hour
    the test runs (an outcome logged before a meeting's time moves it to the past)."""
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.localtime().replace(second=0, microsecond=0)
    midnight = now.replace(hour=0, minute=0)
    starts = max(now - timedelta(minutes=90), midnight)
    ends = max(now - timedelta(minutes=1), starts + timedelta(minutes=1))
    return starts.strftime("%Y-%m-%dT%H:%M"), ends.strftime("%Y-%m-%dT%H:%M")


pytestmark = pytest.mark.browser

GRAPH = "#stakeholder-graph"
SUBJECT = "Quarterly review with Alfa's board"
OUTCOME = "Alfa agrees to trial the new pallet wrap in two warehouses."


@pytest.fixture
def workspace(live_server, company):
    # live_server makes `company` transactional: the server thread sees the rows.
    return {**company, **add_workspace(company)}


@pytest.fixture
def console_errors(page) -> list[str]:
    """Messages the page logged to the console as errors (JS exceptions come separately)."""
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    return errors


def full_name(person: tuple) -> str:
    return f"{person[0]} {person[1]}"


def objective_current(page, objective) -> str:
    return page.locator(f"#objective-{objective.pk} .objective-current").inner_text().strip()


def graph_traces(page) -> list[dict]:
    """What plotly drew: each node trace's name and the people in it (edges left out)."""
    return json.loads(
        page.evaluate(
            """(selector) => JSON.stringify(document.querySelector(selector).data
                .filter((trace) => trace.mode === 'markers+text')
                .map((trace) => ({name: trace.name, people: trace.text})))""",
            GRAPH,
        )
    )


def drawn_people(page) -> int:
    """Markers in plotly's SVG: one per person drawn."""
    return page.locator(f"{GRAPH} .scatterlayer .trace .points path.point").count()


def test_kam_plans_logs_and_maps_a_meeting_then_gets_the_plan_as_pdf(
    page, login, workspace, page_problems, console_errors, shot
):
    account, plan, objective = workspace["a"], workspace["plan"], workspace["objective"]
    chief, buyer, lead = (full_name(person) for person in PEOPLE)
    today = workspace["today"]
    login("owner")

    # The plan before the meeting: nothing held yet.
    page.goto(reverse("plans:detail", args=[plan.pk]))
    expect(page.locator(f"#objective-{objective.pk}")).to_contain_text(OBJECTIVE_TITLE)
    assert objective_current(page, objective) == "0"

    # The weekly planner: plan a meeting, choose the account, tick two of its three people.
    page.goto(reverse("activities:planner"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Weekly planner")
    with page.expect_navigation():
        page.locator("#plan-activity").click()
    page.select_option("#id_account", label=account.name)
    # Choosing the account swaps in its people (htmx).
    expect(page.locator("#account-fields")).to_contain_text(chief)
    page.fill("#id_subject", SUBJECT)
    starts_at, ends_at = earlier_today()
    page.fill("#id_starts_at", starts_at)
    page.fill("#id_ends_at", ends_at)
    page.fill("#id_location", "Alfa's head office")
    page.get_by_label(f"{chief}, {PEOPLE[0][2]}").check()
    page.get_by_label(f"{buyer}, {PEOPLE[1][2]}").check()
    with page.expect_navigation():
        page.locator("#activity-form button[type=submit]").click()
    assert urlsplit(page.url).path.startswith("/activities/"), page.url
    expect(page.locator("#activity-status")).to_have_text(re.compile("^planned$", re.I))
    contacts = page.locator("#activity-contacts")
    expect(contacts).to_contain_text(chief)
    expect(contacts).to_contain_text(buyer)
    expect(contacts).not_to_contain_text(lead)
    activity_path = urlsplit(page.url).path

    # It is in this week of the planner, on today's column.
    page.goto(reverse("activities:planner"))
    expect(page.locator(".week-day.is-today")).to_contain_text(SUBJECT)

    # Log the outcome on the activity page.
    with page.expect_navigation():
        page.locator(".week-day.is-today").get_by_role("link", name=SUBJECT).click()
    assert urlsplit(page.url).path == activity_path
    page.locator("#log-outcome #id_outcome").fill(OUTCOME)
    with page.expect_navigation():
        page.locator("#log-outcome").get_by_role("button", name="Save outcome").click()
    expect(page.locator("#activity-status")).to_have_text(re.compile("^done$", re.I))
    expect(page.locator("#activity-outcome")).to_contain_text(OUTCOME)

    # The stakeholder map: the graph draws all three people; the chief is still unknown.
    with page.expect_navigation():
        page.locator("nav.tabs").get_by_role("link", name="Stakeholders").click()
    page.wait_for_selector(f"{GRAPH} .main-svg")
    assert drawn_people(page) == len(PEOPLE)
    traces = {trace["name"]: trace["people"] for trace in graph_traces(page)}
    assert chief in traces["unknown"]
    assert chief not in traces["champion"]

    # Change the chief's attitude on their page, reached from the map's table.
    with page.expect_navigation():
        page.locator("#people").get_by_role("link", name=chief).click()
    page.select_option("#attitude-form select[name=attitude]", "champion")
    page.fill("#attitude-form textarea[name=note]", "Backed the trial in front of the board.")
    with page.expect_navigation():
        page.locator("#attitude-form").get_by_role("button", name="Record attitude").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Champion")
    expect(page.locator("#attitude-history")).to_contain_text(re.compile("champion", re.I))

    # Back on the map the chief is drawn as a champion and listed as one.
    with page.expect_navigation():
        page.locator("nav.tabs").get_by_role("link", name="Stakeholders").click()
    page.wait_for_selector(f"{GRAPH} .main-svg")
    assert drawn_people(page) == len(PEOPLE)
    traces = {trace["name"]: trace["people"] for trace in graph_traces(page)}
    assert traces["champion"] == [chief]
    assert chief not in traces["unknown"]
    chief_row = page.locator("#people tr", has=page.get_by_role("link", name=chief))
    expect(chief_row.locator(".attitude")).to_have_text("Champion")
    # Both people met today have their last contact set to today.
    buyer_row = page.locator("#people tr", has=page.get_by_role("link", name=buyer))
    expect(chief_row).to_contain_text(today.isoformat())
    expect(buyer_row).to_contain_text(today.isoformat())
    shot("journey-stakeholder-map")

    # The plan, from the account's Plan tab: one meeting held now.
    with page.expect_navigation():
        page.locator("nav.tabs").get_by_role("link", name="Plan").click()
    with page.expect_navigation():
        page.get_by_role("link", name=plan.title).first.click()
    assert urlsplit(page.url).path == reverse("plans:detail", args=[plan.pk])
    assert objective_current(page, objective) == "1"
    shot("journey-plan")

    # The PDF behind the page's link, fetched with the page's own session.
    actions = page.locator(".page-head .actions")
    href = actions.get_by_role("link", name="PDF for the client").get_attribute("href")
    assert href == reverse("plans:pdf", args=[plan.pk])
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF-")
    from pypdf import PdfReader

    text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(body)).pages)
    assert account.name in text
    assert plan.title in text

    assert page_problems.js_errors == []
    assert page_problems.failed_responses == []
    assert page_problems.external_requests == []
    assert console_errors == []


def test_plan_pdf_link_is_refused_to_another_kam(page, login, workspace):
    login("other")
    response = page.request.get(reverse("plans:pdf", args=[workspace["plan"].pk]))
    assert response.status == 404
    assert not response.body().startswith(b"%PDF")
