"""Whitespace on a small crafted company where the answer is known: a group of two (the
head company buys flour, the subsidiary sugar and has an open opportunity on oil), six
similar accounts that all buy flour, five of them oil and two salt: oil is suggested to
the head company, flour to the subsidiary, salt to neither."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from openkam.accounts.models import Account
from openkam.ledger.models import Invoice, InvoiceLine, Product
from openkam.opportunities import services
from openkam.opportunities.models import Opportunity
from openkam.opportunities.whitespace import (
    BOUGHT,
    OPEN,
    WHITE,
    Evidence,
    every_group_whitespace,
    group_whitespace,
    size_band,
)

DAY = date(2026, 6, 15)  # inside the last 12 months of the fixed today (2026-12-02)


def _buy(account, line: str, amount: str, day: date = DAY) -> None:
    product, _new = Product.objects.get_or_create(
        source="t", sku=line, defaults={"name": line, "product_line": line}
    )
    invoice = Invoice.objects.create(
        account=account, number=f"{account.pk}/{line}/{day}", issued_on=day,
        currency=account.currency, net_total=Decimal(amount),
    )  # fmt: skip
    InvoiceLine.objects.create(
        invoice=invoice, line_no=1, account=account, issued_on=day, product=product,
        quantity=Decimal(1), net_amount=Decimal(amount),
    )  # fmt: skip


@pytest.fixture
def crafted(company):
    a, a1 = company["a"], company["a1"]
    for account in (a, a1):
        account.segment = "Retail"
        account.save()
    _buy(a, "Flour", "50000")
    _buy(a1, "Sugar", "20000")
    _buy(a1, "Sugar", "999999", date(2025, 1, 1))  # before the 12 months: not counted
    for line in ("Oil", "Salt"):
        Product.objects.get_or_create(
            source="t", sku=line, defaults={"name": line, "product_line": line}
        )
    services.opportunity_create(
        actor=None, account=a1, title="Oil", value=Decimal(1), currency="PLN",
        expected_close=date(2027, 1, 31), product_lines=["Oil"],
    )  # fmt: skip
    # Six peers of A (Retail, 10,000-99,999 a year), seen by the head only.
    for number in range(6):
        peer = Account.objects.create(name=f"Peer {number}", segment="Retail", currency="PLN")
        _buy(peer, "Flour", "30000")
        if number < 5:
            _buy(peer, "Oil", str(1000 * (number + 1)))
        if number < 2:
            _buy(peer, "Salt", "500")
    Account.objects.create(name="Wholesale peer", segment="Wholesale", currency="PLN")
    return company


def _cells(ws):
    return {(row.account.name, cell.line): cell for row in ws.rows for cell in row.cells}


def test_the_head_sees_bought_open_white_and_a_suggestion(crafted):
    ws = group_whitespace(user=crafted["head"], account=crafted["a"], today=crafted["today"])
    a, a1 = crafted["a"].name, crafted["a1"].name
    assert ws.lines == ["Flour", "Oil", "Salt", "Sugar"]
    assert [row.account.name for row in ws.rows] == sorted([a, a1])
    cells = _cells(ws)
    assert (cells[(a, "Flour")].state, cells[(a, "Flour")].revenue) == (BOUGHT, Decimal("50000"))
    assert (cells[(a1, "Sugar")].state, cells[(a1, "Sugar")].revenue) == (BOUGHT, Decimal("20000"))
    assert cells[(a1, "Oil")].state == OPEN
    # A's peers: the six and A1 (Retail, 10,000-99,999 a year). 5 of 7 buy oil (median of
    # 1,000..5,000 = 3,000); salt only 2 of 7.
    assert cells[(a, "Oil")].state == WHITE
    assert cells[(a, "Oil")].evidence == Evidence(5, 7, Decimal("3000.00"), "PLN")
    assert cells[(a, "Salt")].evidence is None
    # A1's peers: the six and A, all buying flour (30,000 six times and 50,000).
    assert cells[(a1, "Flour")].evidence == Evidence(7, 7, Decimal("30000.00"), "PLN")
    assert cells[(a1, "Salt")].evidence is None
    assert ws.suggestions == 2


def test_a_kam_counts_peers_among_the_accounts_they_see(crafted):
    ws = group_whitespace(user=crafted["owner"], account=crafted["a"], today=crafted["today"])
    assert ws.suggestions == 0  # the six peers are not theirs: no evidence from them


def test_every_group_at_once_is_each_group_alone(crafted):
    head, today = crafted["head"], crafted["today"]
    groups = dict(every_group_whitespace(user=head, today=today))
    assert crafted["a"].pk in groups
    for root_id, ws in groups.items():
        alone = group_whitespace(user=head, account=Account.objects.get(pk=root_id), today=today)
        assert [row.account for row in ws.rows] == [row.account for row in alone.rows]
        assert _cells(ws) == _cells(alone)
    assert groups[crafted["a"].pk].suggestions == 2
    # A KAM's peers are the accounts they see: no evidence from the six.
    mine = dict(every_group_whitespace(user=crafted["owner"], today=today))
    assert mine[crafted["a"].pk].suggestions == 0


def test_the_median_of_an_even_count_is_the_mean_of_the_middle_two(crafted):
    peer = Account.objects.create(name="Peer 6", segment="Retail", currency="PLN")
    _buy(peer, "Flour", "30000")
    _buy(peer, "Oil", "6000")
    ws = group_whitespace(user=crafted["head"], account=crafted["a"], today=crafted["today"])
    # 1,000..6,000: the mean of 3,000 and 4,000.
    assert _cells(ws)[(crafted["a"].name, "Oil")].evidence == Evidence(
        6, 8, Decimal("3500.00"), "PLN"
    )


def test_size_bands_are_powers_of_ten():
    assert [size_band(Decimal(v)) for v in ("0", "0.5", "9999", "10000", "99999.99", "1e6")] == [
        0, 0, 3, 4, 4, 6,
    ]  # fmt: skip


def test_a_year_of_more_returned_than_bought_is_in_the_lowest_band():
    assert [size_band(Decimal(v)) for v in ("-0.5", "-500", "-12345.67")] == [0, 0, 0]


def test_one_click_makes_the_opportunity(client, crafted):
    client.force_login(crafted["head"])
    page = client.get(reverse("account_opportunities:whitespace", args=[crafted["a"].pk]))
    assert "5 of 7 similar accounts buy it, median 3,000.00" in page.content.decode().replace(
        "\xa0", " "
    )
    response = client.post(
        reverse("account_opportunities:create_from_cell", args=[crafted["a"].pk]),
        {"account": crafted["a"].pk, "line": "Oil", "value": "3000.00"},
    )
    made = Opportunity.objects.get(account=crafted["a"], product_lines__product_line="Oil")
    assert response.url == reverse("opportunities:detail", args=[made.pk])
    assert (made.kind, made.value, made.stage.code) == ("cross_sell", Decimal("3000.00"), "qualify")


@pytest.mark.parametrize(
    ("persona", "member", "line", "status"),
    [
        ("other_kam", "a", "Oil", 404),  # may not see the group
        ("viewer", "a", "Oil", 404),  # sees, may not sell
        ("head", "b", "Oil", 404),  # not a member of this group
        ("head", "a", "Caviar", 404),  # no such product line
    ],
)
def test_a_cell_of_another_group_or_line_or_right_is_refused(
    client, crafted, persona, member, line, status
):
    client.force_login(crafted[persona])
    response = client.post(
        reverse("account_opportunities:create_from_cell", args=[crafted["a"].pk]),
        {"account": crafted[member].pk, "line": line},
    )
    assert response.status_code == status
    assert (
        not Opportunity.objects.filter(product_lines__product_line=line, title__contains=line)
        .exclude(title="Oil")
        .exists()
    )


def test_every_group_holds_only_groups_not_stand_alone_accounts(crafted):
    groups = dict(every_group_whitespace(user=crafted["head"], today=crafted["today"]))
    assert list(groups) == [crafted["a"].pk]  # not B, C nor the peers: no subsidiaries


def test_every_group_is_read_for_the_day_asked(crafted):
    from openkam.ledger.periods import Period

    earlier = date(2026, 6, 1)  # A's flour, bought on 15 June, is not yet in the year
    (ws,) = dict(every_group_whitespace(user=crafted["head"], today=earlier)).values()
    assert ws.period == Period.trailing(earlier)
    assert [row.revenue for row in ws.rows] == [Decimal(0), Decimal(0)]


def test_members_are_listed_by_name_then_by_id(crafted):
    a = crafted["a"]
    # Two subsidiaries of one name, first in the alphabet, made in the reverse of their ids.
    later = Account.objects.create(pk=900002, name="Aaa Serwis", parent=a, group_root=a)
    earlier = Account.objects.create(pk=900001, name="Aaa Serwis", parent=a, group_root=a)
    expected = [earlier, later, a, crafted["a1"]]
    head, today = crafted["head"], crafted["today"]
    alone = group_whitespace(user=head, account=a, today=today)
    assert [row.account for row in alone.rows] == expected
    together = dict(every_group_whitespace(user=head, today=today))[a.pk]
    assert [row.account for row in together.rows] == expected
