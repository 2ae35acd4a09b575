"""Read the ledger in a few SQL aggregations and hand back NumPy arrays per account.

The heavy lifting (scanning invoice lines) happens in the database; Python only sees one
row per account (or per account and month), never one per line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from django.db import connection
from django.db.models import Count, Max, Min, Q, Sum
from django.db.models.functions import TruncMonth

from openkam.accounts.models import Account
from openkam.ledger.models import Invoice, InvoiceLine


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def first_of_month(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """`months` whole months ending with the month before `today`, and the same span before."""

    start: date
    end: date  # exclusive: first day of the current month
    prev_start: date
    months: int

    @classmethod
    def ending_before(cls, today: date, months: int) -> Period:
        end_index = month_index(today)
        return cls(
            start=first_of_month(end_index - months),
            end=first_of_month(end_index),
            prev_start=first_of_month(end_index - 2 * months),
            months=months,
        )


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
    product_line_pairs: list[tuple[int, str]]  # (row index, product line) bought in the period


def load_ledger_figures(period: Period, today: date) -> LedgerFigures:
    accounts = list(
        Account.objects.filter(is_archived=False)
        .order_by("pk")
        .values_list("pk", "group_root_id", "segment")
    )
    ids = np.array([a[0] for a in accounts], dtype=np.int64)
    row_of = {pk: row for row, pk in enumerate(ids.tolist())}
    figures = LedgerFigures(
        account_ids=ids,
        group_root_ids=np.array([a[1] or a[0] for a in accounts], dtype=np.int64),
        segments=[a[2] for a in accounts],
        monthly_revenue=np.zeros((len(ids), period.months)),
        monthly_margin=np.zeros((len(ids), period.months)),
        revenue_prev=np.zeros(len(ids)),
        invoice_count=np.zeros(len(ids)),
        invoice_total=np.zeros(len(ids)),
        first_invoice=np.zeros(len(ids), dtype=np.int64),
        last_invoice=np.zeros(len(ids), dtype=np.int64),
        late_days_sum=np.zeros(len(ids)),
        late_invoices=np.zeros(len(ids)),
        worst_late=np.full(len(ids), -1.0),
        product_line_pairs=[],
    )
    _load_monthly(figures, row_of, period)
    _load_invoices(figures, row_of, period)
    _load_product_lines(figures, row_of, period)
    _load_lateness(figures, row_of, period, today)
    return figures


def _load_monthly(figures: LedgerFigures, row_of: dict[int, int], period: Period) -> None:
    start_index = month_index(period.start)
    rows = (
        InvoiceLine.objects.filter(issued_on__gte=period.prev_start, issued_on__lt=period.end)
        .annotate(month=TruncMonth("issued_on"))
        .order_by()
        .values_list("account_id", "month")
        .annotate(revenue=Sum("net_amount"), cost=Sum("cost_amount"))
    )
    for account_id, month, revenue, cost in rows.iterator(chunk_size=20000):
        row = row_of.get(account_id)
        if row is None:
            continue
        column = month_index(month) - start_index
        if column < 0:
            figures.revenue_prev[row] += float(revenue)
        else:
            figures.monthly_revenue[row, column] = float(revenue)
            figures.monthly_margin[row, column] = float(revenue - cost)


def _load_invoices(figures: LedgerFigures, row_of: dict[int, int], period: Period) -> None:
    in_period = Q(issued_on__gte=period.start, issued_on__lt=period.end, net_total__gt=0)
    rows = (
        Invoice.objects.order_by()
        .values_list("account_id")
        .annotate(
            count=Count("pk", filter=in_period),
            total=Sum("net_total", filter=in_period),
            first=Min("issued_on"),
            last=Max("issued_on"),
        )
    )
    for account_id, count, total, first, last in rows.iterator(chunk_size=20000):
        row = row_of.get(account_id)
        if row is None:
            continue
        figures.invoice_count[row] = count
        figures.invoice_total[row] = float(total or 0)
        figures.first_invoice[row] = first.toordinal() if first else 0
        figures.last_invoice[row] = last.toordinal() if last else 0


def _load_product_lines(figures: LedgerFigures, row_of: dict[int, int], period: Period) -> None:
    pairs = (
        InvoiceLine.objects.filter(
            issued_on__gte=period.start, issued_on__lt=period.end, net_amount__gt=0
        )
        .order_by()
        .values_list("account_id", "product__product_line")
        .distinct()
    )
    figures.product_line_pairs = [
        (row_of[account_id], line)
        for account_id, line in pairs.iterator(chunk_size=20000)
        if account_id in row_of
    ]


# Days late per invoice that fell due in the period: settled on the last payment when paid
# in full, otherwise still open today; paying early counts as zero days late.
_LATENESS_SQL = {
    "postgresql": """
        WITH paid AS (
            SELECT invoice_id, SUM(amount) AS paid, MAX(paid_on) AS last_paid
            FROM ledger_payment WHERE invoice_id IS NOT NULL GROUP BY invoice_id
        ), late AS (
            SELECT i.account_id AS account_id, GREATEST(0,
                (CASE WHEN COALESCE(p.paid, 0) >= i.net_total - 0.005 THEN p.last_paid
                      ELSE %(today)s::date END) - i.due_on) AS days
            FROM ledger_invoice i LEFT JOIN paid p ON p.invoice_id = i.id
            WHERE i.due_on >= %(start)s AND i.due_on < %(end)s AND i.due_on <= %(today)s
              AND i.net_total > 0
        )
        SELECT account_id, SUM(days), COUNT(*), MAX(days) FROM late GROUP BY account_id
    """,
    "sqlite": """
        WITH paid AS (
            SELECT invoice_id, SUM(amount) AS paid, MAX(paid_on) AS last_paid
            FROM ledger_payment WHERE invoice_id IS NOT NULL GROUP BY invoice_id
        ), late AS (
            SELECT i.account_id AS account_id, MAX(0, CAST(
                julianday(CASE WHEN COALESCE(p.paid, 0) >= CAST(i.net_total AS REAL) - 0.005
                               THEN p.last_paid ELSE %(today)s END)
                - julianday(i.due_on) AS INTEGER)) AS days
            FROM ledger_invoice i LEFT JOIN paid p ON p.invoice_id = i.id
            WHERE i.due_on >= %(start)s AND i.due_on < %(end)s AND i.due_on <= %(today)s
              AND CAST(i.net_total AS REAL) > 0
        )
        SELECT account_id, SUM(days), COUNT(*), MAX(days) FROM late GROUP BY account_id
    """,
}


def _load_lateness(
    figures: LedgerFigures, row_of: dict[int, int], period: Period, today: date
) -> None:
    sql = _LATENESS_SQL[connection.vendor]
    params = {"start": period.start, "end": period.end, "today": today}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for account_id, days_sum, count, worst in cursor.fetchall():
            row = row_of.get(account_id)
            if row is None:
                continue
            figures.late_days_sum[row] = float(days_sum or 0)
            figures.late_invoices[row] = count
            figures.worst_late[row] = float(worst or 0)
