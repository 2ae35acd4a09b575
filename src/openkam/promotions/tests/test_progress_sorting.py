"""The progress table's orders: by how far each account is towards the threshold (or by
turnover without one), by name regardless of case, by bonus; anything else by progress."""

from datetime import date
from decimal import Decimal as D

from openkam.accounts.models import Account
from openkam.promotions import selectors
from openkam.promotions.tests.factories import product, promotion, sell

TODAY = date(2026, 12, 2)  # the fixed clock


def _names(company, promo, sort=None):
    extra = {} if sort is None else {"sort": sort}
    rows = selectors.progress_rows(user=company["head"], promotion=promo, today=TODAY, **extra)
    return [row.account.name for row in rows]


def test_progress_sorts_by_progress_bonus_and_name(company):
    a, a1, b, c = (company[key] for key in ("a", "a1", "b", "c"))
    cable = product("CAB-1")
    promo = promotion("Winter bonus", threshold_amount=D("2000"))
    sell(a, date(2026, 11, 5), cable, "1", "2500.00")  # 125 %, earns 75.00
    sell(b, date(2026, 11, 5), cable, "1", "1500.00")  # 75 %
    sell(c, date(2026, 11, 5), cable, "1", "300.00")  # 15 %
    by_progress = [a.name, b.name, c.name, a1.name]
    assert _names(company, promo) == by_progress
    assert _names(company, promo, "-progress") == by_progress
    assert _names(company, promo, "progress") == list(reversed(by_progress))
    for unknown in ("bogus", "", "-PROGRESS"):
        assert _names(company, promo, unknown) == by_progress
    # Equal bonuses in the order of the accounts.
    assert _names(company, promo, "bonus") == [a1.name, b.name, c.name, a.name]
    assert _names(company, promo, "-bonus") == [a.name, c.name, b.name, a1.name]
    # The progress table has no lift: by account.
    assert _names(company, promo, "-lift") == [c.name, b.name, a1.name, a.name]
    # By name, whatever the case.
    Account.objects.filter(pk=b.pk).update(name="Alfa_Beta")
    Account.objects.filter(pk=c.pk).update(name="alfaGamma")
    names = ["Alfa Hurt S.A.", "Alfa Logistyka Sp. z o.o.", "Alfa_Beta", "alfaGamma"]
    assert [a.name, a1.name] == names[:2]
    assert _names(company, promo, "name") == names
    assert _names(company, promo, "-name") == list(reversed(names))


def test_a_quantity_threshold_sorts_by_the_quantity_reached(company):
    a, b = company["a"], company["b"]
    cable = product("CAB-1")
    promo = promotion("Quantity", threshold_quantity=D("20"), bonus_pct=None,
                      bonus_amount=D("100.00"))  # fmt: skip
    sell(a, date(2026, 11, 5), cable, "10", "100.00")  # 50 % of the quantity
    sell(b, date(2026, 11, 5), cable, "5", "1000.00")  # 25 %, more turnover
    assert _names(company, promo)[:2] == [a.name, b.name]


def test_without_a_threshold_progress_is_the_turnover(company):
    a, b, c = company["a"], company["b"], company["c"]
    cable = product("CAB-1")
    promo = promotion("Open bonus")
    sell(a, date(2026, 11, 5), cable, "1", "1000.00")
    sell(b, date(2026, 11, 5), cable, "1", "500.00")
    sell(c, date(2026, 11, 5), cable, "1", "100.00")
    assert _names(company, promo) == [a.name, b.name, c.name, company["a1"].name]
