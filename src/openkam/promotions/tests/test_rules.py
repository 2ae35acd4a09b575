"""Eligibility, stacking, the limit per account, progress from the ledger to the cent,
lift from crafted lines, the proposal functions and the service's rules."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openkam.accounts.models import Account
from openkam.core.models import AuditEntry
from openkam.promotions import selectors, services, stacking
from openkam.promotions.tests.factories import product, promotion, sell

TODAY = date(2026, 12, 2)  # the fixed clock


def _set(account, **fields):
    Account.objects.filter(pk=account.pk).update(**fields)
    account.refresh_from_db()
    return account


def _eligible(promo):
    return set(Account.objects.filter(selectors.eligible_q(promo)).values_list("name", flat=True))


def test_eligibility_by_segment_accounts_and_tier(company):
    a, b, c = company["a"], company["b"], company["c"]
    _set(a, segment="HoReCa", tier="key")
    _set(b, segment="HoReCa")
    _set(c, segment="DIY", tier="key")
    by_segment = promotion("Seg", audience="segments", segments=["HoReCa", " HoReCa "])
    assert by_segment.segments == ["HoReCa"]
    assert _eligible(by_segment) == {a.name, b.name}
    chosen = promotion("Chosen", audience="accounts", accounts=[b, c])
    assert _eligible(chosen) == {b.name, c.name}
    key_only = promotion("Key", tier="key")
    assert _eligible(key_only) == {a.name, c.name}
    key_segment = promotion("Key seg", audience="segments", segments=["HoReCa"], tier="key")
    assert _eligible(key_segment) == {a.name}
    for promo in (by_segment, chosen, key_only, key_segment):  # the Python check agrees
        for account in (a, b, c, company["a1"]):
            assert selectors.is_eligible(promo, account) == (account.name in _eligible(promo))


def test_eligible_accounts_follow_visibility(company):
    promo = promotion("All")
    seen = selectors.eligible_accounts(user=company["owner"], promotion=promo)
    assert {account.name for account in seen} == {company["a"].name, company["a1"].name}
    assert selectors.eligible_accounts(user=company["head"], promotion=promo).count() == 4


def test_progress_to_the_cent_with_returns(company):
    a = company["a"]
    cable, other = product("CAB-1", "Cables"), product("LMP-1", "Lamps")
    promo = promotion("Cables bonus", product_lines=["Cables"], threshold_amount=D("2000"))
    sell(a, date(2026, 11, 5), cable, "10", "1234.56")
    sell(a, date(2026, 11, 20), cable, "5", "617.29")
    sell(a, date(2026, 11, 25), cable, "-2", "-246.91")  # a return
    sell(a, date(2026, 10, 31), cable, "100", "9999.99")  # before the period
    sell(a, date(2026, 12, 3), cable, "100", "9999.99")  # after today
    sell(a, date(2026, 11, 6), cable, "100", "9999.99", currency="EUR")  # another currency
    sell(a, date(2026, 11, 7), other, "100", "9999.99")  # another line
    row = selectors.account_progress(a, TODAY)[0]
    assert row.turnover == D("1604.94")
    assert row.quantity == D("13")
    assert row.reached_pct == D("80.2")
    assert row.missing == D("395.06")
    assert row.earned == D("0")
    # 32 of the period's 61 days gone: 1604.94 * 61 / 32 = 3059.42 at the end, 3 % of it.
    assert row.projected == D("3059.42")
    assert row.projected_bonus == D("91.78")
    promo.threshold_amount = D("1600")
    promo.save()
    assert selectors.account_progress(a, TODAY)[0].earned == D("48.15")  # 3 % of 1604.94


def test_threshold_by_quantity_and_product(company):
    a = company["a"]
    cable, other = product("CAB-1"), product("CAB-2")
    promotion("Qty", products=[cable], threshold_quantity=D("20"), bonus_pct=None,
              bonus_amount=D("150.00"))  # fmt: skip
    sell(a, date(2026, 11, 5), cable, "12", "100.00")
    sell(a, date(2026, 11, 6), other, "50", "100.00")
    row = selectors.account_progress(a, TODAY)[0]
    assert (row.quantity, row.reached_pct, row.missing, row.earned) == (
        D("12"),
        D("60.0"),
        D("8"),
        D("0"),
    )
    sell(a, date(2026, 11, 7), cable, "8", "50.00")
    row = selectors.account_progress(a, TODAY)[0]
    assert (row.reached, row.earned, row.missing) == (True, D("150.00"), D("0"))


def test_limit_per_account_caps_the_bonus(company):
    a = company["a"]
    promotion("Capped", bonus_pct=D("10"), limit_per_account=D("100.00"))
    sell(a, date(2026, 11, 5), product("CAB-1"), "1", "5000.00")
    row = selectors.account_progress(a, TODAY)[0]
    assert row.earned == D("100.00")
    assert row.capped
    assert row.projected_bonus == D("100.00")


def test_stacking_exclusion_group_and_not_combinable(company):
    a = company["a"]
    low = promotion("Winter 3", exclusion_group="winter")
    high = promotion("Winter 5", exclusion_group="winter", bonus_pct=D("5"))
    extra = promotion("Loyalty 1", bonus_pct=D("1"))
    alone = promotion("Solo 4", combinable=False, bonus_pct=D("4"))
    choices = {
        choice.promotion.name: choice for choice in stacking.resolve([low, high, extra, alone])
    }
    assert [name for name, c in choices.items() if c.applies] == ["Winter 5", "Loyalty 1"]
    assert (choices["Winter 3"].beaten_by, choices["Winter 3"].reason) == (high, "exclusion_group")
    assert (choices["Solo 4"].beaten_by, choices["Solo 4"].reason) == (high, "not_combinable")
    assert selectors.applicable(a, TODAY) == [high, extra]
    # A promotion that stands alone wins when it is worth more than the best set.
    alone.bonus_pct = D("7")
    alone.save()
    assert selectors.applicable(a, TODAY) == [alone]
    reasons = {c.promotion.name: c.reason for c in stacking.resolve([low, high, extra, alone])}
    assert reasons == {"Solo 4": "", "Winter 5": "not_combinable", "Winter 3": "not_combinable",
                       "Loyalty 1": "not_combinable"}  # fmt: skip


def test_applicable_respects_day_products_and_eligibility(company):
    a, b = company["a"], company["b"]
    cable, lamp = product("CAB-1", "Cables"), product("LMP-1", "Lamps")
    on_cables = promotion("Cables", product_lines=["Cables"])
    on_lamp = promotion("Lamp", products=[lamp], kind="discount", discount_pct=D("4"))
    next_year = promotion("Next year", starts_on=date(2027, 1, 1), ends_on=date(2027, 1, 31))
    promotion("Only B", audience="accounts", accounts=[b])
    assert selectors.applicable(a, TODAY, product=cable) == [on_cables]
    assert selectors.applicable(a, TODAY, product=lamp) == [on_lamp]
    assert selectors.applicable(a, TODAY, product_line="Lamps") == [on_lamp]
    assert selectors.applicable(a, date(2027, 1, 5), product=cable) == [next_year]
    assert selectors.applicable(a, date(2027, 2, 1), product=cable) == []
    assert {p.name for p in selectors.applicable(b, TODAY, product=cable)} == {"Cables", "Only B"}


def test_expected_rebate_pct(company):
    a = company["a"]
    cable = product("CAB-1")
    promo = promotion("Rebate", threshold_amount=D("2000"))
    promotion("Discount", kind="discount", discount_pct=D("5"))  # a discount is no rebate
    sell(a, date(2026, 11, 5), cable, "1", "1604.94")  # projected 3059.42: reaches 2000
    assert selectors.expected_rebate_pct(a, cable, TODAY) == D("3.00")
    promo.threshold_amount = D("5000")  # the pace does not reach it
    promo.save()
    assert selectors.expected_rebate_pct(a, cable, TODAY) == D("0.00")
    promo.threshold_amount, promo.limit_per_account = D("2000"), D("50")
    promo.save()
    # At most 50 of a projected 3059.42: 1.63 %.
    assert selectors.expected_rebate_pct(a, cable, TODAY) == D("1.63")


def test_lift_and_bought_ahead_from_ledger_lines(company):
    a, b = company["a"], company["b"]
    cable = product("CAB-1")
    # A 10-day promotion in October; the 3 periods before start on September 1.
    promo = promotion("October push", starts_on=date(2026, 10, 1), ends_on=date(2026, 10, 10))
    for day, net in ((date(2026, 9, 1), "100"), (date(2026, 9, 11), "110"),
                     (date(2026, 9, 21), "90"), (date(2026, 10, 5), "160"),
                     (date(2026, 10, 15), "95")):  # fmt: skip
        sell(a, day, cable, "1", net)
    for day, net in ((date(2026, 9, 2), "200"), (date(2026, 9, 12), "200"),
                     (date(2026, 9, 22), "200"), (date(2026, 10, 2), "300"),
                     (date(2026, 10, 12), "150"), (date(2026, 10, 20), "-10")):  # fmt: skip
        sell(b, day, cable, "1", net)
    sell(b, date(2026, 8, 31), cable, "1", "5000")  # before the baseline
    rows, total = selectors.lift_rows(user=company["head"], promotion=promo, today=TODAY)
    by_name = {row.account.name: row.figures for row in rows}
    kept, ahead = by_name[a.name], by_name[b.name]
    assert (kept.baseline, kept.lift, kept.dip, kept.bought_ahead) == (
        D("100.00"),
        D("60.00"),
        D("5.00"),
        False,
    )
    assert (ahead.baseline, ahead.lift, ahead.after, ahead.bought_ahead) == (
        D("200.00"),
        D("100.00"),
        D("140.00"),
        True,
    )
    assert (total.baseline, total.during, total.after) == (D("300.00"), D("460.00"), D("235.00"))
    # The owner of A sees A's figures only, and a total of them alone.
    rows, total = selectors.lift_rows(user=company["owner"], promotion=promo, today=TODAY)
    assert {row.account.name for row in rows} == {a.name, company["a1"].name}
    assert total.during == D("160.00")


def test_services_validate_check_the_role_and_audit(company):
    with pytest.raises(PermissionDenied):
        services.promotion_create(
            actor=company["owner"], name="x", kind="discount", discount_pct=D("1"),
            starts_on=TODAY, ends_on=TODAY,
        )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.promotion_create(
            actor=company["head"], name="Bad", kind="volume_bonus", starts_on=TODAY,
            ends_on=date(2026, 11, 1), bonus_pct=D("2"), bonus_amount=D("5"),
        )  # fmt: skip
    assert {"ends_on", "bonus_pct"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError) as error:
        services.promotion_create(
            actor=company["head"], name="No accounts", kind="discount", discount_pct=D("1"),
            starts_on=TODAY, ends_on=TODAY, audience="accounts",
        )  # fmt: skip
    assert "accounts" in error.value.message_dict
    assert not services.Promotion.objects.exists()
    promo = services.promotion_create(
        actor=company["head"], name="Good", kind="discount", discount_pct=D("1"),
        starts_on=TODAY, ends_on=TODAY, audience="accounts", accounts=[company["a"]],
    )  # fmt: skip
    changed = services.promotion_update(
        actor=company["head"], promotion=promo, discount_pct=D("2"), accounts=[company["b"]]
    )
    assert changed
    entries = AuditEntry.objects.filter(model="promotions.Promotion", object_id=str(promo.pk))
    update = entries.get(action="update")
    assert update.changes["discount_pct"] == ["1", "2"]
    assert update.changes["account_ids"] == [[company["a"].pk], [company["b"].pk]]
    assert entries.filter(action="create").exists()
    with pytest.raises(ValidationError):
        services.promotion_update(actor=company["head"], promotion=promo, ends_on=date(2026, 1, 1))
    promo.refresh_from_db()
    assert promo.ends_on == TODAY
