"""Language switch and role-dependent lists, seen through the browser."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ALL_ACCOUNTS = ["Alfa Hurt S.A.", "Alfa Logistyka Sp. z o.o.", "Beta Trade", "Gamma Retail"]


@pytest.mark.parametrize("code", ["pl", "ru"])
def test_choosing_a_language_sets_the_page_language(page, login, company, code):
    login("owner")
    page.goto(reverse("accounts:list"))
    with page.expect_navigation():
        page.select_option("#language-select", code)
    assert page.locator("html").get_attribute("lang") == code
    cookies = {cookie["name"]: cookie["value"] for cookie in page.context.cookies()}
    assert cookies.get(settings.LANGUAGE_COOKIE_NAME) == code


def test_chosen_language_stays_on_the_next_page(page, login, company):
    login("owner")
    page.goto(reverse("home"))
    with page.expect_navigation():
        page.select_option("#language-select", "pl")
    page.goto(reverse("accounts:list"))
    assert page.locator("html").get_attribute("lang") == "pl"


def test_head_sees_every_account_in_the_list(page, login, company, shot):
    login("head")
    page.goto(reverse("accounts:list"))
    accounts_table = page.locator("table")
    for name in ALL_ACCOUNTS:
        expect(accounts_table).to_contain_text(name)
    shot("account-list-head")


def test_kam_list_holds_only_their_group(page, login, company):
    login("other")
    page.goto(reverse("accounts:list"))
    accounts_table = page.locator("table")
    expect(accounts_table).to_contain_text("Beta Trade")
    for name in ["Alfa Hurt S.A.", "Alfa Logistyka Sp. z o.o.", "Gamma Retail"]:
        expect(accounts_table).not_to_contain_text(name)


@pytest.mark.parametrize("code", ["en", "pl", "ru"])
def test_the_top_bar_is_one_row_on_a_laptop_in_every_language(page, login, company, code):
    login("head")  # the longest role name and the most links
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(reverse("accounts:list"))
    if code != "en":
        with page.expect_navigation():
            page.select_option("#language-select", code)
    bar = page.locator("header.topbar").bounding_box()
    link = page.locator(".mainnav a").first.bounding_box()
    assert bar["height"] < 2.2 * link["height"] + 30, "the top bar wraps onto a second row"
    # The personal pages and log out are one click away, under the user's name.
    page.locator("details.usermenu > summary").click()
    expect(page.locator(".usermenu-panel a[href='/me/deputies/']")).to_be_visible()
