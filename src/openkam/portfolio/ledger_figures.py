"""Read the ledger in a few SQL aggregations and hand back NumPy arrays per account.

The heavy lifting (scanning invoice lines) happens in the database; Python only sees one
row per account (or per account and month), never one per line. The queries are written
per database in plain SQL so that sums arrive as floats and months as integers (no
Decimal or date objects per row), and so that SQLite scans tables in storage order
instead of walking an index row by row to save a sort.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from django.db import connection

from openkam.accounts.models import Account
from openkam.ledger.periods import Period, month_index

FETCH_CHUNK = 50_000


@dataclass
class LedgerFigures:
    """Arrays aligned with `account_ids` (the active accounts, ascending id)."""

    account_ids: np.ndarray
    group_root_ids: np.ndarray
    segments: list[str]
    monthly_revenue: np.ndarray  # accounts x months of the period
    monthly_margin: np.ndarray
    revenue_prev: np.ndarray
    invoice_count: np.ndarray
    invoice_total: np.ndarray  # sum of positive invoices in the period, for the average
    first_invoice: np.ndarray  # month-free day numbers (date.toordinal), 0 = never
    last_invoice: np.ndarray
    late_days_sum: np.ndarray
    late_invoices: np.ndarray
    worst_late: np.ndarray  # -1 where no invoice fell due
    # Distinct (row, product line) bought in the period: row indexes and line codes.
    product_line_rows: np.ndarray
    product_line_codes: np.ndarray


def load_ledger_figures(period: Period, today: date) -> LedgerFigures:
    accounts = list(
        Account.objects.filter(is_archived=False)
        .order_by("pk")
        .values_list("pk", "group_root_id", "segment")
    )
    ids = np.array([a[0] for a in accounts], dtype=np.int64)
    n = len(ids)
    figures = LedgerFigures(
        account_ids=ids,
        group_root_ids=np.array([a[1] or a[0] for a in accounts], dtype=np.int64),
        segments=[a[2] for a in accounts],
        monthly_revenue=np.zeros((n, period.months)),
        monthly_margin=np.zeros((n, period.months)),
        revenue_prev=np.zeros(n),
        invoice_count=np.zeros(n),
        invoice_total=np.zeros(n),
        first_invoice=np.zeros(n, dtype=np.int64),
        last_invoice=np.zeros(n, dtype=np.int64),
        late_days_sum=np.zeros(n),
        late_invoices=np.zeros(n),
        worst_late=np.full(n, -1.0),
        product_line_rows=np.zeros(0, dtype=np.int64),
        product_line_codes=np.zeros(0, dtype=np.int64),
    )
    params = _params(period, today)
    _load_monthly(figures, period, params)
    _load_invoices(figures, params)
    _load_product_lines(figures, params)
    _load_lateness(figures, params)
    return figures


def _params(period: Period, today: date) -> dict:
    values = {
        "prev_start": period.prev_start,
        "start": period.start,
        "end": period.end,
        "today": today,
    }
    if connection.vendor == "sqlite":  # dates are stored as ISO text there
        return {key: day.isoformat() for key, day in values.items()}
    return values


def _query_columns(sql_by_vendor: dict[str, str], params: dict, count: int) -> list[np.ndarray]:
    """Run a query and return its columns as float arrays (NULL -> NaN), converting a
    chunk of rows at a time so that Python never holds all rows as tuples at once."""
    chunks = []
    with connection.cursor() as cursor:
        cursor.execute(sql_by_vendor[connection.vendor], params)
        while rows := cursor.fetchmany(FETCH_CHUNK):
            chunks.append(np.array(rows, dtype=float))
    matrix = np.concatenate(chunks) if chunks else np.zeros((0, count))
    return [matrix[:, i] for i in range(count)]


def _rows_of(figures: LedgerFigures, account_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(row index per id, mask of ids that are active accounts)."""
    ids = figures.account_ids
    rows = np.searchsorted(ids, account_ids)
    rows = np.minimum(rows, max(len(ids) - 1, 0))
    known = (ids[rows] == account_ids) if len(ids) else np.zeros(len(account_ids), dtype=bool)
    return rows, known


