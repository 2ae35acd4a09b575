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

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connection
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
    # The digits of the whole part, as the peers' statement counts them (a float log10
    # could land on the other side of a power of ten).
    return len(str(int(revenue))) - 1 if revenue >= 1 else 0


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


def group_whitespace(
    *, user: AnyUser, account: Account, today: date, peers: Peers | None = None
) -> Whitespace:
    """The whitespace of the account's group as the reader may see it. `peers` read for
    the same reader and period spares reading them again (any other `peers` is ignored)."""
    root_id = account.group_root_id or account.pk
    visible = Account.objects.visible_to(user)
    members = list(visible.filter(Q(group_root_id=root_id) | Q(pk=root_id)).order_by("name"))
    period = Period.trailing(today)
    member_ids = [member.pk for member in members]
    revenue = _revenue(member_ids, period)
    opened = _open_lines(member_ids)
    lines = product_lines()
    segments = {member.segment for member in members}
    if peers is None or not peers.serve(user, period, segments):
        peers = Peers(user, period, segments)
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


class Peers:
    """The peer figures of every (segment, size band, currency) and product line among the
    accounts a reader sees: how many accounts, how many buy the line, their median.

    Read by one statement over the period's lines (the bands, counts and medians are
    computed in the database), for the segments given or, with none, for every segment:
    one `Peers` then serves any number of groups of the same reader and period (a
    benchmark or a batch), where each group alone would read its segments again.
    """

    def __init__(self, user: AnyUser, period: Period, segments: set[str] | None = None):
        self.reader = user.pk
        self.period = period
        self.segments = segments
        self.sizes: dict[tuple[str, int, str], int] = {}
        self.lines: dict[tuple[str, int, str, str], tuple[int, Decimal]] = {}
        visible = Account.objects.visible_to(user)
        if segments is not None:
            visible = visible.filter(segment__in=segments)
        sql, params = visible.order_by().values("pk", "segment", "currency").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(_peer_sql(sql), (*params, period.start, period.end))
            for segment, band, currency, line, peers, buyers, median in cursor.fetchall():
                self.sizes[(segment, band, currency)] = peers
                if line is not None:
                    self.lines[(segment, band, currency, line)] = (buyers, _money(median))

    def serve(self, user: AnyUser, period: Period, segments: set[str]) -> bool:
        """Whether these figures are the ones that reader would read for those segments."""
        if self.reader != user.pk or self.period != period:
            return False
        return self.segments is None or segments <= self.segments

    def evidence(self, member: Account, revenue: Decimal, line: str) -> Evidence | None:
        """Why `line` suits a member who does not buy it (the member itself is no peer,
        and, not buying the line, not among its buyers)."""
        key = (member.segment, size_band(revenue), member.currency)
        others = self.sizes.get(key, 0) - 1
        if others < MIN_PEERS:
            return None
        buyers, median = self.lines.get((*key, line), (0, Decimal(0)))
        if Decimal(buyers) < MIN_SHARE * others:
            return None
        return Evidence(buyers, others, median, member.currency)


def _money(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _band_sql(column: str) -> str:
    """`size_band` in SQL: the digits of the whole part, less one (0 below 1)."""
    whole = f"CAST({column} AS INTEGER)"  # SQLite truncates: the floor of a positive sum
    if connection.vendor == "postgresql":
        whole = f"CAST(FLOOR({column}) AS BIGINT)"  # PostgreSQL would round
    return f"CASE WHEN {column} >= 1 THEN LENGTH(CAST({whole} AS TEXT)) - 1 ELSE 0 END"


def _peer_sql(visible_sql: str) -> str:
    """Per (segment, band, currency): the visible accounts, and per product line bought by
    any of them, the buyers and the median of their revenue in it (the middle one, or the
    mean of the middle two). Parameters: the visible accounts', then the period."""
    key = "b.segment, b.band, b.currency"
    return f"""
WITH peer (pk, segment, currency) AS ({visible_sql}),
spend AS (
    SELECT l.account_id, COALESCE(p.product_line, '') AS line, SUM(l.net_amount) AS amount
    FROM ledger_invoiceline l
    LEFT JOIN ledger_product p ON p.id = l.product_id
    WHERE l.account_id IN (SELECT pk FROM peer) AND l.issued_on >= %s AND l.issued_on < %s
    GROUP BY l.account_id, COALESCE(p.product_line, '')
),
banded AS (
    SELECT peer.pk, peer.segment, peer.currency, {_band_sql("t.revenue")} AS band
    FROM peer LEFT JOIN (
        SELECT account_id, SUM(amount) AS revenue FROM spend GROUP BY account_id
    ) t ON t.account_id = peer.pk
),
bought AS (
    SELECT {key}, s.line, s.amount,
        ROW_NUMBER() OVER (PARTITION BY {key}, s.line ORDER BY s.amount) AS rn,
        COUNT(*) OVER (PARTITION BY {key}, s.line) AS buyers
    FROM banded b JOIN spend s ON s.account_id = b.pk
    WHERE s.amount > 0 AND s.line <> ''
),
middle AS (
    SELECT segment, band, currency, line, MAX(buyers) AS buyers, AVG(amount) AS median
    FROM bought WHERE rn IN ((buyers + 1) / 2, (buyers + 2) / 2)
    GROUP BY segment, band, currency, line
),
sizes AS (
    SELECT {key}, COUNT(*) AS peers FROM banded b GROUP BY {key}
)
SELECT z.segment, z.band, z.currency, m.line, z.peers, m.buyers, m.median
FROM sizes z LEFT JOIN middle m
    ON m.segment = z.segment AND m.band = z.band AND m.currency = z.currency
"""
