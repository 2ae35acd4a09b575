"""Editing an account's dossier, read-only roles, and the list's in-place search."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# Forms a page may carry besides its own work: the language switch and the log-out button.
WORK_FORMS = "form:not(.langswitch):not([action$='/logout/'])"


def edit_url(account) -> str:
    return reverse("accounts:edit", args=[account.pk])


def detail_url(account) -> str:
    return reverse("accounts:detail", args=[account.pk])


def test_owner_saves_the_dossier_and_sees_it_on_the_account_page(page, login, company):
    login("owner")
    page.goto(detail_url(company["a"]))
    with page.expect_navigation():
        page.get_by_role("link", name="Edit dossier").click()
    assert urlsplit(page.url).path == edit_url(company["a"])
    page.fill("#id_city", "Łódź")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert urlsplit(page.url).path == detail_url(company["a"])
    expect(page.locator("#dossier")).to_contain_text("Łódź")
    expect(page.locator("#history")).to_contain_text("Łódź")


def test_owner_sees_the_dossier_form_on_the_edit_page(page, login, company, shot):
    login("owner")
    response = page.goto(edit_url(company["a"]))
    assert response.status == 200
    assert page.locator(WORK_FORMS).count() == 1
    expect(page.locator("#id_name")).to_have_value("Alfa Hurt S.A.")
    shot("account-edit")


def test_viewer_opening_the_edit_url_gets_404_and_no_form(page, login, company, shot):
    login("viewer")
    response = page.goto(edit_url(company["a"]))
    assert response.status == 404
    assert page.locator(WORK_FORMS).count() == 0
    assert page.locator("#id_name").count() == 0
    shot("not-found")


def test_viewer_sees_the_account_page_without_an_edit_button(page, login, company):
    login("viewer")
    response = page.goto(detail_url(company["a"]))
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_contain_text("Alfa Hurt S.A.")
    expect(page.locator(f"a[href='{edit_url(company['a'])}']")).to_have_count(0)


def test_typing_in_the_search_filters_the_list_in_place(page, login, company):
    login("head")
    page.goto(reverse("accounts:list"))
    accounts_table = page.locator("#account-results")
    expect(accounts_table).to_contain_text("Gamma Retail")
    # A full page load would forget this; htmx swapping the table keeps it.
    page.evaluate("window.stillTheSamePage = true")
    page.locator("#filter-q").press_sequentially("Beta")
    expect(accounts_table).not_to_contain_text("Gamma Retail")
    expect(accounts_table).to_contain_text("Beta Trade")
    assert page.evaluate("window.stillTheSamePage === true")
    # hx-push-url keeps the filter in the address, so reload and back work.
    expect(page).to_have_url(re.compile(r"[?&]q=Beta(&|$)"))
