"""The ledger read into per-account arrays: periods, which accounts, which lines.

Today is 2026-11-23: with 12 months the period is 2025-11-01..2026-10-31 and the
previous period 2024-11-01..2025-10-31.
"""

from __future__ import annotations

from datetime import date

import numpy as np
from django.db import connection

from openkam.accounts import services as account_services
from openkam.accounts.models import Account
from openkam.ledger.periods import Period
from openkam.portfolio.compute import Thresholds, entity_metrics, group_metrics
from openkam.portfolio.ledger_figures import _params, load_ledger_figures
from openkam.portfolio.tests.conftest import TODAY
from openkam.portfolio.tests.factories import invoice


def test_query_dates_are_iso_text_where_the_database_stores_text(db):
    period = Period.ending_before(TODAY, 12)
    dates: dict[str, date | str] = {
        "prev_start": date(2024, 11, 1),
        "start": date(2025, 11, 1),
        "end": date(2026, 11, 1),
        "today": TODAY,
    }
    if connection.vendor == "sqlite":  # SQLite compares dates as ISO text
        dates = {key: str(day) for key, day in dates.items()}
    assert _params(period, TODAY) == dates


def test_an_account_outside_any_group_is_its_own_group(company):
    solo = Account.objects.create(name="Solo Sp. z o.o.", external_id="S")  # no group root
    invoice(solo, date(2026, 2, 2), ("Paper", "40", "10"))
    figures = load_ledger_figures(Period.ending_before(TODAY, 12), TODAY)
    row = figures.account_ids.tolist().index(solo.pk)
    assert figures.group_root_ids[row] == solo.pk
    groups = group_metrics(figures, TODAY, Thresholds())
    assert groups.revenue[groups.account_ids.tolist().index(solo.pk)] == 40


def test_nothing_bought_in_the_period_means_no_product_lines(company):
    invoice(company["a"], date(2025, 3, 5), ("Paper", "100", "50"))  # previous period only
    figures = load_ledger_figures(Period.ending_before(TODAY, 12), TODAY)
    assert len(figures.product_line_rows) == len(figures.product_line_codes) == 0
    assert entity_metrics(figures, TODAY, Thresholds()).product_lines.tolist() == [0] * 4
    assert group_metrics(figures, TODAY, Thresholds()).product_lines.tolist() == [0] * 3


def test_lines_of_an_archived_account_beyond_the_last_active_one_are_left_out(company):
    # One active account left, the archived ones with higher ids still have lines.
    for key in ("a1", "b", "c"):
        invoice(company[key], date(2026, 4, 4), ("Ink", "70", "20"))
        account_services.account_set_archived(
            actor=company["head"], account=company[key], archived=True
        )
    invoice(company["a"], date(2026, 4, 4), ("Paper", "30", "10"))
    figures = load_ledger_figures(Period.ending_before(TODAY, 12), TODAY)
    assert figures.account_ids.tolist() == [company["a"].pk]
    assert figures.monthly_revenue.sum() == 30
    assert figures.invoice_count.tolist() == [1]
    assert figures.product_line_rows.tolist() == [0]


def test_a_ledger_whose_accounts_are_all_archived_gives_empty_figures(company):
    for key in ("a", "a1", "b", "c"):
        invoice(company[key], date(2026, 4, 4), ("Ink", "70", "20"))
        account_services.account_set_archived(
            actor=company["head"], account=company[key], archived=True
        )
    figures = load_ledger_figures(Period.ending_before(TODAY, 12), TODAY)
    assert len(figures.account_ids) == 0
    assert figures.monthly_revenue.shape == (0, 12)
    assert np.array_equal(figures.product_line_rows, [])
    assert len(entity_metrics(figures, TODAY, Thresholds())) == 0
