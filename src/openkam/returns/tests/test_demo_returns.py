"""The demo company shows returns and refusals worth analysing: reasons in realistic
proportions, accounts that return far more than the company, and a year of lost deals
with their reasons and competitors."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from openkam.demo.build import build_demo
from openkam.demo.refusals import build_refusals
from openkam.demo.reset import delete_demo
from openkam.demo.workspace.build import build_workspace
from openkam.returns import refusals, selectors
from openkam.returns.filters import ReturnsFilter, Span
from openkam.returns.refusals import RefusalFilter
from openkam.users.models import User

TODAY = date(2026, 11, 23)
SEED = 11

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        build_demo(lines=20_000, accounts=300, seed=SEED, today=TODAY)
        build_workspace(today=TODAY, seed=SEED)
        counts = build_refusals(today=TODAY, seed=SEED)
        yield counts
        delete_demo()


def test_returns_have_weighted_reasons_and_stand_out_accounts(demo):
    head = User.objects.get(username="head")
    flt = ReturnsFilter(Span(date(2024, 1, 1), date(2026, 12, 1)), currency="PLN")
    reasons = selectors.by_reason(head, flt)
    assert len(reasons) == 7
    assert reasons[0].label == "Uszkodzenie w transporcie"
    company = selectors.summary(head, flt)[0]
    assert company.rate is not None and Decimal("0.2") < company.rate < 5
    worst = selectors.by_account(head, flt)
    big = [row for row in worst if row.figures.sales > company.sales / 1000]
    assert big[0].figures.rate is not None and big[0].figures.rate > 2 * company.rate


def test_a_year_of_lost_deals_with_reasons_and_competitors(demo):
    head = User.objects.get(username="head")
    rows = refusals.refusal_rows(head, RefusalFilter(Span(date(2025, 11, 1), date(2026, 12, 1))))
    assert demo["lost"] > 20 and len({row.key for row in rows}) >= demo["lost"]
    assert len({row.day.month for row in rows}) >= 8
    assert all(TODAY - timedelta(days=366) < row.day < TODAY for row in rows)
    by_reason = refusals.by_reason(rows)
    assert len({t.key for t in by_reason}) >= 5
    named = [t for t in refusals.by_competitor(rows) if t.key]
    assert len(named) >= 3