# Revenue and margin per account and month (as year * 12 + month - 1) of the period: the
# one scan of invoice lines.
_MONTHLY_SQL = {
    "postgresql": """
        SELECT account_id,
               (EXTRACT(YEAR FROM month) * 12 + EXTRACT(MONTH FROM month) - 1)::int,
               revenue::float8, margin::float8
        FROM (
            SELECT account_id, date_trunc('month', issued_on::timestamp) AS month,
                   SUM(net_amount) AS revenue, SUM(net_amount - cost_amount) AS margin
            FROM ledger_invoiceline
            WHERE issued_on >= %(start)s AND issued_on < %(end)s
            GROUP BY 1, 2
        ) monthly
    """,
    "sqlite": """
        SELECT account_id,
               CAST(substr(month, 1, 4) AS INTEGER) * 12 + CAST(substr(month, 6, 2) AS INTEGER) - 1,
               revenue, margin
        FROM (
            SELECT account_id, substr(issued_on, 1, 7) AS month,
                   TOTAL(net_amount) AS revenue, TOTAL(net_amount - cost_amount) AS margin
            FROM ledger_invoiceline
            WHERE issued_on >= %(start)s AND issued_on < %(end)s
            GROUP BY 1, 2
        )
    """,
}


def _load_monthly(figures: LedgerFigures, period: Period, params: dict) -> None:
    account_ids, months, revenue, margin = _query_columns(_MONTHLY_SQL, params, 4)
    rows, known = _rows_of(figures, account_ids.astype(np.int64))
    columns = months.astype(np.int64) - month_index(period.start)
    figures.monthly_revenue[rows[known], columns[known]] = revenue[known]
    figures.monthly_margin[rows[known], columns[known]] = margin[known]


# Per account: positive invoices in the period (count, total), the first and last invoice
# ever (as date.toordinal() day numbers) and the revenue of the previous period. That
# revenue is summed from the invoice headers, whose net_total is the sum of their lines
# (kept so by the importer and services), which saves scanning a second year of lines.
_INVOICES_SQL = {
    "postgresql": """
        SELECT account_id,
               COUNT(*) FILTER (WHERE issued_on >= %(start)s AND issued_on < %(end)s
                                AND net_total > 0),
               COALESCE(SUM(net_total) FILTER (WHERE issued_on >= %(start)s
                                               AND issued_on < %(end)s AND net_total > 0), 0)
                   ::float8,
               MIN(issued_on) - DATE '0001-01-01' + 1,
               MAX(issued_on) - DATE '0001-01-01' + 1,
               COALESCE(SUM(net_total) FILTER (WHERE issued_on >= %(prev_start)s
                                               AND issued_on < %(start)s), 0)::float8
        FROM ledger_invoice GROUP BY account_id
    """,
    "sqlite": """
        SELECT account_id,
               COUNT(*) FILTER (WHERE issued_on >= %(start)s AND issued_on < %(end)s
                                AND net_total > 0),
               TOTAL(net_total) FILTER (WHERE issued_on >= %(start)s AND issued_on < %(end)s
                                        AND net_total > 0),
               CAST(julianday(MIN(issued_on)) - 1721424.5 AS INTEGER),
               CAST(julianday(MAX(issued_on)) - 1721424.5 AS INTEGER),
               TOTAL(net_total) FILTER (WHERE issued_on >= %(prev_start)s
                                        AND issued_on < %(start)s)
        FROM ledger_invoice NOT INDEXED GROUP BY account_id
    """,
}


