"""Which promotion the customer gets: ties, a set against one that stands alone, and a
promotion that does not combine when it is the only one."""

from datetime import date
from decimal import Decimal as D

from openkam.promotions import selectors, stacking
from openkam.promotions.tests.factories import product, promotion

TODAY = date(2026, 12, 2)  # the fixed clock


def test_a_tie_goes_to_the_one_ending_sooner_then_to_the_older(company):
    older = promotion("Older 3", exclusion_group="winter")
    newer = promotion("Newer 3", exclusion_group="winter")
    sooner = promotion("Sooner 3", exclusion_group="spring", ends_on=date(2026, 12, 20))
    later = promotion("Later 3", exclusion_group="spring")
    choices = stacking.resolve([newer, older, later, sooner])
    winners = [choice.promotion for choice in choices if choice.applies]
    assert winners == [sooner, older]
    beaten = {choice.promotion.name: choice for choice in choices if not choice.applies}
    assert set(beaten) == {"Newer 3", "Later 3"}
    assert (beaten["Newer 3"].beaten_by, beaten["Later 3"].beaten_by) == (older, sooner)


def test_a_loser_does_not_apply(company):
    grouped = promotion("Grouped 5", exclusion_group="winter", bonus_pct=D("5"))
    same_group = promotion("Grouped 2", exclusion_group="winter", bonus_pct=D("2"))
    alone = promotion("Alone 1", combinable=False, bonus_pct=D("1"))
    choices = {c.promotion.name: c for c in stacking.resolve([grouped, same_group, alone])}
    assert choices["Grouped 5"].applies is True
    assert choices["Grouped 2"].applies is False
    assert choices["Alone 1"].applies is False
    assert choices["Grouped 2"].reason_text.startswith("same exclusion group")
    assert choices["Alone 1"].reason_text.startswith("does not combine")


def test_on_a_tie_the_set_that_combines_wins_over_the_one_alone(company):
    combined = promotion("Combined 4", bonus_pct=D("4"))
    alone = promotion("Alone 4", combinable=False, bonus_pct=D("4"))
    assert selectors.applicable(company["a"], TODAY) == [combined]
    loser = [c for c in stacking.resolve([alone, combined]) if not c.applies]
    assert [(c.promotion, c.beaten_by, c.reason) for c in loser] == [
        (alone, combined, "not_combinable")
    ]


def test_a_promotion_that_does_not_combine_applies_when_it_is_the_only_one(company):
    # A fixed bonus on a quantity is worth 0 % to compare with others: alone, it still applies.
    cable = product("CAB-1")
    solo = promotion("Solo quantity", combinable=False, bonus_pct=None,
                     bonus_amount=D("100.00"), threshold_quantity=D("10"))  # fmt: skip
    assert selectors.applicable(company["a"], TODAY, product=cable) == [solo]
    assert [(c.promotion, c.applies, c.beaten_by) for c in stacking.resolve([solo])] == [
        (solo, True, None)
    ]
    assert selectors.clashes(company["a"], TODAY) == []
    # Of two that do not combine and are worth the same, the one ending sooner applies.
    sooner = promotion("Solo sooner", combinable=False, bonus_pct=None, ends_on=date(2026, 12, 9),
                       bonus_amount=D("50.00"), threshold_quantity=D("5"))  # fmt: skip
    assert selectors.applicable(company["a"], TODAY, product=cable) == [sooner]
