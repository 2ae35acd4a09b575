"""When whitespace suggests a line, at the edges: at least five peers besides the account
(four are not enough), at least half of them buying the line (exactly half is enough);
peers are of the same segment, size band and currency; a product with no line is no
column, and a won or lost opportunity leaves its line white."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from openkam.accounts.models import Account
from openkam.ledger.models import Invoice, InvoiceLine, Product
from openkam.opportunities import services
from openkam.opportunities.models import Stage
from openkam.opportunities.whitespace import BOUGHT, OPEN, WHITE, Evidence, group_whitespace

DAY = date(2026, 6, 15)  # inside the last 12 months of the fixed today (2026-12-02)


def _buy(account, line: str, amount: str) -> None:
    product, _new = Product.objects.get_or_create(
        source="t", sku=line or "no-line", defaults={"name": line or "Misc", "product_line": line}
    )
    number = f"{account.pk}/{line}/{Invoice.objects.count()}"
    invoice = Invoice.objects.create(
        account=account, number=number, issued_on=DAY, currency=account.currency,
        net_total=Decimal(amount),
    )  # fmt: skip
    InvoiceLine.objects.create(
        invoice=invoice, line_no=1, account=account, issued_on=DAY, product=product,
        quantity=Decimal(1), net_amount=Decimal(amount),
    )  # fmt: skip


def _bakery(company, peers: int, oil_buyers: int, **fields) -> Account:
    """A bakery buying flour for 50,000 a year, and `peers` bakeries of its band buying flour
    for 30,000, the first `oil_buyers` of them oil too."""
    bakery = Account.objects.create(name="Bakery", segment="Bakery", currency="PLN", **fields)
    _buy(bakery, "Flour", "50000")
    for number in range(peers):
        peer = Account.objects.create(name=f"Peer {number}", segment="Bakery", currency="PLN")
        _buy(peer, "Flour", "30000")
        if number < oil_buyers:
            _buy(peer, "Oil", str(1000 * (number + 1)))
    return bakery


def _oil(company, bakery):
    ws = group_whitespace(user=company["head"], account=bakery, today=company["today"])
    (row,) = ws.rows
    return {cell.line: cell for cell in row.cells}["Oil"]


@pytest.mark.parametrize(
    ("peers", "oil_buyers", "evidence"),
    [
        (5, 5, Evidence(5, 5, Decimal("3000.00"), "PLN")),
        (4, 4, None),  # too few peers to tell
        (6, 3, Evidence(3, 6, Decimal("2000.00"), "PLN")),  # exactly half
        (6, 2, None),
    ],
)
def test_a_suggestion_needs_five_peers_half_of_them_buying(company, peers, oil_buyers, evidence):
    oil = _oil(company, _bakery(company, peers, oil_buyers))
    assert (oil.state, oil.evidence) == (WHITE, evidence)


def test_peers_are_of_the_same_segment_band_and_currency(company):
    bakery = _bakery(company, 5, 5)
    Account.objects.filter(name="Peer 0").update(segment="Retail")
    Account.objects.filter(name="Peer 1").update(currency="EUR")
    assert _oil(company, bakery).evidence is None  # three peers left
    Account.objects.filter(name__in=["Peer 0", "Peer 1"]).update(segment="Bakery", currency="PLN")
    assert _oil(company, bakery).evidence == Evidence(5, 5, Decimal("3000.00"), "PLN")
    _buy(bakery, "Flour", "50000")  # 100,000 a year: another band, no peers there
    assert _oil(company, bakery).evidence is None


def test_lines_come_from_products_with_one_and_only_open_opportunities_count(company):
    bakery = _bakery(company, 5, 5)
    _buy(bakery, "", "100")  # a product with no line: no column, but revenue
    ws = group_whitespace(user=company["head"], account=bakery, today=company["today"])
    assert ws.lines == ["Flour", "Oil"]
    assert ws.rows[0].revenue == Decimal("50100")
    assert ws.rows[0].cells[0].state == BOUGHT
    deal = services.opportunity_create(
        actor=None, account=bakery, title="Oil", value=Decimal(1), currency="PLN",
        expected_close=company["today"] + timedelta(days=30), product_lines=["Oil"],
    )  # fmt: skip
    oil = _oil(company, bakery)
    assert (oil.state, oil.evidence) == (OPEN, None)
    services.opportunity_move(
        actor=None, opportunity=deal, stage=Stage.objects.get(code="lost"), lost_reason="price"
    )
    oil = _oil(company, bakery)
    assert (oil.state, oil.evidence) == (WHITE, Evidence(5, 5, Decimal("3000.00"), "PLN"))


def test_members_by_name_any_revenue_bought_and_the_period_of_the_day_asked(company):
    from openkam.ledger.periods import Period

    bakery = _bakery(company, 5, 5)
    idle = Account.objects.create(
        name="Aaa Bakery Idle", segment="Bakery", parent=bakery, group_root=bakery
    )
    small = Account.objects.create(
        name="Bakery Small", segment="Bakery", parent=bakery, group_root=bakery
    )
    _buy(small, "Oil", "1.00")  # the least revenue is bought all the same
    _buy(small, "Flour", "100")
    _buy(small, "Flour", "-100")  # returned: nothing bought in the line
    ws = group_whitespace(user=company["head"], account=bakery, today=company["today"])
    assert ws.period == Period.trailing(company["today"])
    assert [row.account for row in ws.rows] == [idle, bakery, small]
    cells = {(row.account.name, cell.line): cell for row in ws.rows for cell in row.cells}
    assert [row.revenue for row in ws.rows] == [Decimal(0), Decimal(50000), Decimal("1.00")]
    assert cells[("Bakery Small", "Oil")].state == BOUGHT
    assert cells[("Bakery Small", "Flour")].state == WHITE
    assert {cell.state for cell in ws.rows[0].cells} == {WHITE}
    # Asked as of an earlier day, the year ends before it: June's flour is not yet bought.
    earlier = group_whitespace(user=company["head"], account=bakery, today=date(2026, 6, 1))
    assert earlier.period == Period.trailing(date(2026, 6, 1))
    assert earlier.rows[1].revenue == Decimal(0)


@pytest.mark.parametrize(
    "bought",
    [
        # One line bought four times, and four lines bought once: 10,000.00 in all. Summed
        # as binary fractions (SQLite) each comes to 9,999.999999999998.
        [("Flour", "197.00"), ("Flour", "4869.92"), ("Flour", "4158.11"), ("Flour", "774.97")],
        [("Flour", "4704.23"), ("Salt", "842.67"), ("Sugar", "3640.22"), ("Yeast", "812.88")],
        [("Flour", "99999.99")],  # the band's last cent (a whole part rounded would leave it)
    ],
)
def test_a_year_at_either_edge_of_the_band_from_ten_thousand_is_in_it(company, bought):
    _bakery(company, 5, 5)  # six accounts in the band: the bakery and five oil buyers
    shop = Account.objects.create(name="Shop", segment="Bakery", currency="PLN")
    for line, amount in bought:
        _buy(shop, line, amount)
    ws = group_whitespace(user=company["head"], account=shop, today=company["today"])
    (row,) = ws.rows
    total = sum(Decimal(amount) for _line, amount in bought)
    assert row.revenue == total
    cells = {cell.line: cell for cell in row.cells}
    assert sum(cell.revenue for cell in cells.values()) == total
    assert cells["Oil"].evidence == Evidence(5, 6, Decimal("3000.00"), "PLN")
