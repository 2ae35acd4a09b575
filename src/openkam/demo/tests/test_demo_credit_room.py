"""The demo sizes what goes to a customer to the customer's credit room, as a KAM would:
otherwise the credit check stops most of its proposals at approved."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from openkam.credit.services import limit_set
from openkam.demo.proposals import _Credit
from openkam.opportunities.services import opportunity_create


@pytest.mark.parametrize(
    ("limit", "fits", "sized"),
    [
        (None, True, Decimal(150_000)),  # no limit: the opportunity's value as it is
        (Decimal(100_000), True, Decimal("70000.00")),  # 70 % of the room
        (Decimal(14_000), False, Decimal("9800.00")),  # under 10,000: talk credit first
    ],
)
def test_a_proposal_for_the_customer_is_sized_to_its_credit_room(company, limit, fits, sized):
    today = company["today"]
    if limit is not None:
        limit_set(actor=company["finance"], account=company["a"], amount=limit, currency="PLN",
                  valid_from=today - timedelta(days=10))  # fmt: skip
    deal = opportunity_create(
        actor=None, account=company["a"], title="Flour for 2027", value=Decimal(150_000),
        currency="PLN", expected_close=today + timedelta(days=30),
    )  # fmt: skip
    credit = _Credit(today)
    assert credit.fits(deal, None) is fits
    assert credit.sized(deal, Decimal(150_000)) == sized
