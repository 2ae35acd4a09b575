"""Who takes part: archived accounts never, whatever the audience; the accounts listed by
name (then in the order they were created)."""

from openkam.accounts.models import Account
from openkam.promotions import selectors
from openkam.promotions.tests.factories import promotion


def _update(account, **fields):
    Account.objects.filter(pk=account.pk).update(**fields)
    account.refresh_from_db()
    return account


def _names(company, promo):
    return [a.name for a in selectors.eligible_accounts(user=company["head"], promotion=promo)]


def test_an_archived_account_takes_part_in_no_promotion(company):
    a, b, c = company["a"], company["b"], company["c"]
    _update(a, segment="HoReCa", is_archived=True)
    _update(b, segment="HoReCa")
    by_segment = promotion("Seg", audience="segments", segments=["HoReCa"])
    chosen = promotion("Chosen", audience="accounts", accounts=[a, c])
    everyone = promotion("Everyone")
    assert _names(company, by_segment) == [b.name]
    assert _names(company, chosen) == [c.name]
    assert a.name not in _names(company, everyone)
    for promo in (by_segment, chosen, everyone):
        assert not selectors.is_eligible(promo, a)


def test_accounts_are_listed_by_name_then_by_age(company):
    a, a1, b, c = (company[key] for key in ("a", "a1", "b", "c"))
    _update(a, name="Zeta")
    _update(c, name="Beta Trade")  # the same name as B, created after it
    promo = promotion("Everyone")
    found = list(selectors.eligible_accounts(user=company["head"], promotion=promo))
    assert [account.pk for account in found] == [a1.pk, b.pk, c.pk, a.pk]
