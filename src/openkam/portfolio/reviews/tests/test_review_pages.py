"""The review list and review page: who sees what, decisions through the page, comparison."""

# ruff: noqa: F811 (pytest fixtures imported from review_fixtures)

from __future__ import annotations

import pytest
from django.urls import reverse

from openkam.accounts.models import KeyStatusChange, Tier
from openkam.core.models import Job
from openkam.portfolio.models import Review, ReviewItem, ScoringModel
from openkam.portfolio.reviews import services as reviews
from openkam.portfolio.reviews.tests.review_fixtures import (  # noqa: F401 (fixtures)
    item_of,
    review,
    scored,
)

HTMX = {"HX-Request": "true"}


def page(client, user, url):
    client.force_login(user)
    return client.get(url)


def detail_url(review) -> str:
    return reverse("reviews:detail", args=[review.pk])


def decide_url(item) -> str:
    return reverse("reviews:decide", args=[item.review_id, item.pk])


# --- the list ------------------------------------------------------------------------------


def test_list_counts_promotions_demotions_and_keeps(client, scored, review):
    row = page(client, scored["head"], reverse("reviews:list")).context["reviews"][0]
    assert (row.promote_count, row.demote_count, row.keep_count, row.pending_count) == (1, 1, 1, 3)


def test_list_counts_decided_items(client, scored, review):
    reviews.review_decide(actor=scored["head"], item=item_of(review, scored["b"]), accept=True)
    row = page(client, scored["head"], reverse("reviews:list")).context["reviews"][0]
    assert (row.decided_count, row.pending_count) == (1, 2)


def test_list_counts_only_a_kams_own_accounts(client, scored, review):
    row = page(client, scored["owner"], reverse("reviews:list")).context["reviews"][0]
    assert (row.promote_count, row.demote_count, row.keep_count) == (0, 0, 1)


def test_start_form_offers_the_default_model_kams_and_settings(client, scored):
    form = page(client, scored["head"], reverse("reviews:list")).context["form"]
    # KAMs in the personas: senior, owner, other, junior, deputy, pastdeputy.
    assert (form["scoring_model"].value(), form["kam_count"].value()) == (scored["model"].pk, 6)
    assert form["max_per_kam"].value() == 10


def test_kams_get_no_start_form(client, scored):
    response = page(client, scored["owner"], reverse("reviews:list"))
    assert response.context["form"] is None
    assert b"review-start" not in response.content


def test_head_starts_a_review_from_the_list(client, scored):
    client.force_login(scored["head"])
    response = client.post(
        reverse("reviews:list"),
        {"scoring_model": scored["model"].pk, "kam_count": 2, "max_per_kam": 1},
    )
    review = Review.objects.get()
    assert response["Location"] == detail_url(review)
    assert (review.capacity, review.items.count()) == (2, 3)


def test_a_kam_cannot_start_a_review(client, scored):
    client.force_login(scored["owner"])
    response = client.post(
        reverse("reviews:list"),
        {"scoring_model": scored["model"].pk, "kam_count": 2, "max_per_kam": 1},
    )
    assert response.status_code == 404
    assert not Review.objects.exists()


def test_start_without_scores_says_so(client, company):
    model = ScoringModel.objects.create(name="Unscored", is_default=True)
    client.force_login(company["head"])
    response = client.post(
        reverse("reviews:list"), {"scoring_model": model.pk, "kam_count": 2, "max_per_kam": 1}
    )
    assert "No scores yet" in response.content.decode()
    assert not Review.objects.exists()


def test_list_offers_the_recompute_when_no_scores_exist(client, company):
    body = page(client, company["head"], reverse("reviews:list")).content.decode()
    assert "No scoring model yet" in body
    assert reverse("reviews:recompute") in body


def test_recompute_button_creates_the_default_model_and_a_job(client, company):
    client.force_login(company["head"])
    response = client.post(reverse("reviews:recompute"))
    assert response["Location"] == reverse("reviews:list")
    assert ScoringModel.objects.get().is_default
    assert Job.objects.get().kind == "portfolio-recompute"


def test_a_second_click_reuses_the_queued_recompute(client, company):
    client.force_login(company["head"])
    client.post(reverse("reviews:recompute"))
    client.post(reverse("reviews:recompute"))
    assert Job.objects.count() == 1


def test_a_kam_cannot_start_the_recompute(client, company):
    client.force_login(company["owner"])
    assert client.post(reverse("reviews:recompute")).status_code == 404
    assert not Job.objects.exists()


# --- the review page -----------------------------------------------------------------------


