"""Key-account reviews: capacity, conservative keeps, decisions into status history."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openkam.accounts.models import KeyStatusChange, Tier
from openkam.accounts.services import account_set_tier
from openkam.portfolio.models import ReviewItem, ScoringCriterion, ScoringModel
from openkam.portfolio.recompute import recompute_portfolio
from openkam.portfolio.reviews import services as reviews
from openkam.portfolio.tests.conftest import TODAY


@pytest.fixture
def scored(ledger):
    model = ScoringModel.objects.create(name="Revenue only")
    ScoringCriterion.objects.create(
        scoring_model=model, criterion="revenue_potential", weight=1, metric="revenue"
    )
    recompute_portfolio(today=TODAY)  # ranks: B (6000), A group (4000), C (0)
    return ledger, model


def _items(review):
    return {item.account_id: item for item in review.items.all()}


def test_proposal_fits_capacity_and_promotes_the_best(scored):
    company, model = scored
    review = reviews.review_create(
        actor=company["head"], scoring_model=model, kam_count=1, max_per_kam=1
    )
    items = _items(review)
    assert review.capacity == 1
    assert set(items) == {company["b"].pk}
    assert items[company["b"].pk].change == ReviewItem.Change.PROMOTE
    assert "rank 1" in items[company["b"].pk].reason_text


def test_current_key_account_within_the_margin_is_kept(scored):
    company, model = scored
    account_set_tier(actor=company["head"], account=company["a"], tier=Tier.KEY)
    # capacity 1, keep margin 25% -> rank 1 only; A is rank 2 -> demoted, B promoted? no slot.
    review = reviews.review_create(
        actor=company["head"], scoring_model=model, kam_count=1, max_per_kam=1
    )
    items = _items(review)
    assert items[company["a"].pk].change == ReviewItem.Change.DEMOTE
    assert items[company["b"].pk].change == ReviewItem.Change.PROMOTE
    review = reviews.review_create(
        actor=company["head"], scoring_model=model, kam_count=2, max_per_kam=1
    )
    items = _items(review)
    assert items[company["a"].pk].change == ReviewItem.Change.KEEP


def test_a_declining_key_account_is_demoted_with_its_trend(scored):
    company, model = scored
    account_set_tier(actor=company["head"], account=company["c"], tier=Tier.KEY)
    review = reviews.review_create(
        actor=company["head"], scoring_model=model, kam_count=1, max_per_kam=1
    )
    item = _items(review)[company["c"].pk]
    assert item.change == ReviewItem.Change.DEMOTE
    assert "-100% year on year" in item.reason_text


def test_accepting_a_promotion_writes_status_history(scored):
    company, model = scored
    review = reviews.review_create(
        actor=company["head"], scoring_model=model, kam_count=1, max_per_kam=1
    )
    item = _items(review)[company["b"].pk]
    reviews.review_decide(actor=company["head"], item=item, accept=True)
    change = KeyStatusChange.objects.get(account=company["b"])
    assert (change.previous_tier, change.tier, change.decided_by) == (
        Tier.STANDARD,
        Tier.KEY,
        company["head"],
    )
    assert "Key-account review" in change.reason


def test_override_needs_a_reason_and_sets_the_chosen_tier(scored):
    company, model = scored
    review = reviews.review_create(
        actor=company["head"], scoring_model=model, kam_count=1, max_per_kam=1
    )
    item = _items(review)[company["b"].pk]
    with pytest.raises(ValidationError):
        reviews.review_decide(
            actor=company["head"], item=item, accept=False, final_tier=Tier.STRATEGIC
        )
    reviews.review_decide(
        actor=company["head"],
        item=item,
        accept=False,
        final_tier=Tier.STRATEGIC,
        reason="Reference brand, thin margin",
    )
    company["b"].refresh_from_db()
    assert company["b"].tier == Tier.STRATEGIC
    assert KeyStatusChange.objects.get(account=company["b"]).reason.endswith(
        "Reference brand, thin margin"
    )


def test_a_kam_cannot_run_or_decide_a_review(scored):
    company, model = scored
    with pytest.raises(PermissionDenied):
        reviews.review_create(actor=company["owner"], scoring_model=model)


def test_closed_review_takes_no_more_decisions(scored):
    company, model = scored
    review = reviews.review_create(
        actor=company["head"], scoring_model=model, kam_count=1, max_per_kam=1
    )
    reviews.review_close(actor=company["head"], review=review)
    with pytest.raises(ValidationError):
        reviews.review_decide(actor=company["head"], item=review.items.all()[0], accept=True)


def test_repeated_review_compares_with_the_previous(scored):
    company, model = scored
    first = reviews.review_create(
        actor=company["head"], scoring_model=model, kam_count=1, max_per_kam=1
    )
    second = reviews.review_create(
        actor=company["head"], scoring_model=model, kam_count=2, max_per_kam=1
    )
    assert second.previous == first
    assert reviews.review_compare(second) == {
        "entered": [company["a"].pk],
        "left": [],
        "stayed": [company["b"].pk],
    }


def test_review_needs_scores_first(company):
    model = ScoringModel.objects.create(name="Empty")
    with pytest.raises(ValidationError):
        reviews.review_create(actor=company["head"], scoring_model=model)


def test_strategic_accounts_are_kept_and_take_capacity_first(scored):
    company, model = scored
    account_set_tier(actor=company["head"], account=company["c"], tier=Tier.STRATEGIC)
    review = reviews.review_create(
        actor=company["head"], scoring_model=model, kam_count=1, max_per_kam=1
    )
    items = _items(review)
    # C has the worst score but is strategic: kept as strategic, and the one place is taken.
    assert items[company["c"].pk].change == ReviewItem.Change.KEEP
    assert items[company["c"].pk].proposed_tier == Tier.STRATEGIC
    assert "Strategic account" in items[company["c"].pk].reason_text
    assert company["b"].pk not in items
