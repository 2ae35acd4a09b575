"""The catalogue: every promotion for whoever is signed in, the latest start first, then
by name."""

from datetime import date

from django.contrib.auth.models import AnonymousUser

from openkam.promotions import selectors
from openkam.promotions.tests.factories import promotion


def test_the_catalogue_latest_start_first_then_by_name(company):
    promotion("Zeta autumn", starts_on=date(2026, 9, 1), ends_on=date(2026, 9, 30))
    promotion("Beta winter")
    promotion("Alpha winter")
    promotion("Omega spring", starts_on=date(2027, 3, 1), ends_on=date(2027, 3, 31))
    names = [p.name for p in selectors.catalogue(user=company["viewer"])]
    assert names == ["Omega spring", "Alpha winter", "Beta winter", "Zeta autumn"]
    assert list(selectors.catalogue(user=AnonymousUser())) == []
