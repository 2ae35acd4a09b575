"""Journey 4 starts on a phone: the pages must fit a phone's width; wide tables scroll
inside their card instead of widening the whole page."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def page_overflow(page) -> int:
    """How many pixels the page is wider than the screen (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


def test_account_page_fits_a_phone_screen(phone, login, sales, shot):
    login("owner")
    phone.goto(reverse("accounts:detail", args=[sales["a"].pk]))
    phone.wait_for_selector("#revenue-chart .main-svg")
    shot("phone-account-page")
    assert page_overflow(phone) == 0


def test_account_list_fits_a_phone_screen(phone, login, sales, shot):
    login("head")
    phone.goto(reverse("accounts:list"))
    shot("phone-account-list")
    assert page_overflow(phone) == 0
