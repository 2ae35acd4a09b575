"""One definition of "last 12 months": every page and the API give the same figure for the
same customer, over the same months, and print those months.

The suite's clock is 2026-12-02: the last 12 whole months are 2025-12-01 to 2026-11-30.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from openkam.accounts.tests.factories import add_invoice, bearer
from openkam.ledger import figures

PERIOD = "2025-12-01 – 2026-11-30"


@pytest.fixture
def sales(company):
    """Account A sold on the period's first and last day, the day before it and this month."""
    account = company["a"]
    add_invoice(account, date(2025, 11, 30), [("1.00", "0.00")])  # before the period
    add_invoice(account, date(2025, 12, 1), [("100.00", "60.00")])
    add_invoice(account, date(2026, 11, 30), [("20.00", "5.00")])
    add_invoice(account, date(2026, 12, 1), [("5000.00", "0.00")])  # the month under way
    return account


def test_the_period_is_the_last_twelve_whole_months(company):
    period = figures.trailing_period()
    assert (period.start, period.last_day) == (date(2025, 12, 1), date(2026, 11, 30))


def test_account_page_list_home_and_api_agree(client, company, sales):
    client.force_login(company["owner"])
    detail = client.get(reverse("accounts:detail", args=[sales.pk]))
    listed = client.get(reverse("accounts:list"), {"q": sales.name})
    home = client.get(reverse("home"))
    api = client.get(f"/api/accounts/{sales.pk}", headers=bearer(company["owner"])).json()

    row = next(r for r in listed.context["rows"] if r.pk == sales.pk)
    top = next(r for r in home.context["top_accounts"] if r.pk == sales.pk)
    figures_seen = {
        (detail.context["account"].revenue_12m, detail.context["account"].margin_12m),
        (row.revenue_12m, row.margin_12m),
        (top.revenue_12m, top.margin_12m),
        (Decimal(api["revenue_12m"]), Decimal(api["margin_12m"])),
    }
    assert figures_seen == {(Decimal("120.00"), Decimal("55.00"))}
    for page in (detail, listed, home):
        assert PERIOD in page.content.decode()


def test_the_brief_compares_the_same_twelve_months_with_the_twelve_before(client, company, sales):
    client.force_login(company["owner"])
    brief = client.get(reverse("account_workspace:brief", args=[sales.pk])).context["brief"]
    assert (brief.trend.last_12, brief.trend.prior_12) == (Decimal("120.00"), Decimal("1.00"))
    assert brief.trend.period.label == PERIOD
    assert brief.trend.prior_period.label == "2024-12-01 – 2025-11-30"
    assert [m.month for m in brief.trend.months][-1] == date(2026, 11, 1)


def test_the_chart_still_shows_the_month_under_way(client, company, sales):
    client.force_login(company["owner"])
    rows = client.get(reverse("accounts:detail", args=[sales.pk])).context["chart_data"]
    assert rows[-1] == {"month": "2026-12", "revenue": "5000.00", "margin": "5000.00"}
