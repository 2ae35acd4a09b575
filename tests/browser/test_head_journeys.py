"""Today's changes in real headless Chromium: the meeting brief's objectives stacked on a
phone, the scoring model editor's "better when" for payment discipline, the board's
proposed rebalancing, the plan's print pages for the client and for us, and "Add contact"
on the stakeholder map coming back to the map."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .workspace_data import add_workspace

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

REVIEW_COMMENT = "Margin slipped in the third quarter; push the pallet wrap trial."
STRATEGY = "Win the second warehouse before our rival's contract ends."


def page_overflow(page) -> int:
    """How many pixels the page is wider than the screen (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def before_content(locator) -> str:
    """What a cell's ::before pseudo-element shows (its data-label on a phone)."""
    return locator.evaluate("(cell) => getComputedStyle(cell, '::before').content")


@pytest.fixture
def workspace(live_server, company):
    # live_server makes `company` transactional: the server thread sees the rows.
    return {**company, **add_workspace(company)}


# --- 1. The meeting brief's plan objectives on a phone -----------------------------------


def open_brief(page, login, workspace):
    login("owner")
    page.goto(reverse("account_workspace:brief", args=[workspace["a"].pk]))
    table = page.locator("#plan table.stack-on-phone")
    expect(table).to_contain_text(workspace["objective"].title)
    return table


def test_brief_objectives_stack_into_labelled_cards_on_a_phone(page, login, workspace, shot):
    page.set_viewport_size(PHONE)
    table = open_brief(page, login, workspace)
    row = table.locator("tbody tr").first
    target, due = row.locator('td[data-label="Target"]'), row.locator('td[data-label="Due"]')
    for cell, label in ((target, "Target"), (due, "Due")):
        expect(cell).to_be_visible()
        assert before_content(cell) == f'"{label}"'  # the column's name, beside the value
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (label, box)
    expect(row.locator('td[data-label="Progress"]')).to_be_visible()
    expect(due).to_contain_text(workspace["objective"].due_on.isoformat())
    expect(target).to_contain_text("12")
    shot("phone-brief-objectives")
    assert page_overflow(page) == 0
    assert table.evaluate("(t) => t.scrollWidth <= t.clientWidth")


def test_brief_objectives_keep_their_table_header_on_a_desktop(page, login, workspace):
    table = open_brief(page, login, workspace)
    for name in ("Objective", "Target", "Progress", "Due"):
        expect(table.get_by_role("columnheader", name=name, exact=True)).to_be_visible()
    target = table.locator('tbody tr td[data-label="Target"]').first
    assert target.evaluate("(cell) => getComputedStyle(cell).display") == "table-cell"
    assert before_content(target) in ("none", "normal")  # no label beside the value


# --- 2. The scoring model editor: payment discipline's direction --------------------------


@pytest.fixture
def head_editor(page, login, live_server, company):
    """The head on a new scoring model."""
    login("head")
    page.goto(reverse("portfolio:model_create"))
    expect(page.get_by_role("heading", level=1)).to_have_text("New scoring model")
    return page


def add_payment_discipline(page, name: str, weight: str) -> None:
    page.fill("#id_name", name)
    page.select_option("#id_criteria-0-criterion", "payment_discipline")
    page.fill("#id_criteria-0-weight", weight)


def criteria_card(page, name: str):
    page.goto(reverse("portfolio:model_list"))
    return page.locator("section.model-card", has=page.get_by_role("link", name=name))


def test_payment_discipline_defaults_to_days_late_lower_is_better(head_editor, shot):
    page = head_editor
    add_payment_discipline(page, "Pays on time", "3")
    # Picking the criterion fills in its usual metric; "Better when" stays as the metric reads.
    expect(page.locator("#id_criteria-0-metric")).to_have_value("days_late")
    expect(page.locator("#id_criteria-0-direction")).to_have_value("")
    expect(page.locator("#id_accept_reversed")).to_have_count(0)
    with page.expect_navigation():
        page.get_by_role("button", name="Save model").click()
    expect(page.locator(".messages")).to_contain_text("Scoring model saved")

    card = criteria_card(page, "Pays on time")
    row = card.locator("table.criteria tbody tr", has_text="payment discipline")
    expect(row).to_contain_text("Average days paid late")
    expect(row).to_contain_text("(lower is better)")
    expect(row).not_to_contain_text("reversed")
    shot("scoring-model-payment-discipline")


def test_higher_is_better_for_payment_discipline_needs_the_head_to_keep_it(head_editor, shot):
    from openkam.portfolio.models import ScoringModel

    page = head_editor
    add_payment_discipline(page, "Late payers first", "1")
    page.select_option("#id_criteria-0-direction", "higher")
    with page.expect_navigation():
        page.get_by_role("button", name="Save model").click()

    # Refused: the reason beside the row's "Better when", and a box to keep it anyway.
    expect(page.get_by_role("alert").first).to_contain_text("The model was not saved.")
    row = page.locator("tr.criterion-row").first
    expect(row).to_have_class(re.compile(r"\brow-error\b"))
    expect(row.locator("td.has-error .error")).to_contain_text("reward late payment")
    keep = page.get_by_label("Keep the reversed direction")
    expect(keep).to_be_visible()
    expect(keep).not_to_be_checked()
    assert not ScoringModel.objects.filter(name="Late payers first").exists()
    # What the head entered is still there.
    expect(page.locator("#id_name")).to_have_value("Late payers first")
    expect(page.locator("#id_criteria-0-direction")).to_have_value("higher")
    shot("scoring-model-reversed-refused")

    keep.check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save model").click()
    expect(page.locator(".messages")).to_contain_text("Scoring model saved")
    card = criteria_card(page, "Late payers first")
    row = card.locator("table.criteria tbody tr", has_text="payment discipline")
    expect(row).to_contain_text("Average days paid late")
    expect(row).to_contain_text("higher is better: reversed")


# --- 3. The portfolio board proposes and applies a rebalancing ----------------------------


@pytest.fixture
def unbalanced_board(live_server, company):
    """`owner` carries 17,000 of revenue (Alfa 3,000, Delta 10,000, Epsilon 4,000) against
    `other`'s 1,000 (Beta): more than twice. Half the gap is 8,000 and Delta comes
    closest: moving it leaves 7,000 against 11,000, within the ratio."""
    from openkam.accounts import services as accounts
    from openkam.portfolio.recompute import recompute_portfolio
    from openkam.portfolio.tests.factories import invoice

    head, owner, today = company["head"], company["owner"], company["today"]
    issued = today - timedelta(days=60)  # inside the analysis period, which ends last month

    def owned_customer(name: str):
        account = accounts.account_create(actor=head, name=name)
        accounts.assignment_start(
            actor=head, account=account, user=owner, starts_on=today - timedelta(days=400)
        )
        return account

    delta, epsilon = owned_customer("Delta Foods"), owned_customer("Epsilon Tools")
    for account, net in ((company["a"], "3000"), (delta, "10000"), (epsilon, "4000")):
        invoice(account, issued, ("Paper", net, "0"))
    invoice(company["b"], issued, ("Paper", "1000", "0"))
    recompute_portfolio(today=today)
    return {**company, "delta": delta, "epsilon": epsilon}


def test_head_applies_the_proposed_rebalancing_and_the_warning_goes(
    page, login, unbalanced_board, page_problems, shot
):
    from openkam.accounts.models import Assignment

    delta = unbalanced_board["delta"]
    login("head")
    page.goto(reverse("reviews:board"))
    warning = page.locator("#imbalance-warning")
    expect(warning).to_contain_text("Unbalanced board.")
    expect(warning).to_contain_text("more than twice")
    proposal = page.locator("#rebalance")
    expect(proposal.get_by_role("heading", name="Proposed rebalancing")).to_be_visible()
    moves = proposal.locator("#rebalance-moves tbody tr")
    expect(moves).to_have_count(1)
    expect(moves.first).to_contain_text("Delta Foods")
    expect(moves.first.locator('td[data-label="From"]')).to_have_text("Owner")
    expect(moves.first.locator('td[data-label="To"]')).to_have_text("Other")
    expect(proposal).to_contain_text("no KAM carries more than 2 times the revenue")
    shot("board-proposed-rebalancing")

    with page.expect_navigation():
        proposal.get_by_role("button", name=re.compile(r"^Apply: move 1 account")).click()
    assert urlsplit(page.url).path == reverse("reviews:board")
    expect(page.locator(".messages")).to_contain_text("1 account moved")
    expect(page.locator("#imbalance-warning")).to_have_count(0)
    expect(page.locator("#rebalance")).to_have_count(0)
    owners = Assignment.objects.active(unbalanced_board["today"]).filter(
        account=delta, role="owner"
    )
    assert [row.user.username for row in owners] == ["other"]
    assert page_problems.js_errors == []
    assert page_problems.failed_responses == []


def test_unbalanced_board_fits_a_phone_screen(page, login, unbalanced_board, shot):
    page.set_viewport_size(PHONE)
    login("head")
    page.goto(reverse("reviews:board"))
    expect(page.locator("#imbalance-warning")).to_be_visible()
    move = page.locator("#rebalance-moves tbody tr").first
    expect(move.locator('td[data-label="To"]')).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^Apply"))).to_be_visible()
    shot("phone-board-rebalancing")
    assert page_overflow(page) == 0


# --- 4. The plan printed for the client and for us ----------------------------------------


@pytest.fixture
def reviewed_plan(workspace):
    """Alfa's plan with an internal strategy and the head's review: at risk, commented."""
    from openkam.plans import services as plans

    plan = plans.plan_update(actor=workspace["owner"], plan=workspace["plan"], strategy=STRATEGY)
    plans.review_record(
        actor=workspace["head"], plan=plan, health="at_risk", comment=REVIEW_COMMENT
    )
    return {**workspace, "plan": plan}


def test_plan_prints_for_the_client_without_health_or_review_comments(
    page, login, reviewed_plan, page_problems, shot
):
    plan = reviewed_plan["plan"]
    login("owner")
    page.goto(reverse("plans:detail", args=[plan.pk]))
    actions = page.locator(".page-head .actions")
    pdf = reverse("plans:pdf", args=[plan.pk])
    expect(actions.get_by_role("link", name="PDF for the client")).to_have_attribute("href", pdf)
    expect(actions.get_by_role("link", name="Internal PDF")).to_have_attribute(
        "href", pdf + "?for=internal"
    )

    with page.expect_navigation():
        actions.get_by_role("link", name="Print for the client").click()
    assert urlsplit(page.url).path == reverse("plans:print", args=[plan.pk])
    assert urlsplit(page.url).query == ""
    body = page.locator("body")
    expect(body).to_contain_text("Version for the client")
    expect(page.get_by_role("heading", level=1)).to_have_text(reviewed_plan["a"].name)
    expect(body).to_contain_text(plan.title)
    expect(body).to_contain_text("Your account manager")
    expect(body).not_to_contain_text(REVIEW_COMMENT)
    expect(body).not_to_contain_text(STRATEGY)
    expect(body).not_to_contain_text("Health")
    expect(body).not_to_contain_text("at risk")
    expect(body).not_to_contain_text("Review log")
    shot("plan-print-client")

    with page.expect_navigation():
        page.get_by_role("link", name="Internal version").click()
    assert urlsplit(page.url).query == "for=internal"
    expect(body).to_contain_text(REVIEW_COMMENT)
    expect(body).to_contain_text(STRATEGY)
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("Health")
    expect(facts).to_contain_text("at risk")
    expect(page.get_by_role("heading", name="Review log")).to_be_visible()
    shot("plan-print-internal")
    assert page_problems.js_errors == []
    assert page_problems.failed_responses == []


# --- 5. "Add contact" from the stakeholder map comes back to the map -----------------------


def test_add_contact_from_the_map_returns_to_the_map_with_the_new_person(
    page, login, workspace, page_problems
):
    account = workspace["a"]
    map_url = reverse("account_stakeholders:map", args=[account.pk]) + "?from=brief&tab=people"
    login("owner")
    page.goto(map_url)
    with page.expect_navigation():
        page.locator(".page-head .actions").get_by_role("link", name="Add contact").click()
    assert urlsplit(page.url).path == reverse(
        "account_stakeholders:contact_create", args=[account.pk]
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Add contact")
    page.fill("#id_last_name", "Wiśniewska")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()

    here = urlsplit(page.url)
    assert here.path + "?" + here.query == map_url
    expect(page.locator(".messages")).to_contain_text("Contact added.")
    expect(page.locator("#people").get_by_role("link", name="Wiśniewska")).to_be_visible()
    assert page_problems.js_errors == []
    assert page_problems.failed_responses == []


# --- 6. The stakeholder graph on a phone: no two names overlap -----------------------------


def test_stakeholder_graph_names_do_not_overlap_on_a_phone(page, login, workspace):
    from openkam.stakeholders.services import contact_create

    account = workspace["a"]
    for name in ("Aleksandra Wiśniewska-Kowalczyk", "Bartłomiej Zieliński", "Katarzyna Nowak"):
        first, last = name.split(" ", 1)
        contact_create(actor=workspace["head"], account=account, first_name=first, last_name=last)
    page.set_viewport_size(PHONE)
    login("owner")
    page.goto(reverse("account_stakeholders:map", args=[account.pk]))
    names = page.locator("#stakeholder-graph .textpoint text")
    expect(names.first).to_be_visible()
    boxes = [box for box in (n.bounding_box() for n in names.all()) if box]
    overlapping = [
        (a, b)
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]
    ]  # fmt: skip
    assert len(boxes) >= 3 and overlapping == []


# --- 7. The account picker is searched by typing ----------------------------------------


def test_planning_an_activity_the_account_is_found_by_typing(page, login, workspace, page_problems):
    from openkam.accounts import services as account_services

    for i in range(40):  # a long list, as a KAM's portfolio is
        account = account_services.account_create(actor=workspace["head"], name=f"Filler {i:02d}")
        account_services.assignment_start(
            actor=workspace["head"], account=account, user=workspace["owner"]
        )
    login("owner")
    page.goto(reverse("activities:create"))
    picker = page.locator(".ts-control input")
    expect(picker).to_be_visible()
    picker.fill("logist")  # "Alfa Logistyka": a word from the middle of the name
    options = page.locator(".ts-dropdown .option")
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text(workspace["a1"].name)
    options.first.click()
    assert page.locator("select[name=account]").input_value() == str(workspace["a1"].pk)
    # Choosing the account still reloads its stakeholders and plan actions (htmx).
    expect(page.locator("#account-fields")).to_be_attached()
    picker.fill("zzzz")
    expect(page.locator(".ts-dropdown .no-results")).to_have_text("Nothing matches")
    assert page_problems.js_errors == []
