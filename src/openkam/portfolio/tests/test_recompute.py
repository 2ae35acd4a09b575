"""The full recompute against a small ledger whose figures were worked out by hand.

Today is 2026-11-23, so with a 12-month period the period is 2025-11-01..2026-10-31 and
the previous period 2024-11-01..2025-10-31.
"""

from __future__ import annotations

from datetime import date

import pytest

from openkam.accounts import services as account_services
from openkam.portfolio.models import (
    AccountMetrics,
    ManualScore,
    RecomputeRun,
    ScoreSnapshot,
    ScoringCriterion,
    ScoringModel,
)
from openkam.portfolio.recompute import recompute_portfolio
from openkam.portfolio.tests.conftest import TODAY


def metrics(account, scope):
    return AccountMetrics.objects.get(account=account, scope=scope)


def test_entity_figures(ledger):
    recompute_portfolio(today=TODAY)
    a = metrics(ledger["a"], "entity")
    assert a.revenue == 3500 and a.margin == 1000 and a.revenue_prev == 1500
    assert a.growth == pytest.approx(3500 / 1500 - 1)
    assert (a.invoice_count, a.avg_invoice, a.product_lines) == (2, 1750, 2)
    assert (a.avg_days_late, a.worst_days_late) == (10, 20)
    assert a.first_invoice_on == date(2025, 3, 5)
    assert a.relationship_days == (TODAY - date(2025, 3, 5)).days


def test_group_is_judged_as_one_customer(ledger):
    recompute_portfolio(today=TODAY)
    group = metrics(ledger["a"], "group")
    assert group.revenue == 4000 and group.margin == 1100
    assert group.product_lines == 3  # Paper and Ink from A, Toner from A1
    assert group.worst_days_late == 53
    assert group.avg_days_late == pytest.approx((20 + 0 + 53) / 3)
    assert not AccountMetrics.objects.filter(account=ledger["a1"], scope="group").exists()
    assert metrics(ledger["a1"], "entity").revenue == 500


def test_shares_and_classes(ledger):
    recompute_portfolio(today=TODAY)
    b, a, c = (metrics(ledger[k], "group") for k in ("b", "a", "c"))
    assert b.revenue_share == pytest.approx(0.6) and a.revenue_share == pytest.approx(0.4)
    assert (b.abc, a.abc, c.abc) == ("A", "A", "C")  # A holds 60%, B crosses 80%, C sold nothing
    assert c.growth == -1.0 and c.xyz == "Z"


def test_scores_are_snapshotted_per_run_with_their_parts(ledger):
    model = ScoringModel.objects.create(name="Default")
    ScoringCriterion.objects.create(
        scoring_model=model, criterion="revenue_potential", weight=3, metric="revenue"
    )
    ScoringCriterion.objects.create(
        scoring_model=model, criterion="cultural_fit", weight=1, source="people"
    )
    ManualScore.objects.create(
        account=ledger["c"], criterion="cultural_fit", points=3, entered_by=ledger["head"]
    )
    ManualScore.objects.create(
        account=ledger["c"], criterion="cultural_fit", points=9, entered_by=ledger["head"]
    )  # the latest entry counts
    first = recompute_portfolio(today=TODAY)
    second = recompute_portfolio(today=TODAY)
    top = ScoreSnapshot.objects.get(run=second, rank=1)
    assert top.account == ledger["b"]
    assert top.total == pytest.approx(10 * 0.75 + 1 * 0.25)
    c_score = ScoreSnapshot.objects.get(run=second, account=ledger["c"])
    parts = {p["criterion"]: p for p in c_score.parts}
    assert parts["cultural_fit"]["points"] == 9
    assert sum(p["contribution"] for p in c_score.parts) == pytest.approx(
        float(c_score.total), abs=0.01
    )
    assert (
        ScoreSnapshot.objects.filter(run=first).count()
        == ScoreSnapshot.objects.filter(run=second).count()
        == 3
    )  # the groups A, B, C


def test_archived_accounts_are_left_out(ledger):
    account_services.account_set_archived(actor=ledger["head"], account=ledger["c"], archived=True)
    run = recompute_portfolio(today=TODAY)
    assert run.status == RecomputeRun.Status.SUCCEEDED
    assert not AccountMetrics.objects.filter(account=ledger["c"]).exists()