def _load_invoices(figures: LedgerFigures, params: dict) -> None:
    columns = _query_columns(_INVOICES_SQL, params, 6)
    account_ids, count, total, first, last, revenue_prev = columns
    rows, known = _rows_of(figures, account_ids.astype(np.int64))
    rows = rows[known]
    figures.invoice_count[rows] = count[known]
    figures.invoice_total[rows] = total[known]
    figures.first_invoice[rows] = np.nan_to_num(first[known]).astype(np.int64)
    figures.last_invoice[rows] = np.nan_to_num(last[known]).astype(np.int64)
    figures.revenue_prev[rows] = revenue_prev[known]


# Distinct product lines per account bought (a positive line) in the period.
_PRODUCT_LINES_SQL = {
    "postgresql": """
        SELECT DISTINCT l.account_id, p.product_line
        FROM ledger_invoiceline l JOIN ledger_product p ON p.id = l.product_id
        WHERE l.issued_on >= %(start)s AND l.issued_on < %(end)s AND l.net_amount > 0
    """,
    "sqlite": """
        SELECT DISTINCT l.account_id, p.product_line
        FROM ledger_invoiceline l JOIN ledger_product p ON p.id = l.product_id
        WHERE l.issued_on >= %(start)s AND l.issued_on < %(end)s AND l.net_amount > 0
    """,
}


def _load_product_lines(figures: LedgerFigures, params: dict) -> None:
    with connection.cursor() as cursor:
        cursor.execute(_PRODUCT_LINES_SQL[connection.vendor], params)
        pairs = cursor.fetchall()
    if not pairs:
        return
    account_ids = np.fromiter((pk for pk, _ in pairs), dtype=np.int64, count=len(pairs))
    code_of: dict[str, int] = {}
    codes = np.fromiter(
        (code_of.setdefault(line, len(code_of)) for _, line in pairs),
        dtype=np.int64,
        count=len(pairs),
    )
    rows, known = _rows_of(figures, account_ids)
    figures.product_line_rows = rows[known]
    figures.product_line_codes = codes[known]


# Days late per invoice that fell due in the period: settled on the last payment when paid
# in full, otherwise still open today; paying early counts as zero days late. Payments are
# looked up per invoice due in the period, not aggregated over the whole payment table.
_LATENESS_SQL = {
    "postgresql": """
        SELECT account_id, SUM(days), COUNT(*), MAX(days) FROM (
            SELECT i.account_id AS account_id, GREATEST(0,
                (CASE WHEN COALESCE(SUM(p.amount), 0) >= i.net_total - 0.005
                      THEN MAX(p.paid_on) ELSE %(today)s::date END) - i.due_on) AS days
            FROM ledger_invoice i LEFT JOIN ledger_payment p ON p.invoice_id = i.id
            WHERE i.due_on >= %(start)s AND i.due_on < %(end)s AND i.due_on <= %(today)s
              AND i.net_total > 0
            GROUP BY i.id
        ) late GROUP BY account_id
    """,
    "sqlite": """
        SELECT account_id, SUM(days), COUNT(*), MAX(days) FROM (
            SELECT i.account_id AS account_id, MAX(0, CAST(
                julianday(CASE WHEN COALESCE(SUM(p.amount), 0) >= CAST(i.net_total AS REAL) - 0.005
                               THEN MAX(p.paid_on) ELSE %(today)s END)
                - julianday(i.due_on) AS INTEGER)) AS days
            FROM ledger_invoice AS i NOT INDEXED
            LEFT JOIN ledger_payment p ON p.invoice_id = i.id
            WHERE i.due_on >= %(start)s AND i.due_on < %(end)s AND i.due_on <= %(today)s
              AND CAST(i.net_total AS REAL) > 0
            GROUP BY i.id
        ) GROUP BY account_id
    """,
}


def _load_lateness(figures: LedgerFigures, params: dict) -> None:
    account_ids, days_sum, count, worst = _query_columns(_LATENESS_SQL, params, 4)
    rows, known = _rows_of(figures, account_ids.astype(np.int64))
    rows = rows[known]
    figures.late_days_sum[rows] = np.nan_to_num(days_sum[known])
    figures.late_invoices[rows] = count[known]
    figures.worst_late[rows] = np.nan_to_num(worst[known])
