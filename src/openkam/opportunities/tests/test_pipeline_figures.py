"""The pipeline's figures at their edges: an opportunity at 0 % weighs nothing, cards
closing the same day keep the order they were made in, and a list reads each card's
account, stage and owner in the one statement."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from openkam.opportunities import selectors, services
from openkam.opportunities.models import Opportunity, Stage


def _deal(company, title, value="1000", days=10, **fields):
    return services.opportunity_create(
        actor=None, account=company["a"], title=title, value=Decimal(value), currency="PLN",
        expected_close=company["today"] + timedelta(days=days), **fields,
    )  # fmt: skip


def test_an_opportunity_at_no_odds_weighs_nothing(company):
    _deal(company, "Long shot", probability=0)
    (qualify, *_rest) = selectors.board(company["head"])
    assert qualify.totals() == [
        {"currency": "PLN", "count": 1, "value": Decimal("1000.00"), "weighted": Decimal("0.00")}
    ]
    (row,) = selectors.weighted_by(company["head"], "owner")
    assert (row["value"], row["weighted"]) == (Decimal("1000.00"), Decimal("0.00"))


def test_cards_closing_the_same_day_are_shown_in_the_order_they_were_made(company):
    # Made with ids in the reverse of the order they are stored in.
    stage = Stage.objects.get(code="qualify")
    close = company["today"] + timedelta(days=10)
    for pk, title in ((900003, "Third"), (900001, "First"), (900002, "Second")):
        Opportunity.objects.create(
            pk=pk, account=company["a"], title=title, value=Decimal(1), currency="PLN",
            stage=stage, probability=10, expected_close=close,
        )  # fmt: skip
    (qualify, *_rest) = selectors.board(company["head"])
    assert [card.title for card in qualify.cards] == ["First", "Second", "Third"]


def test_the_list_reads_each_cards_account_stage_and_owner_at_once(
    company, django_assert_num_queries
):
    for number in range(3):
        _deal(company, f"Deal {number}")
    with django_assert_num_queries(1):
        cards = [
            (deal.account.name, deal.stage.label, deal.owner and deal.owner.username)
            for deal in selectors.opportunities_for(company["owner"])
        ]
    assert cards == [(company["a"].name, "Qualify", "owner")] * 3