def test_head_sees_every_item_grouped_by_change(client, scored, review):
    context = page(client, scored["head"], detail_url(review)).context
    groups = context["groups"]
    names = [[item.account.name for item in group] for group in (groups.promote, groups.demote)]
    assert names == [["Beta Trade"], ["Gamma Retail"]]
    assert [item.account.name for item in groups.keep] == ["Alfa Hurt S.A."]


def test_page_shows_capacity_and_proposed_key_list_size(client, scored, review):
    body = page(client, scored["head"], detail_url(review)).content.decode()
    assert "2 KAMs × 1 key accounts each" in body
    assert "2 / 2" in body  # B promoted + A kept, within the capacity of 2


def test_page_explains_the_keep_margin(client, scored, review):
    body = page(client, scored["head"], detail_url(review)).content.decode()
    assert "Current key accounts ranked up to 2 are kept" in body  # floor(2 x 1.25)


def test_a_kam_sees_only_items_of_their_accounts(client, scored, review):
    body = page(client, scored["owner"], detail_url(review)).content.decode()
    assert "Alfa Hurt S.A." in body
    assert "Beta Trade" not in body and "Gamma Retail" not in body


def test_a_kam_sees_their_proposed_count_not_the_company_capacity(client, scored, review):
    body = page(client, scored["owner"], detail_url(review)).content.decode()
    assert "Of your accounts proposed as key" in body
    assert "Proposed key accounts within capacity" not in body


def test_a_kam_gets_no_decision_buttons(client, scored, review):
    body = page(client, scored["owner"], detail_url(review)).content.decode()
    assert "Accept" not in body and "Override" not in body


def test_a_viewer_sees_every_item_but_cannot_decide(client, scored, review):
    body = page(client, scored["viewer"], detail_url(review)).content.decode()
    assert "Beta Trade" in body and "Gamma Retail" in body
    assert "Override" not in body


def test_missing_review_is_404(client, scored):
    assert page(client, scored["head"], reverse("reviews:detail", args=[999])).status_code == 404


def test_accept_by_htmx_returns_the_row_and_writes_status_history(client, scored, review):
    item = item_of(review, scored["b"])
    client.force_login(scored["head"])
    response = client.post(decide_url(item), {"accept": "on"}, headers=HTMX)
    assert response.content.decode().lstrip().startswith(f'<tr id="item-{item.pk}"')
    assert "Accepted" in response.content.decode()
    change = KeyStatusChange.objects.filter(account=scored["b"]).get()
    assert (change.previous_tier, change.tier, change.decided_by) == (
        Tier.STANDARD,
        Tier.KEY,
        scored["head"],
    )


def test_decision_by_htmx_updates_the_summary_out_of_band(client, scored, review):
    item = item_of(review, scored["b"])
    client.force_login(scored["head"])
    body = client.post(decide_url(item), {"accept": "on"}, headers=HTMX).content.decode()
    assert 'id="review-summary" hx-swap-oob="true"' in body
    assert response_decided(body) == "1 / 3"


def response_decided(body: str) -> str:
    after = body.split('id="decided-count"', 1)[1]
    return after.split('class="stat-value">', 1)[1].split("<", 1)[0]


def test_decision_shows_who_decided(client, scored, review):
    item = item_of(review, scored["b"])
    client.force_login(scored["head"])
    body = client.post(decide_url(item), {"accept": "on"}, headers=HTMX).content.decode()
    assert str(scored["head"]) in body


def test_override_with_reason_sets_the_chosen_tier(client, scored, review):
    item = item_of(review, scored["b"])
    client.force_login(scored["head"])
    client.post(
        decide_url(item),
        {"final_tier": Tier.STRATEGIC, "reason": "Thin margin, reference brand"},
        headers=HTMX,
    )
    change = KeyStatusChange.objects.filter(account=scored["b"]).get()
    assert change.tier == Tier.STRATEGIC
    assert change.reason.endswith("Thin margin, reference brand")


def test_the_override_of_a_promotion_offers_not_promoting_first(client, scored, review):
    item = item_of(review, scored["b"])  # Standard, proposed Key
    client.force_login(scored["head"])
    body = client.get(detail_url(review)).content.decode()
    select = body.split(f'id="tier-{item.pk}"', 1)[1].split("</select>", 1)[0]
    options = [part.split('"', 1)[0] for part in select.split('<option value="')[1:]]
    assert options == [Tier.STANDARD, Tier.STRATEGIC]  # current tier first, not the proposed
    assert " selected" not in select


