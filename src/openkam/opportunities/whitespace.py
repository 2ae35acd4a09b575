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
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Q

from openkam.accounts.models import Account
from openkam.ledger.models import Product
from openkam.ledger.periods import Period
from openkam.opportunities.models import OpportunityLine, Outcome
from openkam.users.permissions import AnyUser

MIN_PEERS = 5
MIN_SHARE = Decimal("0.5")
BOUGHT, OPEN, WHITE = "bought", "open", "white"
PEER, MEMBER = 0, 1  # the kinds of rows of the peers' statement


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


def _open_lines(account_ids) -> set[tuple[int, str]]:
    rows = OpportunityLine.objects.filter(
        opportunity__account_id__in=account_ids, opportunity__stage__outcome=Outcome.OPEN
    ).values_list("opportunity__account_id", "product_line")
    return set(rows)


def group_whitespace(*, user: AnyUser, account: Account, today: date) -> Whitespace:
    """The whitespace of the account's group as the reader may see it."""
    root_id = account.group_root_id or account.pk
    visible = Account.objects.visible_to(user)
    members = list(visible.filter(Q(group_root_id=root_id) | Q(pk=root_id)).order_by("name", "pk"))
    period = Period.trailing(today)
    member_ids = [member.pk for member in members]
    peers = Peers(user, period, Account.objects.filter(pk__in=member_ids))
    return _matrix(period, members, _open_lines(member_ids), peers)


def every_group_whitespace(*, user: AnyUser, today: date) -> Iterator[tuple[int, Whitespace]]:
    """Every group the reader sees a member of, by its head company's id, with its
    whitespace exactly as `group_whitespace` gives it; read in a handful of statements
    whatever the number of groups (a batch, a benchmark), where each group alone reads
    its members, their revenue and lines and its segments' peers."""
    roots = Account.objects.filter(parent__isnull=False).values("group_root_id")
    in_groups = Account.objects.visible_to(user).filter(Q(parent__isnull=False) | Q(pk__in=roots))
    period = Period.trailing(today)
    opened = _open_lines(in_groups.values("pk"))
    peers = Peers(user, period, in_groups, every_segment=True)
    groups: dict[int, list[Account]] = defaultdict(list)
    for member in in_groups.order_by("name", "pk"):
        groups[member.group_root_id or member.pk].append(member)
    for root_id in sorted(groups):
        yield root_id, _matrix(period, groups[root_id], opened, peers)


def _matrix(period: Period, members: list[Account], opened, peers: Peers) -> Whitespace:
    lines = peers.product_lines
    rows = []
    for member in members:
        bought = peers.revenue.get(member.pk, {})
        row = Row(member, sum(bought.values(), Decimal(0)))
        key = (member.segment, size_band(row.revenue), member.currency)
        for line in lines:
            cell = Cell(line)
            if bought.get(line, Decimal(0)) > 0:
                cell.state, cell.revenue = BOUGHT, bought[line]
            elif (member.pk, line) in opened:
                cell.state = OPEN
            else:
                cell.evidence = peers.evidence(key, line)
            row.cells.append(cell)
        rows.append(row)
    return Whitespace(period=period, lines=lines, rows=rows)


class Peers:
    """The peer figures of every (segment, size band, currency) and product line among the
    accounts a reader sees: how many accounts, how many buy the line, their median; and,
    from the same read, the revenue per line of the members (accounts the reader sees).

    One statement over the period's lines (the bands, counts and medians are computed in
    the database), for the members' segments, or every segment with `every_segment`.
    """

    def __init__(self, user: AnyUser, period: Period, members, every_segment: bool = False):
        self.product_lines = product_lines()
        self.sizes: dict[tuple[str, int, str], int] = {}
        self.lines: dict[tuple[str, int, str, str], tuple[int, Decimal]] = {}
        self.revenue: dict[int, dict[str, Decimal]] = defaultdict(dict)
        visible = Account.objects.visible_to(user).order_by()
        members = members.order_by().values("pk")
        if not every_segment:
            visible = visible.filter(segment__in=members.values("segment"))
        ids, id_params = visible.values("pk").query.sql_with_params()
        rows, row_params = visible.values("pk", "segment", "currency").query.sql_with_params()
        chosen, chosen_params = members.query.sql_with_params()
        params = (period.start, period.end, *id_params, *row_params, *chosen_params)
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Sorted and grouped in memory, not in files (the default is 4 MB).
                cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute(_peer_sql(ids, rows, chosen), params)
            for kind, segment, band, currency, line, peers, buyers, amount in cursor.fetchall():
                if kind == MEMBER:  # the account's id in `band`
                    self.revenue[band][line] = Decimal(str(amount or 0))
                    continue
                self.sizes[(segment, band, currency)] = peers
                if line is not None:
                    self.lines[(segment, band, currency, line)] = (buyers, _money(amount))

    def evidence(self, key: tuple[str, int, str], line: str) -> Evidence | None:
        """Why `line` suits a member of that (segment, band, currency) who does not buy it
        (the member itself is no peer, and, not buying the line, not among its buyers)."""
        others = self.sizes.get(key, 0) - 1
        if others < MIN_PEERS:
            return None
        buyers, median = self.lines.get((*key, line), (0, Decimal(0)))
        if Decimal(buyers) < MIN_SHARE * others:
            return None
        return Evidence(buyers, others, median, key[2])


