"""The analysis page on a small demo company: the Pareto shape the demo promises.

Built once for the module outside the per-test transaction (a few seconds) and removed
afterwards, with every figure the recompute left behind.
"""

from __future__ import annotations

import pytest

from openkam.demo.build import build_demo
from openkam.demo.reset import delete_demo
from openkam.portfolio.models import AccountMetrics, RecomputeRun, ScoreSnapshot, ScoringModel
from openkam.portfolio.recompute import recompute_portfolio
from openkam.portfolio.tests.pages_fixtures import make_model
from openkam.users.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        build_demo(lines=20_000, accounts=300, seed=11)
        make_model("Demo standard")
        recompute_portfolio()
        yield
        ScoreSnapshot.objects.all().delete()
        AccountMetrics.objects.all().delete()
        RecomputeRun.objects.all().delete()
        ScoringModel.objects.all().delete()
        delete_demo()


def summary_for(client, username):
    client.force_login(User.objects.get(username=username))
    response = client.get("/portfolio/")
    assert response.status_code == 200
    return response.context["summary"]


def test_about_a_fifth_of_customers_hold_most_revenue(client, demo):
    summary = summary_for(client, "head")
    assert 0.12 <= summary.share_for_80 <= 0.25
    assert 0.72 <= summary.top20_share <= 0.90


def test_a_demo_kam_sees_fewer_customers_than_the_head(client, demo):
    head, kam = summary_for(client, "head"), summary_for(client, "marek")
    assert 0 < kam.customers < head.customers and kam.revenue < head.revenue


def test_every_customer_with_revenue_is_on_the_score_chart(client, demo):
    summary = summary_for(client, "head")
    selling = AccountMetrics.objects.filter(scope="group", revenue__gt=0).count()
    assert len(summary.scatter) == selling > 0
