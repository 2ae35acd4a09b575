"""Journey 6, the selling half: a KAM makes a proposal from an opportunity with a discount
above the discount rule; it waits for the head and cannot be sent; the head approves it
from the approvals list; the KAM sends it and the customer's PDF shows the net prices in
Polish and nothing internal. The proposal page fits a phone."""

from __future__ import annotations

import importlib
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from openkam.opportunities import services as opportunity_services
from openkam.pricing.tests import factories as pricing
from openkam.proposals.models import Proposal, RequestStatus, Status

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# The first PDF loads the Unicode font: slower than a page on a busy machine.
PDF_TIMEOUT_MS = 30_000
INTERNAL_NOTE = "Tylko dla nas: konkurencja daje 12 procent"
CUSTOMER_NOTE = "Dostawa w ciagu 7 dni roboczych."


def _migrations_data() -> None:
    """The default stages and approval rule: a live-server test flushes what the data
    migrations wrote."""
    from django.apps import apps

    for module in (
        "openkam.opportunities.migrations.0002_default_stages",
        "openkam.proposals.migrations.0002_default_rule",
    ):
        importlib.import_module(module).create(apps, None)


@pytest.fixture
def selling(live_server, company):
    """Alfa (a Polish customer, owned by "owner") with an open opportunity, and a price
    list where flour costs 100.00 PLN a unit and a KAM may give up to 10 % alone."""
    _migrations_data()
    flour = pricing.product("FL-1", "Mąka typ 500", line="Mąka")
    catalogue = pricing.price_list(tiers=("Detal",))
    pricing.set_price(catalogue, "Detal", flour, "100.00")
    pricing.rule("Up to 10 %", "10")
    deal = opportunity_services.opportunity_create(
        actor=company["owner"], account=company["a"], title="Flour for the new line",
        value=Decimal("50000"), currency="PLN",
        expected_close=company["today"] + timedelta(days=30), product_lines=["Mąka"],
    )  # fmt: skip
    return {**company, "flour": flour, "deal": deal}


def _switch_to(page, login, username: str) -> None:
    page.context.clear_cookies()
    login(username)


def _choose_product(page, add_line, product) -> None:
    """Type, then click the product's option, as a person does. The product must be chosen
    before the form goes: a click lost on a busy machine (the dropdown redrawn by a late
    search answer) would leave it empty and the form unsent, so a lost click is retried."""
    chosen = add_line.locator("select[name=product]")
    for _attempt in range(3):
        add_line.locator(".ts-control input").fill("mąka")
        page.locator(".ts-dropdown .option", has_text=product.name).first.click()
        try:
            expect(chosen).to_have_value(str(product.pk), timeout=5_000)
            return
        except AssertionError:
            continue
    expect(chosen).to_have_value(str(product.pk))


def _make_proposal(page, selling) -> Proposal:
    """The KAM's part up to submitting: a 14 % line and the notes."""
    page.goto(reverse("opportunities:detail", args=[selling["deal"].pk]))
    with page.expect_navigation(timeout=30_000):
        page.locator("#new-proposal").click()
    proposal = Proposal.objects.get()
    assert page.url.endswith(reverse("proposals:detail", args=[proposal.pk]))

    add_line = page.locator("#add-line")
    _choose_product(page, add_line, selling["flour"])
    add_line.locator("input[name=quantity]").fill("10")
    add_line.locator("input[name=discount_pct]").fill("14")
    with page.expect_navigation(timeout=30_000):
        add_line.get_by_role("button", name="Add").click()
    lines = page.locator("#lines")
    expect(lines).to_contain_text("FL-1")
    expect(lines).to_contain_text("needs approval")
    expect(page.locator("#proposal-total")).to_contain_text("860.00")

    page.locator("#header summary").click()
    page.fill("#id_internal_note", INTERNAL_NOTE)
    page.fill("#id_customer_note", CUSTOMER_NOTE)
    with page.expect_navigation(timeout=30_000):
        page.locator("#header").get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text(INTERNAL_NOTE)  # the team sees it
    return proposal


