"""Portfolio records read as a person reads them: every field named in the active language
(the account page's history shows those names) and review items and manual scores told by
what they say, not by ids and codes, without a query per record."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.utils import translation
from django.utils.functional import Promise

from openkam.portfolio.models import (
    ManualScore,
    ReviewItem,
    ScoringCriterion,
    ScoringModel,
)
from openkam.portfolio.recompute import recompute_portfolio
from openkam.portfolio.reviews import services as reviews
from openkam.portfolio.tests.conftest import TODAY


def test_every_portfolio_field_has_a_translatable_name():
    unnamed = [
        f"{model.__name__}.{field.name}"
        for model in apps.get_app_config("portfolio").get_models()
        for field in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if not field.primary_key and not isinstance(field.verbose_name, Promise)
    ]
    assert unnamed == []


def test_review_fields_are_named_in_the_language_chosen():
    fields = {name: ReviewItem._meta.get_field(name) for name in ("final_tier", "decided_at")}
    with translation.override("pl"):
        assert str(fields["final_tier"].verbose_name) == "poziom końcowy"
        assert str(fields["decided_at"].verbose_name) == "data decyzji"
    with translation.override("ru"):
        assert str(fields["final_tier"].verbose_name) == "итоговый уровень"


def item(change: str, current: str, proposed: str, **fields) -> ReviewItem:
    return ReviewItem(change=change, current_tier=current, proposed_tier=proposed, **fields)


def test_a_review_item_reads_as_what_it_proposes():
    assert str(item("promote", "standard", "key")) == "Promote: Standard → Key"
    assert str(item("demote", "key", "standard")) == "Demote: Key → Standard"
    assert str(item("keep", "strategic", "strategic")) == "Keep: Strategic"
    with translation.override("pl"):
        assert str(item("promote", "standard", "key")) == "Podnieś status: Standardowy → Kluczowy"
    with translation.override("ru"):
        assert str(item("keep", "key", "key")) == "Оставить: Ключевой"


def test_a_manual_score_reads_as_its_criterion_and_points():
    score = ManualScore(criterion="product_fit", points=7)
    assert str(score) == "Product fit: 7/10"
    with translation.override("pl"):
        assert str(score) == "Dopasowanie produktowe: 7/10"
    with translation.override("ru"):
        assert str(score) == "Соответствие продукта: 7/10"


def test_texts_of_items_and_scores_cost_no_query(company, django_assert_num_queries):
    account, head = company["a"], company["head"]
    promote = item("promote", "standard", "key", account_id=account.pk, review_id=1)
    score = ManualScore(account_id=account.pk, criterion="references", points=3, entered_by=head)
    with django_assert_num_queries(0):
        assert str(promote) == "Promote: Standard → Key"
        assert str(score) == "Relationships with other prospects: 3/10"


@pytest.fixture
def scored(ledger):
    model = ScoringModel.objects.create(name="Revenue only")
    ScoringCriterion.objects.create(
        scoring_model=model, criterion="revenue_potential", weight=1, metric="revenue"
    )
    recompute_portfolio(today=TODAY)  # ranks: B (6000), A group (4000), C (0)
    return ledger, model


def test_the_history_tells_a_decided_item_by_what_it_proposed(client, scored):
    company, model = scored
    review = reviews.review_create(
        actor=company["head"], scoring_model=model, kam_count=1, max_per_kam=1
    )
    decided = review.items.get(account=company["b"])
    reviews.review_decide(actor=company["head"], item=decided, accept=True)
    client.force_login(company["head"])
    page = client.get(f"/accounts/{company['b'].pk}/").content.decode()
    history = page[page.index('id="history"') :]
    assert "Promote: Standard → Key" in history
    assert f"{company['b'].pk} promote" not in history
