"""A proposal's reason is kept as facts and told in the reader's language."""

from __future__ import annotations

from django.utils import translation

from openkam.portfolio.models import ReviewItem
from openkam.portfolio.reviews.reasons import reason_text

PROMOTION = {
    "kind": "promote",
    "rank": 3,
    "score": "7.25",
    "capacity": 16,
    "growth_pct": 12,
    "top": [("payment_discipline", 9.5), ("revenue_potential", 8.0)],
}


def demotion(growth_pct):
    return {**PROMOTION, "kind": "demote", "rank": 40, "growth_pct": growth_pct, "top": []}


def test_a_promotion_names_its_strongest_criteria_by_their_labels():
    with translation.override("en"):
        text = reason_text(PROMOTION)
    assert text == (
        "Within capacity (16): rank 3, score 7.25; strongest: "
        "Financial liquidity / payment discipline 9.5 pts, Revenue potential 8.0 pts"
    )


def test_the_same_facts_read_in_polish_and_russian_with_their_number_format():
    with translation.override("pl"):
        polish = reason_text(PROMOTION)
    with translation.override("ru"):
        russian = reason_text(PROMOTION)
    for text in (polish, russian):
        assert "7,25" in text and "9,5" in text
        assert "payment discipline" not in text and "Within capacity" not in text


def test_a_fall_that_rounds_to_zero_is_not_reported():
    with translation.override("en"):
        assert "year on year" not in reason_text(demotion(0))
        assert reason_text(demotion(-12)).endswith("; revenue -12% year on year")
        assert "year on year" not in reason_text(demotion(None))


def test_old_reviews_keep_the_sentence_they_were_written_with():
    item = ReviewItem(reason="Below capacity (4): rank 9", reason_facts={})
    assert item.reason_text == "Below capacity (4): rank 9"
    item.reason_facts = demotion(-5)
    with translation.override("en"):
        assert item.reason_text.startswith("Below capacity (16) and the keep margin: rank 40")


def snapshot(parts, rank=3, total="7.25"):
    from decimal import Decimal
    from types import SimpleNamespace

    return SimpleNamespace(parts=parts, rank=rank, total=Decimal(total))


PARTS = [
    {"criterion": "references", "points": 4, "contribution": 0.4},
    {"criterion": "payment_discipline", "points": 9.5, "contribution": 1.9},
    {"criterion": "revenue_potential", "points": 8, "contribution": 3.2},
]


def test_the_facts_keep_the_two_strongest_criteria_strongest_first():
    from openkam.portfolio.reviews.reasons import reason_facts

    facts = reason_facts("promote", snapshot(PARTS), 16, 0.123)
    assert facts == {
        "kind": "promote", "rank": 3, "score": "7.25", "capacity": 16, "growth_pct": 12,
        "top": [("revenue_potential", 8.0), ("payment_discipline", 9.5)],
    }  # fmt: skip
    assert reason_facts("keep", snapshot(PARTS), 16, None)["growth_pct"] is None
    assert reason_facts("keep", snapshot(PARTS), 16, -0.004)["growth_pct"] == 0
    assert reason_facts("keep", snapshot(PARTS), 16, None, strategic=True)["kind"] == "strategic"
    assert reason_facts("keep", snapshot(PARTS), 16, None)["kind"] == "keep"


def test_each_kind_of_proposal_has_its_sentence():
    facts = {**PROMOTION, "score": "7", "top": [("revenue_potential", 8)]}
    with translation.override("en"):
        assert reason_text({**facts, "kind": "strategic"}) == (
            "Strategic account, kept whatever the score: rank 3, score 7.00"
        )
        assert reason_text({**facts, "kind": "keep"}) == "Still within capacity: rank 3, score 7.00"
        assert reason_text(facts).endswith("strongest: Revenue potential 8.0 pts")
        assert reason_text(demotion(-12)) == (
            "Below capacity (16) and the keep margin: rank 40, score 7.25; "
            "revenue -12% year on year"
        )
        assert reason_text(demotion(3)) == (
            "Below capacity (16) and the keep margin: rank 40, score 7.25"
        )


def test_a_criterion_no_longer_known_is_named_by_its_key():
    facts = {**PROMOTION, "top": [("share_of_voice", 6.5)]}
    with translation.override("en"):
        assert reason_text(facts).endswith("strongest: share of voice 6.5 pts")
        assert reason_text({k: v for k, v in PROMOTION.items() if k != "top"}).endswith(
            "strongest: "
        )
