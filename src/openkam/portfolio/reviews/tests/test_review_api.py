"""The reviews API with bearer tokens: lists and items through visibility, heads' writes."""

# ruff: noqa: F811 (pytest fixtures imported from review_fixtures)

from __future__ import annotations

import pytest

from openkam.accounts.models import KeyStatusChange, Tier
from openkam.accounts.tests.factories import bearer
from openkam.portfolio.models import Review, ReviewItem, ScoringModel
from openkam.portfolio.reviews.tests.review_fixtures import (  # noqa: F401 (fixtures)
    item_of,
    review,
    scored,
)

# Best of three on a percentile mapping: the full ten points.
SCORE_OF_B = "10.00"


def get(client, user, url):
    return client.get(url, headers=bearer(user))


def post(client, user, url, body):
    return client.post(url, body, content_type="application/json", headers=bearer(user))


def decision_url(item) -> str:
    return f"/api/reviews/items/{item.pk}/decision"


def test_anonymous_gets_401(client, scored, review):
    assert client.get("/api/reviews").status_code == 401


def test_list_counts_every_item_for_a_head(client, scored, review):
    [row] = get(client, scored["head"], "/api/reviews").json()
    assert (row["capacity"], row["promote_count"], row["demote_count"], row["keep_count"]) == (
        2,
        1,
        1,
        1,
    )
    assert row["scoring_model"] == "Revenue only"


def test_list_counts_only_a_kams_accounts(client, scored, review):
    [row] = get(client, scored["other_kam"], "/api/reviews").json()
    assert (row["promote_count"], row["demote_count"], row["keep_count"]) == (1, 0, 0)


def test_detail_lists_items_ranked_with_reasons(client, scored, review):
    body = get(client, scored["head"], f"/api/reviews/{review.pk}").json()
    assert [(i["account_name"], i["change"], i["rank"]) for i in body["items"]] == [
        ("Beta Trade", "promote", 1),
        ("Alfa Hurt S.A.", "keep", 2),
        ("Gamma Retail", "demote", 3),
    ]
    assert body["items"][0]["score"] == SCORE_OF_B
    assert "rank 1" in body["items"][0]["reason"]


def test_detail_shows_a_kam_only_their_items(client, scored, review):
    body = get(client, scored["owner"], f"/api/reviews/{review.pk}").json()
    assert [item["account_name"] for item in body["items"]] == ["Alfa Hurt S.A."]
    assert "Beta Trade" not in str(body) and "Gamma Retail" not in str(body)


def test_missing_review_is_404(client, scored):
    assert get(client, scored["head"], "/api/reviews/999").status_code == 404


def test_head_creates_a_review_with_defaults(client, scored):
    response = post(client, scored["head"], "/api/reviews", {"kam_count": 1, "max_per_kam": 1})
    assert response.status_code == 201
    body = response.json()
    assert (body["capacity"], body["scoring_model_id"]) == (1, scored["model"].pk)
    # Capacity 1 and a keep margin of 25% keep nobody below rank 1.
    assert [(item["account_name"], item["change"]) for item in body["items"]] == [
        ("Beta Trade", "promote"),
        ("Alfa Hurt S.A.", "demote"),
        ("Gamma Retail", "demote"),
    ]


@pytest.mark.parametrize("persona", ["owner", "viewer", "finance"])
def test_non_heads_cannot_create_a_review(client, scored, persona):
    response = post(client, scored[persona], "/api/reviews", {})
    assert response.status_code == 404
    assert not Review.objects.exists()


def test_create_without_scores_is_422(client, company):
    ScoringModel.objects.create(name="Unscored", is_default=True)
    response = post(client, company["head"], "/api/reviews", {})
    assert response.status_code == 422
    assert "No scores yet" in response.json()["detail"][0]["msg"]


def test_create_rejects_an_unknown_field(client, scored):
    assert post(client, scored["head"], "/api/reviews", {"capacity": 5}).status_code == 422


def test_accepting_writes_status_history(client, scored, review):
    item = item_of(review, scored["b"])
    response = post(client, scored["head"], decision_url(item), {"accept": True})
    assert response.status_code == 200
    assert (response.json()["decision"], response.json()["final_tier"]) == ("accepted", "key")
    assert KeyStatusChange.objects.get(account=scored["b"]).tier == Tier.KEY


def test_override_without_reason_is_422_and_changes_nothing(client, scored, review):
    item = item_of(review, scored["b"])
    response = post(
        client, scored["head"], decision_url(item), {"accept": False, "final_tier": "strategic"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "reason"]
    item.refresh_from_db()
    assert item.decision == ReviewItem.Decision.PENDING
    assert not KeyStatusChange.objects.filter(account=scored["b"]).exists()


def test_override_with_reason_sets_the_tier(client, scored, review):
    item = item_of(review, scored["b"])
    body = {"accept": False, "final_tier": "strategic", "reason": "Reference brand"}
    response = post(client, scored["head"], decision_url(item), body)
    assert response.json()["decision_reason"] == "Reference brand"
    assert KeyStatusChange.objects.get(account=scored["b"]).tier == Tier.STRATEGIC


@pytest.mark.parametrize("persona", ["owner", "viewer", "senior"])
def test_non_heads_cannot_decide(client, scored, review, persona):
    item = item_of(review, scored["a"])
    assert post(client, scored[persona], decision_url(item), {"accept": True}).status_code == 404
    item.refresh_from_db()
    assert item.decision == ReviewItem.Decision.PENDING


def test_board_loads_hold_every_kam_for_a_head(client, scored):
    rows = get(client, scored["head"], "/api/reviews/board/loads").json()
    owner = next(row for row in rows if row["username"] == "owner")
    assert len(rows) == 6
    assert (owner["key_accounts"], owner["revenue"], owner["key_account_ids"]) == (
        1,
        "3500.00",
        [scored["a"].pk],
    )


def test_board_loads_hold_only_a_kams_own_load(client, scored):
    rows = get(client, scored["owner"], "/api/reviews/board/loads").json()
    assert [row["username"] for row in rows] == ["owner"]
