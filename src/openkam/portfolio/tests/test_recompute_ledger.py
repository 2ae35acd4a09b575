"""Edge cases of the ledger queries and of the direct row writing in the recompute.

Today is 2026-11-23: the period is 2025-11-01..2026-10-31, the previous period
2024-11-01..2025-10-31. Each test builds its own small ledger on the `company` accounts.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from openkam.accounts import services as account_services
from openkam.portfolio.compute import Thresholds, entity_metrics, group_metrics
from openkam.portfolio.ledger_figures import Period, load_ledger_figures
from openkam.portfolio.models import (
    AccountMetrics,
    AnalysisSettings,
    ManualScore,
    ScoreSnapshot,
    ScoringCriterion,
    ScoringModel,
)
from openkam.portfolio.recompute import recompute_portfolio, thresholds_from
from openkam.portfolio.scoring import score_customers
from openkam.portfolio.tests.conftest import TODAY
from openkam.portfolio.tests.factories import invoice, pay


def entity(account) -> AccountMetrics:
    return AccountMetrics.objects.get(account=account, scope="entity")


def test_a_partly_paid_invoice_is_late_until_today(company):
    header = invoice(company["b"], date(2026, 9, 1), ("Paper", "1000", "500"))  # due 10-01
    pay(header, date(2026, 9, 20), amount="999.00")
    recompute_portfolio(today=TODAY)
    assert entity(company["b"]).worst_days_late == (TODAY - date(2026, 10, 1)).days


def test_payments_add_up_to_settle_an_invoice_on_the_last_one(company):
    header = invoice(company["b"], date(2026, 9, 1), ("Paper", "1000", "500"))  # due 10-01
    pay(header, date(2026, 9, 20), amount="600.00")
    pay(header, date(2026, 10, 11), amount="400.00")
    recompute_portfolio(today=TODAY)
    assert entity(company["b"]).worst_days_late == 10


def test_an_account_without_invoices_gets_empty_figures(company):
    invoice(company["b"], date(2026, 5, 4), ("Paper", "100", "50"))
    recompute_portfolio(today=TODAY)
    c = entity(company["c"])
    assert (c.revenue, c.invoice_count, c.product_lines) == (0, 0, 0)
    assert (c.first_invoice_on, c.last_invoice_on, c.relationship_days) == (None, None, 0)
    assert (c.growth, c.avg_days_late, c.worst_days_late, c.variation) == (None,) * 4
    assert (c.abc, c.xyz) == ("C", "Z")


def test_previous_period_months_add_up(company):
    invoice(company["b"], date(2024, 11, 1), ("Paper", "100.10", "0"))
    invoice(company["b"], date(2025, 10, 31), ("Paper", "200.20", "0"))
    invoice(company["b"], date(2024, 10, 31), ("Paper", "999", "0"))  # before both periods
    recompute_portfolio(today=TODAY)
    assert entity(company["b"]).revenue_prev == Decimal("300.30")


def test_monthly_revenue_lands_in_its_month_of_the_period(company):
    invoice(company["b"], date(2025, 11, 1), ("Paper", "100", "0"))
    invoice(company["b"], date(2026, 10, 31), ("Paper", "50", "0"), ("Ink", "25", "0"))
    invoice(company["b"], date(2026, 11, 1), ("Paper", "999", "0"))  # the current month
    period = Period.ending_before(TODAY, 12)
    figures = load_ledger_figures(period, TODAY)
    row = figures.account_ids.tolist().index(company["b"].pk)
    assert figures.monthly_revenue[row].tolist() == [100.0] + [0.0] * 10 + [75.0]


def test_a_product_line_bought_in_several_months_counts_once_and_returns_not_at_all(company):
    invoice(company["b"], date(2026, 1, 5), ("Paper", "100", "50"))
    invoice(company["b"], date(2026, 6, 5), ("Paper", "100", "50"))
    invoice(company["b"], date(2026, 7, 5), ("Ink", "-40", "-20"))  # a return
    recompute_portfolio(today=TODAY)
    assert entity(company["b"]).product_lines == 1


def test_money_is_stored_rounded_to_cents(company):
    for day in (3, 4, 5):
        invoice(company["b"], date(2026, 3, day), ("Paper", "10.00", "0"))
    invoice(company["b"], date(2026, 3, 6), ("Paper", "10.01", "0"))
    recompute_portfolio(today=TODAY)
    assert entity(company["b"]).avg_invoice == Decimal("10.00")  # 40.01 / 4 = 10.0025


def test_recomputing_replaces_the_figures(company):
    invoice(company["b"], date(2026, 3, 3), ("Paper", "10", "0"))
    recompute_portfolio(today=TODAY)
    invoice(company["b"], date(2026, 4, 3), ("Paper", "5", "0"))
    run = recompute_portfolio(today=TODAY)
    rows = AccountMetrics.objects.filter(account=company["b"])
    assert {(m.scope, m.revenue, m.run_id) for m in rows} == {
        ("entity", 15, run.pk),
        ("group", 15, run.pk),
    }


def test_stored_score_parts_match_the_score_cards(company):
    invoice(company["a"], date(2026, 2, 2), ("Paper", "1234.56", "1000"))
    invoice(company["b"], date(2026, 3, 3), ("Ink", "99.99", "50"), ("Paper", "10", "5"))
    model = ScoringModel.objects.create(name="Parts")
    ScoringCriterion.objects.create(
        scoring_model=model, criterion="revenue_potential", weight=3, metric="revenue"
    )
    ScoringCriterion.objects.create(
        scoring_model=model, criterion="product_fit", weight=2, metric="product_lines"
    )
    ScoringCriterion.objects.create(
        scoring_model=model, criterion="cultural_fit", weight=1, source="people"
    )
    ManualScore.objects.create(
        account=company["b"], criterion="cultural_fit", points=7, entered_by=company["head"]
    )
    run = recompute_portfolio(today=TODAY)
    stored = {s.account_id: s for s in ScoreSnapshot.objects.filter(run=run)}
    groups = AccountMetrics.objects.filter(scope="group").order_by("account_id")
    period = Period.ending_before(TODAY, 12)
    figures = load_ledger_figures(period, TODAY)
    metrics = group_metrics(figures, TODAY, thresholds_from(AnalysisSettings.current()))
    cards = score_customers(model, metrics)
    # The groups A, B and C, each with a stored score: an empty result must not pass.
    assert [g.account_id for g in groups] == metrics.account_ids.tolist()
    assert metrics.account_ids.tolist() == [company["a"].pk, company["b"].pk, company["c"].pk]
    assert len(cards) == len(stored) == 3
    for account_id, card in zip(metrics.account_ids.tolist(), cards, strict=True):
        snapshot = stored[account_id]
        assert snapshot.total == Decimal(f"{card.total:.2f}")
        assert snapshot.parts == [
            {
                "criterion": p.criterion,
                "value": p.value,
                "points": round(p.points, 2),
                "weight": round(p.weight, 4),
                "contribution": round(p.contribution, 3),
            }
            for p in card.parts
        ]
    assert stored[company["c"].pk].parts[2]["value"] is None  # nobody entered cultural fit


def test_lines_of_archived_accounts_are_ignored_by_the_figures(company):
    invoice(company["c"], date(2026, 3, 3), ("Paper", "10", "0"))
    account_services.account_set_archived(
        actor=company["head"], account=company["c"], archived=True
    )
    period = Period.ending_before(TODAY, 12)
    figures = load_ledger_figures(period, TODAY)
    assert company["c"].pk not in figures.account_ids.tolist()
    assert entity_metrics(figures, TODAY, Thresholds()).revenue.sum() == 0


@pytest.mark.parametrize(("net", "worst"), [("0.01", 53), ("-0.01", None)])
def test_only_invoices_with_something_to_pay_can_be_late(company, net, worst):
    invoice(company["b"], date(2026, 9, 1), ("Paper", net, "0"))  # due 10-01, unpaid
    recompute_portfolio(today=TODAY)
    assert entity(company["b"]).worst_days_late == worst
