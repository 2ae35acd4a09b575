"""Fixtures of the review and board page and API tests (imported by those test modules).

On the hand-checked ledger (conftest.py) a revenue-only model ranks B (6000) first,
the A group (4000) second and C (nothing this period) third. With A and C key today and
a capacity of 2 (2 KAMs x 1), the review promotes B, keeps A and demotes C.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openkam.accounts import services as account_services
from openkam.accounts.models import Tier
from openkam.portfolio.models import ReviewItem, ScoringCriterion, ScoringModel
from openkam.portfolio.recompute import recompute_portfolio
from openkam.portfolio.reviews import services as reviews
from openkam.portfolio.tests.conftest import TODAY
from openkam.portfolio.tests.factories import invoice


def revenue_model(name: str = "Revenue only") -> ScoringModel:
    model = ScoringModel.objects.create(name=name, is_default=True)
    ScoringCriterion.objects.create(
        scoring_model=model, criterion="revenue_potential", weight=1, metric="revenue"
    )
    return model


@pytest.fixture
def scored(ledger):
    model = revenue_model()
    for key in ("a", "c"):
        account_services.account_set_tier(actor=ledger["head"], account=ledger[key], tier=Tier.KEY)
        ledger[key].refresh_from_db()
    recompute_portfolio(today=TODAY)
    return {**ledger, "model": model}


@pytest.fixture
def review(scored):
    """B promoted, A kept, C demoted."""
    return reviews.review_create(
        actor=scored["head"], scoring_model=scored["model"], kam_count=2, max_per_kam=1
    )


def item_of(review, account) -> ReviewItem:
    return review.items.get(account=account)


def add_customers(company, count: int, start: int = 0) -> list:
    """`count` more customers, each with one invoice in the period, owned by `owner`."""
    made = []
    for i in range(start, start + count):
        account = account_services.account_create(
            actor=company["head"], name=f"Extra {i:03d}", external_id=f"X{i}"
        )
        account_services.assignment_start(
            actor=company["head"],
            account=account,
            user=company["owner"],
            starts_on=company["today"] - timedelta(days=30),
        )
        account_services.account_set_tier(actor=company["head"], account=account, tier=Tier.KEY)
        invoice(account, date(2026, 5, 1) + timedelta(days=i), ("Paper", f"{100 + i}", "50"))
        made.append(account)
    return made


def count_queries(fetch) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = fetch()
    assert response.status_code == 200
    return len(captured)
