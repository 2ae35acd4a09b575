"""A KAM who works only on a subsidiary sees its figures, never the parent's."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .chart import CHART, plotted_total
from .data import ALFA_LOGISTYKA_NET

pytestmark = pytest.mark.browser


@pytest.fixture
def subsidiary_kam(sales, make_user):
    from openkam.accounts import services
    from openkam.users.models import Role

    kam = make_user("subkam", Role.KAM)
    services.assignment_start(
        actor=sales["head"], account=sales["a1"], user=kam, starts_on=sales["today"]
    )
    return kam


def test_subsidiary_kams_chart_holds_only_the_subsidiarys_revenue(
    page, login, sales, subsidiary_kam
):
    login("subkam")
    page.goto(reverse("accounts:detail", args=[sales["a1"].pk]))
    page.wait_for_selector(f"{CHART} .main-svg")
    assert plotted_total(page) == pytest.approx(float(ALFA_LOGISTYKA_NET))


def test_subsidiary_kams_account_page_never_names_the_parent(page, login, sales, subsidiary_kam):
    login("subkam")
    page.goto(reverse("accounts:detail", args=[sales["a1"].pk]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Alfa Logistyka Sp. z o.o.")
    assert "Alfa Hurt S.A." not in page.content()
