"""The arithmetic of promotions at its edges: the first day, rounding half up, shares of
small or missing figures, no lift, a period after above the baseline (no database)."""

from datetime import date
from decimal import Decimal as D

from openkam.promotions import maths


def test_the_first_day_counts_as_one_day_gone():
    start, end = date(2026, 11, 1), date(2026, 11, 30)
    assert maths.elapsed_days(start, end, start) == 1
    assert maths.elapsed_days(start, end, end) == 30
    assert maths.projection(D("100"), 1, 30) == D("3000")


def test_cents_and_shares_round_half_up():
    assert maths.cents(D("0.005")) == D("0.01")
    assert maths.cents(D("2.675")) == D("2.68")
    assert maths.share(D("1"), D("16")) == D("6.3")  # 6.25
    assert maths.share(D("1"), D("0.5")) == D("200.0")


def test_no_share_of_nothing_or_of_a_negative_figure():
    assert maths.share(D("5"), D("0")) is None
    assert maths.share(D("5"), D("-10")) is None
    assert maths.share(D("5"), None) is None
    assert maths.missing(D("5"), None) == D(0)
    assert maths.missing(D("1000"), D("1000")) == D(0)


def test_bonus_without_a_figure_is_nothing():
    kwargs = {"bonus_pct": None, "bonus_amount": None, "limit": None}
    assert maths.bonus(turnover=D("500"), reached=True, **kwargs) == D("0.00")
    under_limit = {"bonus_pct": D("2"), "bonus_amount": None, "limit": D("300")}
    assert maths.bonus(turnover=D("1000.25"), reached=True, **under_limit) == D("20.01")


def test_no_lift_is_never_bought_ahead():
    flat = maths.Lift((D(100),) * 3, D(100), D(90), True)
    assert (flat.lift, flat.dip, flat.bought_ahead) == (D("0.00"), D("10.00"), False)
    assert flat.lift_pct == D("0.0")


def test_a_period_after_above_the_baseline_keeps_the_whole_lift():
    kept = maths.Lift((D(100),) * 3, D(150), D(120), True)
    assert (kept.lift, kept.dip, kept.net_lift) == (D("50.00"), D("-20.00"), D("50.00"))
    assert not kept.bought_ahead


def test_without_periods_before_the_baseline_is_zero():
    new = maths.Lift((), D(80), D(0), False)
    assert (new.baseline, new.lift, new.lift_pct) == (D("0"), D("80.00"), None)