def test_an_override_to_the_proposed_tier_is_refused(client, scored, review):
    item = item_of(review, scored["b"])
    client.force_login(scored["head"])
    response = client.post(
        decide_url(item), {"final_tier": Tier.KEY, "reason": "Same"}, headers=HTMX
    )
    assert "accept the proposal instead" in response.content.decode()
    item.refresh_from_db()
    assert item.decision == ReviewItem.Decision.PENDING


def test_override_without_reason_shows_the_error_and_changes_nothing(client, scored, review):
    item = item_of(review, scored["b"])
    client.force_login(scored["head"])
    response = client.post(decide_url(item), {"final_tier": Tier.STRATEGIC}, headers=HTMX)
    assert response.status_code == 200  # htmx swaps the row with its error in place
    assert "An override needs a reason." in response.content.decode()
    item.refresh_from_db()
    assert item.decision == ReviewItem.Decision.PENDING
    assert not KeyStatusChange.objects.filter(account=scored["b"]).exists()


def test_decision_without_htmx_redirects_to_the_review(client, scored, review):
    item = item_of(review, scored["b"])
    client.force_login(scored["head"])
    response = client.post(decide_url(item), {"accept": "on"})
    assert response["Location"] == detail_url(review)


@pytest.mark.parametrize("persona", ["owner", "viewer", "finance", "senior"])
def test_non_heads_get_404_on_decisions(client, scored, review, persona):
    item = item_of(review, scored["a"])
    client.force_login(scored[persona])
    assert client.post(decide_url(item), {"accept": "on"}, headers=HTMX).status_code == 404
    item.refresh_from_db()
    assert item.decision == ReviewItem.Decision.PENDING


def test_item_of_another_review_is_404(client, scored, review):
    other = reviews.review_create(
        actor=scored["head"], scoring_model=scored["model"], kam_count=1, max_per_kam=1
    )
    item = item_of(other, scored["b"])
    client.force_login(scored["head"])
    url = reverse("reviews:decide", args=[review.pk, item.pk])
    assert client.post(url, {"accept": "on"}).status_code == 404


def test_accept_all_decides_every_pending_item(client, scored, review):
    client.force_login(scored["head"])
    client.post(reverse("reviews:accept_all", args=[review.pk]))
    assert not review.items.filter(decision=ReviewItem.Decision.PENDING).exists()
    tiers = {key: type(scored[key]).objects.get(pk=scored[key].pk).tier for key in "abc"}
    assert tiers == {"a": Tier.KEY, "b": Tier.KEY, "c": Tier.STANDARD}


def test_a_kam_cannot_accept_all(client, scored, review):
    client.force_login(scored["owner"])
    assert client.post(reverse("reviews:accept_all", args=[review.pk])).status_code == 404
    assert not review.items.exclude(decision=ReviewItem.Decision.PENDING).exists()


def test_closing_the_review_stops_decisions(client, scored, review):
    client.force_login(scored["head"])
    client.post(reverse("reviews:close", args=[review.pk]))
    review.refresh_from_db()
    assert review.status == Review.Status.CLOSED
    body = client.get(detail_url(review)).content.decode()
    assert "Override" not in body


def test_a_kam_cannot_close_the_review(client, scored, review):
    client.force_login(scored["owner"])
    assert client.post(reverse("reviews:close", args=[review.pk])).status_code == 404
    review.refresh_from_db()
    assert review.status == Review.Status.OPEN


# --- comparison with the previous review -------------------------------------------------


@pytest.fixture
def second(scored, review):
    """Capacity 1: B only. Against the first review A left, B stayed."""
    return reviews.review_create(
        actor=scored["head"], scoring_model=scored["model"], kam_count=1, max_per_kam=1
    )


def _compared(client, user, review) -> dict[str, list[str]]:
    sections = page(client, user, detail_url(review)).context["comparison"]
    return {key: [account.name for account in accounts] for key, _, accounts in sections}


def test_comparison_names_accounts_that_entered_left_and_stayed(client, scored, second):
    assert _compared(client, scored["head"], second) == {
        "entered": [],
        "left": ["Alfa Hurt S.A."],
        "stayed": ["Beta Trade"],
    }


def test_comparison_shows_a_kam_only_their_accounts(client, scored, second):
    assert _compared(client, scored["other_kam"], second) == {
        "entered": [],
        "left": [],
        "stayed": ["Beta Trade"],
    }


def test_first_review_has_nothing_to_compare(client, scored, review):
    assert page(client, scored["head"], detail_url(review)).context["comparison"] is None
