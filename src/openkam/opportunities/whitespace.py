"""Whitespace: what each member of a customer group buys, is being sold, or does not buy.

For a group (its head company and every member the reader may see) and every product
line of the catalogue, a cell is **bought** (with the member's revenue in the line over
the last 12 months, the ledger's one definition of that period), **open** (an open
opportunity names the line) or **white**.

A white cell is **suggested** when accounts like the member buy the line: accounts of
the same segment and size band (the power of ten of their last-12-month revenue: 10,000
to 99,999, 100,000 to 999,999...), at least `MIN_PEERS` of them, of which at least
`MIN_SHARE` buy it. The evidence says how many of how many, and the median yearly
revenue in the line of those that buy it. Peers are counted among the accounts the
reader may see, as every figure drawn from other records is.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum

from openkam.accounts.models import Account
from openkam.ledger.models import InvoiceLine, Product
from openkam.ledger.periods import Period
from openkam.opportunities.models import OpportunityLine, Outcome
from openkam.users.permissions import AnyUser

MIN_PEERS = 5
MIN_SHARE = Decimal("0.5")
BOUGHT, OPEN, WHITE = "bought", "open", "white"


@dataclass(frozen=True)
class Evidence:
    buyers: int
    peers: int
    median: Decimal  # yearly revenue in the line of the peers that buy it
    currency: str


@dataclass
class Cell:
    line: str
    state: str = WHITE
    revenue: Decimal = Decimal(0)
    evidence: Evidence | None = None


@dataclass
class Row:
    account: Account
    revenue: Decimal  # the last 12 months, all lines
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Whitespace:
    period: Period
    lines: list[str]
    rows: list[Row]

    @property
    def suggestions(self) -> int:
        return sum(cell.evidence is not None for row in self.rows for cell in row.cells)


def size_band(revenue: Decimal) -> int:
    """The power of ten of a yearly revenue (0 for none)."""
    return int(math.log10(revenue)) if revenue >= 1 else 0


def product_lines() -> list[str]:
    lines = Product.objects.exclude(product_line="").values_list("product_line", flat=True)
    return sorted(set(lines))


def _revenue(account_ids, period: Period) -> dict[int, dict[str, Decimal]]:
    """{account: {product line: net revenue}} over the period."""
    rows = (
        InvoiceLine.objects.filter(
            account_id__in=account_ids, issued_on__gte=period.start, issued_on__lt=period.end
        )
        .order_by()
        .values("account_id", "product__product_line")
        .annotate(total=Sum("net_amount"))
    )
    found: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for row in rows.iterator(chunk_size=5000):
        line = row["product__product_line"] or ""
        found[row["account_id"]][line] = Decimal(str(row["total"] or 0))
    return found


def _open_lines(account_ids) -> set[tuple[int, str]]:
    rows = OpportunityLine.objects.filter(
        opportunity__account_id__in=account_ids, opportunity__stage__outcome=Outcome.OPEN
    ).values_list("opportunity__account_id", "product_line")
    return set(rows)


def group_whitespace(*, user: AnyUser, account: Account, today: date) -> Whitespace:
    """The whitespace of the account's group as the reader may see it."""
    root_id = account.group_root_id or account.pk
    visible = Account.objects.visible_to(user)
    members = list(visible.filter(Q(group_root_id=root_id) | Q(pk=root_id)).order_by("name"))
    period = Period.trailing(today)
    member_ids = [member.pk for member in members]
    revenue = _revenue(member_ids, period)
    opened = _open_lines(member_ids)
    lines = product_lines()
    peers = _Peers(visible, period, members, revenue)
    rows = []
    for member in members:
        bought = revenue.get(member.pk, {})
        row = Row(member, sum(bought.values(), Decimal(0)))
        for line in lines:
            cell = Cell(line)
            if bought.get(line, Decimal(0)) > 0:
                cell.state, cell.revenue = BOUGHT, bought[line]
            elif (member.pk, line) in opened:
                cell.state = OPEN
            else:
                cell.evidence = peers.evidence(member, row.revenue, line)
            row.cells.append(cell)
        rows.append(row)
    return Whitespace(period=period, lines=lines, rows=rows)


class _Peers:
    """Line revenue of the visible accounts in the members' segments, read once."""

    def __init__(self, visible, period: Period, members: list[Account], revenue):
        segments = {member.segment for member in members}
        peers = list(visible.filter(segment__in=segments).values_list("pk", "segment", "currency"))
        self.lines = _revenue([pk for pk, _s, _c in peers], period)
        self.by_group: dict[tuple[str, int, str], list[int]] = defaultdict(list)
        for pk, segment, currency in peers:
            total = sum(self.lines.get(pk, {}).values(), Decimal(0))
            self.by_group[(segment, size_band(total), currency)].append(pk)

    def evidence(self, member: Account, revenue: Decimal, line: str) -> Evidence | None:
        key = (member.segment, size_band(revenue), member.currency)
        others = [pk for pk in self.by_group.get(key, []) if pk != member.pk]
        if len(others) < MIN_PEERS:
            return None
        spend = [self.lines.get(pk, {}).get(line, Decimal(0)) for pk in others]
        buying = [amount for amount in spend if amount > 0]
        if Decimal(len(buying)) < MIN_SHARE * len(others):
            return None
        median = Decimal(str(statistics.median(buying))).quantize(Decimal("0.01"))
        return Evidence(len(buying), len(others), median, member.currency)
