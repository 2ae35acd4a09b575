"""On a small demo company: the default model scores everyone and a review of 8 KAMs x 10
proposes a key list within capacity (journey 2)."""

from __future__ import annotations

from collections import Counter

import pytest
from django.urls import reverse

from openkam.accounts.models import Tier
from openkam.demo.build import build_demo
from openkam.demo.reset import delete_demo
from openkam.portfolio.defaults import ensure_default_scoring_model
from openkam.portfolio.models import ReviewItem
from openkam.portfolio.recompute import recompute_portfolio
from openkam.portfolio.reviews import services as reviews
from openkam.users.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Built outside the per-test transaction; each test's review is rolled back."""
    with django_db_blocker.unblock():
        yield build_demo(lines=20_000, accounts=300, seed=11)
        delete_demo()


@pytest.fixture
def demo_review(demo):
    head = User.objects.get(username="head")
    model = ensure_default_scoring_model(actor=head)
    recompute_portfolio(triggered_by=head)
    review = reviews.review_create(actor=head, scoring_model=model, kam_count=8, max_per_kam=10)
    return head, review


def test_review_of_8_kams_by_10_stays_within_80(demo_review):
    _, review = demo_review
    proposed_key = review.items.filter(proposed_tier=Tier.KEY).count()
    assert review.capacity == 80
    assert 0 < proposed_key <= 80


def test_every_promotion_ranks_within_capacity(demo_review):
    _, review = demo_review
    ranks = review.items.filter(change=ReviewItem.Change.PROMOTE).values_list("rank", flat=True)
    assert ranks and max(ranks) <= 80


def test_review_proposes_promotions_demotions_and_keeps(demo_review):
    _, review = demo_review
    changes = Counter(review.items.values_list("change", flat=True))
    assert set(changes) == {"promote", "demote", "keep"}


def test_review_page_renders_for_the_demo_head(client, demo_review):
    head, review = demo_review
    client.force_login(head)
    response = client.get(reverse("reviews:detail", args=[review.pk]))
    assert response.status_code == 200
    assert "8 KAMs × 10 key accounts each" in response.content.decode()
