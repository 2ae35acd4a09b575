"""The demo's promotions show what the feature is for: a past lift, customers who bought
ahead, a current bonus with accounts at various progress, an upcoming one, and two in one
exclusion group."""

from __future__ import annotations

from datetime import date

import pytest

from openkam.accounts.models import Account
from openkam.core.models import AuditEntry
from openkam.demo.build import build_demo
from openkam.demo.promotions import NAMES, build_promotions, promotions_exist
from openkam.demo.reset import delete_demo
from openkam.promotions import selectors
from openkam.promotions.models import Promotion

TODAY = date(2026, 11, 23)
SEED = 11

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        build_demo(lines=20_000, accounts=300, seed=SEED, today=TODAY)
        counts = build_promotions(today=TODAY)
        yield counts
        delete_demo()
        # The demo's promotions and the history it wrote of them go with it.
        assert not Promotion.objects.exists()
        assert not AuditEntry.objects.filter(model="promotions.Promotion").exists()


def _everyone(promotion):
    return Account.objects.filter(selectors.eligible_q(promotion))


def test_six_promotions_past_current_and_upcoming(demo):
    assert promotions_exist()
    statuses = {p.name: p.status(TODAY) for p in Promotion.objects.all()}
    assert statuses == {
        NAMES[0]: "past", NAMES[1]: "past", NAMES[2]: "active", NAMES[3]: "active",
        NAMES[4]: "active", NAMES[5]: "upcoming",
    }  # fmt: skip


def test_the_coffee_bonus_lifted_sales_and_the_sweets_were_bought_ahead(demo):
    assert demo["lifted"] > 0 and demo["ahead"] > 0
    coffee = Promotion.objects.get(name=NAMES[0])
    rows = selectors.lift_of(coffee, _everyone(coffee), TODAY)
    total = selectors.maths.total_lift([row.figures for row in rows])
    assert total.lift > 0 and not total.bought_ahead
    sweets = Promotion.objects.get(name=NAMES[1])
    rows = selectors.lift_of(sweets, _everyone(sweets), TODAY)
    # Over the chains the fortnight after was empty: bought ahead, and so reads the total.
    assert selectors.maths.total_lift([row.figures for row in rows]).bought_ahead
    assert any(row.figures.bought_ahead for row in rows)


def test_the_current_bonus_has_accounts_at_various_progress(demo):
    bonus = Promotion.objects.get(name=NAMES[2])
    rows = selectors.progress_of(bonus, _everyone(bonus), TODAY)
    assert any(row.reached for row in rows)
    assert any(not row.reached and row.turnover > 0 for row in rows)


def test_of_the_two_coffee_discounts_a_chain_gets_the_better(demo):
    chain = Account.objects.filter(segment="Retail chains", is_archived=False).first()
    assert chain is not None
    names = [p.name for p in selectors.applicable(chain, TODAY, product_line="Kawa i herbata")]
    assert NAMES[4] in names and NAMES[3] not in names
