"""One account's lift after a promotion, and whether the period after it is complete."""

from datetime import date
from decimal import Decimal as D

from openkam.promotions import selectors
from openkam.promotions.tests.factories import product, promotion, sell

TODAY = date(2026, 12, 2)  # the fixed clock


def test_one_accounts_lift_reads_only_its_own_lines(company):
    a, b, cable = company["a"], company["b"], product("CAB-1")
    # 10 days in October; the 3 periods before start on September 1; after: October 11-20.
    promo = promotion("October push", starts_on=date(2026, 10, 1), ends_on=date(2026, 10, 10))
    for day, net in ((date(2026, 9, 1), "90"), (date(2026, 9, 11), "100"),
                     (date(2026, 9, 21), "110"), (date(2026, 10, 5), "250"),
                     (date(2026, 10, 15), "40")):  # fmt: skip
        sell(a, day, cable, "1", net)
    sell(b, date(2026, 10, 5), cable, "1", "9999")
    figures = selectors.account_lift(a, promo, TODAY)
    assert figures.before == (D("90.00"), D("100.00"), D("110.00"))
    assert (figures.during, figures.after, figures.lift, figures.dip) == (
        D("250.00"), D("40.00"), D("150.00"), D("60.00"),
    )  # fmt: skip
    assert figures.after_complete is True
    assert selectors.account_lift(b, promo, TODAY).during == D("9999.00")


def test_the_period_after_is_incomplete_until_it_has_gone_by(company):
    a, cable = company["a"], product("CAB-1")
    # Ended November 25: the period after runs November 26 to December 19, not over today.
    promo = promotion("November push", starts_on=date(2026, 11, 2), ends_on=date(2026, 11, 25))
    sell(a, date(2026, 11, 27), cable, "1", "70")
    sell(a, date(2026, 12, 3), cable, "1", "500")  # after today: not counted yet
    figures = selectors.account_lift(a, promo, TODAY)
    assert figures.after == D("70.00")
    assert figures.after_complete is False
    rows, total = selectors.lift_rows(user=company["owner"], promotion=promo, today=TODAY)
    assert total.after_complete is False
    assert {row.account.name: row.figures.after for row in rows}[a.name] == D("70.00")
    # The day after the period after: complete, with every line of it.
    later = selectors.account_lift(a, promo, date(2026, 12, 20))
    assert (later.after, later.after_complete) == (D("570.00"), True)
    assert selectors.account_lift(a, promo, date(2026, 12, 19)).after_complete is False


def test_lift_rows_sort_by_lift_or_name_and_nothing_else(company):
    a, b, cable = company["a"], company["b"], product("CAB-1")
    promo = promotion("October push", starts_on=date(2026, 10, 1), ends_on=date(2026, 10, 10))
    sell(a, date(2026, 10, 5), cable, "1", "150")
    sell(b, date(2026, 10, 5), cable, "1", "900")
    sell(company["c"], date(2026, 9, 25), cable, "1", "300")  # a baseline of 100: lift -100

    def names(sort=None):
        extra = {} if sort is None else {"sort": sort}
        rows, _total = selectors.lift_rows(
            user=company["head"], promotion=promo, today=TODAY, **extra
        )
        return [row.account.name for row in rows]

    by_lift = [b.name, a.name, company["a1"].name, company["c"].name]
    assert names() == by_lift
    assert names("lift") == list(reversed(by_lift))
    alphabetical = sorted(account.name for account in (a, b, company["a1"], company["c"]))
    assert names("name") == alphabetical
    assert names("-name") == list(reversed(alphabetical))
    for unknown in ("progress", "-bonus", "X-name", "Xlift", ""):
        assert names(unknown) == by_lift