def _money(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _band_sql(column: str) -> str:
    """`size_band` in SQL: the digits of the whole part, less one (0 below 1)."""
    whole = f"CAST({column} AS INTEGER)"  # SQLite truncates: the floor of a positive sum
    if connection.vendor == "postgresql":
        whole = f"CAST(FLOOR({column}) AS BIGINT)"  # PostgreSQL would round
    return f"CASE WHEN {column} >= 1 THEN LENGTH(CAST({whole} AS TEXT)) - 1 ELSE 0 END"


def _peer_sql(visible_ids: str, visible_rows: str, members: str) -> str:
    """Per (segment, band, currency): the visible accounts, and per product line bought by
    any of them, the buyers and the median of their revenue in it (the middle one, or the
    mean of the middle two); then the members' revenue per line (kind MEMBER, the account
    in the band's column). Parameters: the period, the visible accounts' ids', their
    rows', the members'. (The lines are narrowed by the visibility predicate itself, not
    by the CTE of the accounts: PostgreSQL would guess a CTE's size and walk the index of
    the lines account by account.) The sums are rounded to the cent: SQLite adds money as
    binary fractions, and 10,000.00 in four lines could come to 9,999.999999999998, a
    band lower than the members' own revenue says."""
    key = "b.segment, b.band, b.currency"
    # The lines' revenue is sorted by peer group (a number for segment, band and
    # currency: comparing three texts per pair made the sort several times slower) and
    # line, compared as bytes on PostgreSQL (partitions need equal texts together, not
    # the language's order).
    c = ' COLLATE "C"' if connection.vendor == "postgresql" else ""
    partition = f"b.peer_group, s.line{c}"
    return f"""
WITH spend AS (
    SELECT l.account_id, COALESCE(p.product_line, '') AS line,
        ROUND(SUM(l.net_amount), 2) AS amount
    FROM ledger_invoiceline l
    LEFT JOIN ledger_product p ON p.id = l.product_id
    WHERE l.issued_on >= %s AND l.issued_on < %s AND l.account_id IN ({visible_ids})
    GROUP BY l.account_id, COALESCE(p.product_line, '')
),
peer (pk, segment, currency) AS ({visible_rows}),
revenue AS (
    SELECT peer.pk, peer.segment, peer.currency, {_band_sql("t.revenue")} AS band
    FROM peer LEFT JOIN (
        SELECT account_id, ROUND(SUM(amount), 2) AS revenue FROM spend GROUP BY account_id
    ) t ON t.account_id = peer.pk
),
banded AS (
    SELECT r.*, DENSE_RANK() OVER (ORDER BY r.segment, r.band, r.currency) AS peer_group
    FROM revenue r
),
bought AS (
    SELECT {key}, s.line, s.amount,
        ROW_NUMBER() OVER (PARTITION BY {partition} ORDER BY s.amount) AS rn,
        COUNT(*) OVER (PARTITION BY {partition}) AS buyers
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
SELECT {PEER} AS kind, z.segment, z.band, z.currency, m.line, z.peers, m.buyers, m.median
FROM sizes z LEFT JOIN middle m
    ON m.segment = z.segment AND m.band = z.band AND m.currency = z.currency
UNION ALL
SELECT {MEMBER}, NULL, s.account_id, NULL, s.line, NULL, NULL, s.amount
FROM spend s WHERE s.account_id IN ({members})
"""
