"""The pipeline as a KAM uses it: a card moves to the next stage from the board without
leaving the page (htmx), a loss is recorded with its reason on the opportunity's page,
and the board fits a phone (its columns scroll sideways inside the page)."""

from __future__ import annotations

import importlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from openkam.opportunities import services
from openkam.opportunities.models import Opportunity, StageChange

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _stages() -> None:
    """The default stages: a live-server test flushes what the data migration wrote."""
    from django.apps import apps

    migration = importlib.import_module("openkam.opportunities.migrations.0002_default_stages")
    migration.create(apps, None)


@pytest.fixture
def deals(live_server, company):
    _stages()
    close = company["today"] + timedelta(days=30)
    for title, value in (("Flour for the bakery line", "120000"), ("Sugar renewal", "40000")):
        services.opportunity_create(
            actor=company["owner"], account=company["a"], title=title, value=Decimal(value),
            currency="PLN", expected_close=close,
        )  # fmt: skip
    services.opportunity_create(
        actor=None, account=company["b"], title="Another KAM's deal", value=Decimal("1"),
        currency="PLN", expected_close=close,
    )  # fmt: skip
    return company


def test_a_card_moves_on_the_board_and_a_loss_keeps_its_reason(page, login, deals, page_problems):
    login("owner")
    page.goto(reverse("pipeline:board"))
    expect(page.locator("#board")).not_to_contain_text("Another KAM's deal")
    card = page.locator("article.pipeline-card", has_text="Flour for the bakery line")
    card.locator("select").select_option(label="Propose")
    card.get_by_role("button", name="Move").click()
    propose = page.locator("section.pipeline-column").filter(
        has=page.locator("h2", has_text="Propose")
    )
    expect(propose).to_contain_text("Flour for the bakery line")
    expect(propose).to_contain_text("weighted 60,000.00")
    deal = Opportunity.objects.get(title="Flour for the bakery line")
    assert (deal.stage.code, deal.probability) == ("propose", 50)

    page.locator("a", has_text="Sugar renewal").click()
    page.select_option("#id_stage", label="Lost")
    page.select_option("#id_lost_reason", label="lost to a competitor")
    with page.expect_navigation():
        page.locator("#move").get_by_role("button", name="Move").click()
    expect(page.locator("main")).to_contain_text("lost to a competitor")
    lost = Opportunity.objects.get(title="Sugar renewal")
    assert (lost.stage.code, lost.probability, lost.lost_reason) == ("lost", 0, "competitor")
    assert StageChange.objects.filter(opportunity=lost).count() == 2
    assert page_problems.js_errors == [] and page_problems.failed_responses == []


def test_the_board_fits_a_phone(page, login, deals):
    from openkam.opportunities.models import Stage

    # A card in a column off the screen: its hidden "Move to" label must not widen the page.
    services.opportunity_create(
        actor=deals["owner"], account=deals["a"], title="Oil for the new site",
        value=Decimal("9000"), currency="PLN", expected_close=deals["today"],
        stage=Stage.objects.get(code="negotiate"),
    )  # fmt: skip
    page.set_viewport_size(PHONE)
    login("owner")
    page.goto(reverse("pipeline:board"))
    expect(page.locator("#board")).to_contain_text("Flour for the bakery line")
    expect(page.locator("#board")).to_contain_text("Oil for the new site")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") == 0