def test_a_discount_above_the_rule_is_approved_by_the_head_then_sent(
    page, login, selling, page_problems
):
    login("owner")
    proposal = _make_proposal(page, selling)

    with page.expect_navigation(timeout=30_000):
        page.locator("#submit-proposal").click()
    expect(page.locator("#proposal-status")).to_have_text("awaiting approval")
    expect(page.locator("#send-proposal")).to_be_disabled()
    expect(page.locator("#send-refusals")).to_contain_text("waiting for approval")
    expect(page.locator("#approvals")).to_contain_text("Discount above the discount rule")
    # The KAM who prepared it has no decision to make.
    expect(page.locator("#approvals button[name=decision]")).to_have_count(0)
    request = proposal.approvals.get()
    assert (request.status, request.observed) == (RequestStatus.PENDING, Decimal("4.00"))

    _switch_to(page, login, "head")
    page.goto(reverse("proposals:approvals"))
    waiting = page.locator("main table")
    expect(waiting).to_contain_text(selling["a"].name)
    expect(waiting).to_contain_text("Discount above the discount rule")
    with page.expect_navigation(timeout=30_000):
        waiting.get_by_role("link", name=str(proposal)).click()
    approvals = page.locator("#approvals")
    approvals.locator("textarea[name=note]").fill("A key customer: the 4 points are worth it.")
    with page.expect_navigation(timeout=30_000):
        approvals.locator("button[name=decision][value=approve]").click()
    expect(page.locator("#proposal-status")).to_have_text("approved")
    expect(approvals).to_contain_text("A key customer")

    _switch_to(page, login, "owner")
    page.goto(reverse("proposals:detail", args=[proposal.pk]))
    expect(page.locator("#send-refusals")).to_have_count(0)
    send = page.locator("#send-proposal")
    expect(send).to_be_enabled()
    with page.expect_navigation(timeout=30_000):
        send.click()
    expect(page.locator("#proposal-status")).to_have_text("sent")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.sent_on) == (Status.SENT, selling["today"])

    # The customer's PDF, fetched with the KAM's own session.
    href = page.locator("#proposal-pdf").get_attribute("href")
    assert href == reverse("proposals:pdf", args=[proposal.pk])
    response = page.request.get(href, timeout=PDF_TIMEOUT_MS)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(response.body())).pages
    text = " ".join((p.extract_text() or "") for p in pages).replace("\u00a0", " ")
    assert selling["a"].name in text
    assert "Mąka typ 500" in text
    assert "86,00" in text and "860,00" in text  # 100.00 less 14 %, the Polish way
    assert "100,00" in text  # the list price
    assert CUSTOMER_NOTE in text
    assert INTERNAL_NOTE not in text and "konkurencja" not in text

    assert page_problems.js_errors == []
    assert page_problems.failed_responses == []
    assert page_problems.external_requests == []


def test_the_proposal_page_fits_a_phone(page, login, selling):
    page.set_viewport_size(PHONE)
    login("owner")
    _make_proposal(page, selling)
    expect(page.locator("#lines")).to_contain_text("FL-1")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") == 0
    assert page.evaluate("document.body.scrollWidth - window.innerWidth") <= 0


def test_the_head_approves_on_a_phone_without_scrolling_sideways(page, login, selling):
    from openkam.proposals import approval_flow
    from openkam.proposals import services as proposal_services

    owner = selling["owner"]
    proposal = proposal_services.proposal_create(actor=owner, opportunity=selling["deal"])
    proposal_services.line_add(
        actor=owner, proposal=proposal, product=selling["flour"], quantity=Decimal(10),
        discount_pct=Decimal(14),
    )  # fmt: skip
    approval_flow.submit(actor=owner, proposal=proposal)
    page.set_viewport_size(PHONE)
    login("head")
    page.goto(reverse("proposals:detail", args=[proposal.pk]))
    approve = page.locator("#approvals").get_by_role("button", name="Approve")
    box = approve.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    with page.expect_navigation():
        approve.click()
    proposal.refresh_from_db()
    assert proposal.status == Status.APPROVED
