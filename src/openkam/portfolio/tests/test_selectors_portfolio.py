"""Portfolio reads: everything over what the user sees, recomputed for that set."""

from __future__ import annotations

from decimal import Decimal

import pytest

from openkam.accounts import services as account_services
from openkam.accounts.models import AssignmentRole
from openkam.portfolio import selectors
from openkam.portfolio.tests import pages_fixtures
from openkam.portfolio.tests.conftest import TODAY
from openkam.users.models import Role

scored = pages_fixtures.scored  # the fixture, shared by the portfolio page tests

F = selectors.Filters


def test_head_summary_covers_every_group(scored):
    result = selectors.summary(user=scored["head"], filters=F())
    assert result.customers == 3
    assert result.revenue == Decimal("10000.00")
    assert result.top20_share == pytest.approx(0.6)  # top 1 of 3 customers: B with 6000
    assert result.customers_for_80 == 2


def test_kam_summary_covers_only_their_customers(scored):
    result = selectors.summary(user=scored["owner"], filters=F())
    assert (result.customers, result.revenue) == (1, Decimal("4000.00"))
    assert result.herfindahl == pytest.approx(1.0)


def test_kam_matrix_classes_are_recomputed_over_their_own_set(scored):
    result = selectors.summary(user=scored["owner"], filters=F(scope="entity"))
    counts = {(c.abc, c.xyz): c.count for row in result.matrix for c in row}
    # A (3500) alone holds 87.5% of the owner's 4000, so A1 (500) is B for them.
    assert sum(n for (a, _), n in counts.items() if a == "A") == 1
    assert sum(n for (a, _), n in counts.items() if a == "B") == 1


def test_summary_by_margin_uses_margin(scored):
    result = selectors.summary(user=scored["head"], filters=F(basis="margin"))
    assert result.margin == Decimal("2100.00")  # A group 1100 + B 1000
    assert result.top20_share == pytest.approx(1100 / 2100)


def test_entity_scope_counts_legal_entities(scored):
    assert selectors.summary(user=scored["head"], filters=F(scope="entity")).customers == 4


def test_no_figures_before_the_first_recompute(ledger):
    result = selectors.summary(user=ledger["head"], filters=F())
    assert result.run is None and result.customers == 0


def test_cell_list_holds_exactly_the_cells_customers(scored):
    head = scored["head"]
    result = selectors.summary(user=head, filters=F())
    for row in result.matrix:
        for cell in row:
            listed = selectors.metrics_list(user=head, filters=F(abc=cell.abc, xyz=cell.xyz))
            assert listed.count() == cell.count, f"{cell.abc}{cell.xyz}"


def test_cells_partition_the_customers(scored):
    head = scored["head"]
    listed = [
        m.account_id for abc in "ABC" for m in selectors.metrics_list(user=head, filters=F(abc=abc))
    ]
    assert sorted(listed) == sorted(a.pk for a in (scored["a"], scored["b"], scored["c"]))


def test_subsidiary_kam_sees_their_subsidiary_as_a_customer(scored, make_user):
    kam = make_user("subkam", Role.KAM)
    account_services.assignment_start(
        actor=scored["head"],
        account=scored["a1"],
        user=kam,
        role=AssignmentRole.OWNER,
        starts_on=TODAY,
    )
    rows = list(selectors.customer_metrics(user=kam))
    assert [(m.account_id, m.scope) for m in rows] == [(scored["a1"].pk, "entity")]


def test_score_is_attached_from_the_chosen_model(scored):
    rows = selectors.metrics_list(user=scored["head"], filters=F(sort="-score"))
    assert rows[0].account_id == scored["b"].pk
    assert rows[0].score == Decimal("7.75")  # 10 x 0.75 + 1 (nobody entered fit) x 0.25


def test_scatter_lists_only_visible_scored_customers(scored):
    result = selectors.summary(user=scored["owner"], filters=F())
    assert [p["name"] for p in result.scatter] == ["Alfa Hurt S.A."]


def test_latest_run_ignores_failed_runs(scored):
    from openkam.portfolio.models import RecomputeRun

    RecomputeRun.objects.create(
        period_start=TODAY, period_end=TODAY, status=RecomputeRun.Status.FAILED
    )
    assert selectors.latest_run() == scored["run"]
