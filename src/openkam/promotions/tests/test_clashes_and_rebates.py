"""The product lines on which an account's promotions clash, what a promotion covers, and
the bonus an account is expected to get on a product (for proposals)."""

from datetime import date
from decimal import Decimal as D

from openkam.promotions import selectors
from openkam.promotions.tests.factories import product, promotion, sell

TODAY = date(2026, 12, 2)  # the fixed clock


def _clashes(account):
    return [
        (clash.product_line, [(c.promotion.name, c.applies) for c in clash.choices])
        for clash in selectors.clashes(account, TODAY)
    ]


def test_promotions_clash_only_on_the_lines_they_both_cover(company):
    cable = product("CAB-1", "Cables")
    product("LMP-1", "Lamps")
    promotion("Cables 3", product_lines=["Cables"], exclusion_group="winter")
    promotion("Lamps 5", product_lines=["Lamps"], exclusion_group="winter", bonus_pct=D("5"))
    # Each line has one promotion of the group: no clash anywhere.
    assert _clashes(company["a"]) == []
    promotion("Cable item 4", products=[cable], exclusion_group="winter", bonus_pct=D("4"))
    assert _clashes(company["a"]) == [("Cables", [("Cable item 4", True), ("Cables 3", False)])]


def test_promotions_that_combine_do_not_clash(company):
    promotion("Everything 3")
    promotion("Everything 2", bonus_pct=D("2"))
    promotion("Past", starts_on=date(2026, 10, 1), ends_on=date(2026, 10, 31),
              exclusion_group="x")  # fmt: skip
    promotion("Future", starts_on=date(2027, 1, 1), ends_on=date(2027, 1, 31),
              exclusion_group="x")  # fmt: skip
    assert _clashes(company["a"]) == []


def test_promotions_on_everything_clash_on_every_named_line(company):
    product("CAB-1", "Cables")
    product("LMP-1", "Lamps")
    product("MISC-1", "")  # a product without a line is no line to clash on
    promotion("A special", product_lines=["Special"], exclusion_group="other")
    promotion("B all 3", exclusion_group="all")
    promotion("C all 5", exclusion_group="all", bonus_pct=D("5"))
    found = _clashes(company["a"])
    assert [line for line, _choices in found] == ["Cables", "Lamps", "Special"]
    assert found[0][1] == [("C all 5", True), ("B all 3", False)]
    assert found[-1][1] == [("C all 5", True), ("A special", True), ("B all 3", False)]


def test_what_a_promotion_covers(company):
    cable, lamp = product("CAB-1", "Cables"), product("LMP-1", "Lamps")
    mixed = promotion("Mixed", product_lines=["Lamps"], products=[cable])
    assert selectors.covers(mixed, None, "Lamps")
    assert selectors.covers(mixed, None, "Cables")
    assert not selectors.covers(mixed, None, "Sugar")
    assert selectors.covers(mixed, lamp, None)
    assert not selectors.covers(mixed, product("CAB-2", "Cables"), None)
    # With neither a product nor a line, any line: the promotion applies.
    assert selectors.covers(mixed, None, None)
    assert selectors.applicable(company["a"], TODAY) == [mixed]


def test_expected_rebate_counts_only_the_promotions_on_the_product(company):
    cable = product("CAB-1", "Cables")
    promotion("Lamps bonus", product_lines=["Lamps"], bonus_pct=D("5"))
    assert selectors.expected_rebate_pct(company["a"], cable, TODAY) == D("0.00")


def test_expected_rebate_without_turnover_yet(company):
    a, cable = company["a"], product("CAB-1", "Cables")
    # Without a threshold a percentage bonus is due on whatever is bought: it counts whole.
    promotion("EUR 5", currency="EUR", bonus_pct=D("5"))
    promotion("PLN 3", bonus_pct=D("3"))
    promotion("EUR 2", currency="EUR", bonus_pct=D("2"))
    sell(a, date(2026, 11, 5), cable, "1", "1604.94")  # PLN: projected 3059.42, 3 % of it
    assert selectors.expected_rebate_pct(a, cable, TODAY) == D("10.00")


def test_expected_rebate_with_a_threshold_and_no_turnover_is_nothing(company):
    a, cable = company["a"], product("CAB-1", "Cables")
    promotion("Threshold 3", threshold_amount=D("2000"))
    promotion("Fixed", bonus_pct=None, bonus_amount=D("100"), threshold_amount=D("500"))
    assert selectors.expected_rebate_pct(a, cable, TODAY) == D("0.00")


def test_expected_rebate_on_a_tiny_turnover(company):
    a, cable = company["a"], product("CAB-1", "Cables")
    promotion("Small 3", bonus_pct=D("3"))
    # 0.50 so far runs to 0.95 by the end; 3 % of it is 0.03 in cents: 3.16 % of 0.95.
    sell(a, date(2026, 11, 5), cable, "1", "0.50")
    assert selectors.expected_rebate_pct(a, cable, TODAY) == D("3.16")
