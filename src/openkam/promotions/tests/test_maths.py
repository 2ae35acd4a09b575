"""The arithmetic of promotions on crafted numbers (no database)."""

from datetime import date
from decimal import Decimal as D

from openkam.promotions import maths


def test_windows_are_three_equal_periods_before_and_one_after():
    before, during, after = maths.windows(date(2026, 3, 1), date(2026, 3, 10))
    assert [(w.first, w.last) for w in before] == [
        (date(2026, 1, 30), date(2026, 2, 8)),
        (date(2026, 2, 9), date(2026, 2, 18)),
        (date(2026, 2, 19), date(2026, 2, 28)),
    ]
    assert (during.first, during.last) == (date(2026, 3, 1), date(2026, 3, 10))
    assert (after.first, after.last) == (date(2026, 3, 11), date(2026, 3, 20))


def test_projection_runs_the_pace_to_the_end():
    assert maths.elapsed_days(date(2026, 11, 1), date(2026, 11, 30), date(2026, 11, 10)) == 10
    assert maths.projection(D("1000"), 10, 30) == D("3000")
    assert maths.projection(D("1000"), 30, 30) == D("1000")
    assert maths.projection(D("1000"), 0, 30) == D(0)
    assert maths.elapsed_days(date(2026, 11, 1), date(2026, 11, 30), date(2026, 10, 31)) == 0
    assert maths.elapsed_days(date(2026, 11, 1), date(2026, 11, 30), date(2027, 1, 1)) == 30


def test_share_and_missing():
    assert maths.share(D("750"), D("1000")) == D("75.0")
    assert maths.share(D("1"), D("3")) == D("33.3")
    assert maths.share(D("5"), None) is None
    assert maths.missing(D("750"), D("1000")) == D("250")
    assert maths.missing(D("1200"), D("1000")) == D(0)


def test_bonus_below_threshold_pct_fixed_and_limit():
    kwargs = {"bonus_pct": D("2.5"), "bonus_amount": None, "limit": None}
    assert maths.bonus(turnover=D("10000"), reached=False, **kwargs) == D(0)
    assert maths.bonus(turnover=D("10000.10"), reached=True, **kwargs) == D("250.00")
    assert maths.bonus(turnover=D("-50"), reached=True, **kwargs) == D(0)
    capped = {"bonus_pct": D("5"), "bonus_amount": None, "limit": D("300")}
    assert maths.bonus(turnover=D("10000"), reached=True, **capped) == D("300")
    fixed = {"bonus_pct": None, "bonus_amount": D("500"), "limit": D("400")}
    assert maths.bonus(turnover=D("1"), reached=True, **fixed) == D("400")


def test_lift_and_bought_ahead():
    # Baseline (100 + 110 + 90) / 3 = 100; the period 160: lift 60 (60 %).
    kept = maths.Lift(before=(D(100), D(110), D(90)), during=D(160), after=D(95),
                      after_complete=True)  # fmt: skip
    assert kept.baseline == D("100.00")
    assert kept.lift == D("60.00")
    assert kept.lift_pct == D("60.0")
    assert kept.dip == D("5.00")
    assert kept.net_lift == D("55.00")
    assert not kept.bought_ahead
    # The period after falls to 70: a dip of 30 is half the lift of 60: bought ahead.
    ahead = maths.Lift(before=(D(100), D(110), D(90)), during=D(160), after=D(70),
                       after_complete=True)  # fmt: skip
    assert ahead.dip == D("30.00")
    assert ahead.bought_ahead
    assert ahead.net_lift == D("30.00")
    # Just under half is not.
    assert not maths.Lift((D(100),) * 3, D(160), D("70.01"), True).bought_ahead
    # No lift, no buying ahead, however deep the dip.
    assert not maths.Lift((D(100),) * 3, D(90), D(10), True).bought_ahead


def test_total_adds_accounts_window_by_window():
    one = maths.Lift((D(10), D(20), D(30)), D(50), D(15), True)
    two = maths.Lift((D(1), D(2), D(3)), D(4), D(5), False)
    total = maths.total_lift([one, two])
    assert total.before == (D(11), D(22), D(33))
    assert (total.during, total.after, total.after_complete) == (D(54), D(20), False)
    assert total.baseline == D("22.00")
