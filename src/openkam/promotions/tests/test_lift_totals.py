"""The total lift of several accounts on crafted numbers: no accounts, and accounts with
fewer periods before the promotion than others (no database)."""

from decimal import Decimal as D

from openkam.promotions import maths


def test_the_total_of_no_accounts_is_zero_over_three_periods():
    total = maths.total_lift([])
    assert total.before == (D(0), D(0), D(0))
    assert (total.during, total.after, total.after_complete) == (D(0), D(0), True)
    assert (total.baseline, total.lift, total.lift_pct, total.bought_ahead) == (
        D("0.00"), D("0.00"), None, False,
    )  # fmt: skip


def test_a_shorter_history_adds_to_the_periods_it_has():
    three = maths.Lift((D(10), D(20), D(30)), D(50), D(15), True)
    two = maths.Lift((D(1), D(2)), D(4), D(5), True)
    total = maths.total_lift([two, three])
    assert total.before == (D(11), D(22), D(30))
    assert (total.during, total.after) == (D(54), D(20))
    assert maths.total_lift([two]).before == (D(1), D(2))
