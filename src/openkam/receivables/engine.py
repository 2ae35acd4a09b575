"""Open items from the ledger, as of any date, in one SQL statement per question.

The rules (docs/receivables.md says the same to users), per account and currency:

1. Documents dated after the as-of date do not exist yet: invoices issued and payments
   made up to that day count.
2. An invoice is owed its amount due (`Invoice.amount_due`: the gross total when the ERP
   gave it, else the net). A negative invoice is a credit note: it owes nothing and its
   amount is a credit, like a payment.
3. A payment settles the invoices a person split it across (`Allocation`); without a
   split, the invoice it names, when that invoice is the same account's, in the same
   currency and already issued. An invoice takes at most what it owes; the rest of the
   payment is a credit.
4. Every credit (payments naming nothing or an unknown invoice, what named payments
   leave over, credit notes) settles the invoices still open, the oldest due first
   (due date, then issue date, then id): first in, first out.
5. A credit larger than everything open is left as unapplied credit (an open item of
   its own, negative). A debit no invoice explains (a refund paid out beyond the
   credits) is an open item of its own too, positive.

Whatever the order, the open items of an account and currency add up to its ledger
balance: the invoices' amounts due less the payments. Amounts of two currencies are
never added up.

6. Where the ERP keeps the ledger, its snapshot gives the open items instead
   (`snapshots.py`): for the customers of a source with a snapshot on or before the day,
   the latest one's items are taken as they are.

The statements run on SQLite and PostgreSQL alike: window functions, CASE for the
smaller and larger of two amounts, dates compared as parameters. Every amount is
rounded to the cent where it is formed, because SQLite adds decimals as floats.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import QuerySet

from openkam.accounts.models import Account
from openkam.ledger.models import Invoice, Payment
from openkam.receivables import snapshots
from openkam.receivables.models import Allocation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# The aging buckets: (name, first day overdue, last day overdue); None is open-ended.
BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("days_1_30", 1, 30),
    ("days_31_60", 31, 60),
    ("days_61_90", 61, 90),
    ("days_over_90", 91, None),
)
AGING_FIELDS = ("balance", "not_due", *(name for name, _a, _b in BUCKETS), "unapplied")


@dataclass(frozen=True)
class AccountScope:
    """Which accounts a statement covers: all, a list, or a queryset's (a visibility
    predicate compiled into the statement), less those `without` leaves out."""

    sql: str = ""
    params: tuple = ()
    excluded_sql: str = ""
    excluded_params: tuple = ()

    @classmethod
    def everyone(cls) -> AccountScope:
        return cls()

    @classmethod
    def of_ids(cls, ids: Sequence[int]) -> AccountScope:
        if not ids:
            return cls("IN (NULL)")
        placeholders = ", ".join(["%s"] * len(ids))
        return cls(f"IN ({placeholders})", tuple(ids))

    @classmethod
    def of_queryset(cls, accounts: QuerySet[Account]) -> AccountScope:
        sql, params = accounts.values("pk").query.sql_with_params()
        return cls(f"IN ({sql})", tuple(params))

    def without(self, sql: str, params: tuple) -> AccountScope:
        """The same scope less the accounts of an `IN (...)` clause."""
        return replace(self, excluded_sql=sql, excluded_params=params)

    def where(self, column: str) -> tuple[str, tuple]:
        clause, params = "", ()
        if self.sql:
            clause, params = f" AND {column} {self.sql}", self.params
        if self.excluded_sql:
            clause += f" AND {column} NOT {self.excluded_sql}"
            params += self.excluded_params
        return clause, params


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _least(a: str, b: str) -> str:
    return f"(CASE WHEN {a} < {b} THEN {a} ELSE {b} END)"


def _greatest(a: str, b: str) -> str:
    return f"(CASE WHEN {a} > {b} THEN {a} ELSE {b} END)"


def _round(expression: str) -> str:
    return f"ROUND({expression}, 2)"


def open_items_sql(
    scope: AccountScope, as_of: date, kept: snapshots.KeptLedgers | None = None
) -> tuple[str, tuple]:
    """SELECT account_id, currency, invoice_id, due_on, amount, document: every open item
    as of the date (the due date is NULL for unapplied credit and unexplained debit; the
    document is an ERP snapshot's own number, NULL for the ledger's items)."""
    kept = snapshots.kept_as_of(as_of) if kept is None else kept
    if not kept:
        return _ledger_items_sql(scope, as_of)
    covered = kept.covered_sql()
    sql, params = _ledger_items_sql(scope.without(*covered), as_of)
    kept_sql, kept_params = kept.items_sql(scope.where("s.account_id"))
    return f"{sql} UNION ALL {kept_sql}", (*params, *kept_params)


def _ledger_items_sql(scope: AccountScope, as_of: date) -> tuple[str, tuple]:
    """The open items computed from the invoices and payments (rules 1-5)."""
    inv_scope, inv_params = scope.where("i.account_id")
    pay_scope, pay_params = scope.where("p.account_id")
    invoice, payment, allocation = _table(Invoice), _table(Payment), _table(Allocation)
    due = "COALESCE(i.gross_total, i.net_total)"
    # What a credit pool settles of an invoice: the pool up to this invoice, less the pool
    # up to the one before (`upto` runs over the invoices, oldest due first).
    pool = _greatest("c.pool", "0")
    settled = f"{_least(pool, 'c.upto')} - {_least(pool, _greatest('c.upto - c.remaining', '0'))}"
    owed = _round(_greatest(due, "0"))
    named = "COALESCE(SUM(p.amount), 0) + COALESCE(MAX(s.paid), 0)"
    # Per invoice what it still owes after the payments naming it (rule 3), in one pass:
    # the invoices in id order joined with the payments by their invoice index and
    # grouped by invoice id (PostgreSQL takes the invoice's other columns as depending
    # on its primary key, SQLite from the group's row), the few split payments summed
    # apart. `p.account_id + 0` keeps SQLite, which has no statistics, from preferring
    # the payments' (account, date) index to the invoice one. Only invoices still owing
    # go on: the HAVING is the cheap part of `remaining > 0`.
    sql = f"""
WITH remaining AS (
    SELECT * FROM (
        SELECT i.id, i.account_id, i.currency, COALESCE(i.due_on, i.issued_on) AS due_on,
               i.issued_on, {_round(owed + " - " + _least(_greatest(named, "0"), owed))}
               AS remaining
        FROM {invoice} i
        LEFT JOIN {payment} p ON p.invoice_id = i.id AND p.account_id + 0 = i.account_id
            AND p.currency = i.currency AND p.paid_on <= %s
            AND p.id NOT IN (SELECT a.payment_id FROM {allocation} a)
        LEFT JOIN (
            SELECT a.invoice_id, q.account_id, q.currency, SUM(a.amount) AS paid
            FROM {allocation} a JOIN {payment} q ON q.id = a.payment_id
            WHERE q.paid_on <= %s
            GROUP BY a.invoice_id, q.account_id, q.currency
        ) s ON s.invoice_id = i.id AND s.account_id = i.account_id AND s.currency = i.currency
        WHERE i.issued_on <= %s{inv_scope}
        GROUP BY i.id
        HAVING {named} < {owed}
    ) r
    WHERE r.remaining > 0
),
balances AS (
    SELECT d.account_id, d.currency, {_round("SUM(d.amount)")} AS balance FROM (
        SELECT i.account_id, i.currency, {_round(due)} AS amount
        FROM {invoice} i WHERE i.issued_on <= %s{inv_scope}
        UNION ALL
        SELECT p.account_id, p.currency, -p.amount
        FROM {payment} p WHERE p.paid_on <= %s{pay_scope}
    ) d
    GROUP BY d.account_id, d.currency
),
totals AS (
    SELECT b.account_id, b.currency, b.balance, COALESCE(r.total, 0) AS total,
           {_round("COALESCE(r.total, 0) - b.balance")} AS pool
    FROM balances b LEFT JOIN (
        SELECT account_id, currency, {_round("SUM(remaining)")} AS total
        FROM remaining WHERE remaining > 0 GROUP BY account_id, currency
    ) r ON r.account_id = b.account_id AND r.currency = b.currency
),
cumulative AS (
    SELECT r.id, r.account_id, r.currency, r.due_on, r.remaining, t.pool,
           {
        _round(
            "SUM(r.remaining) OVER (PARTITION BY r.account_id, r.currency "
            "ORDER BY r.due_on, r.issued_on, r.id ROWS UNBOUNDED PRECEDING)"
        )
    } AS upto
    FROM remaining r
    JOIN totals t ON t.account_id = r.account_id AND t.currency = r.currency
    WHERE r.remaining > 0 AND t.pool > 0
)
SELECT items.*, CAST(NULL AS VARCHAR(64)) AS document FROM (
    SELECT c.account_id, c.currency, c.id AS invoice_id, c.due_on,
           {_round(f"c.remaining - ({settled})")} AS amount
    FROM cumulative c
    UNION ALL
    SELECT r.account_id, r.currency, r.id, r.due_on, r.remaining
    FROM remaining r
    JOIN totals t ON t.account_id = r.account_id AND t.currency = r.currency
    WHERE r.remaining > 0 AND t.pool <= 0
    UNION ALL
    SELECT t.account_id, t.currency, NULL, NULL,
           {_round(_least(_greatest("t.pool", "0"), "t.total") + " - t.pool")}
    FROM totals t
) items
WHERE items.amount <> 0
"""
    return sql, (as_of, as_of, as_of, *inv_params, as_of, *inv_params, as_of, *pay_params)


@dataclass(frozen=True)
class OpenRow:
    account_id: int
    currency: str
    invoice_id: int | None
    due_on: date | None
    amount: Decimal
    document: str = ""


@dataclass(frozen=True)
class AgingRow:
    """An account's receivables in one currency: the buckets, not due, and unapplied
    credit (negative) or an unexplained debit (positive) add up to the balance."""

    account_id: int
    currency: str
    balance: Decimal
    not_due: Decimal
    days_1_30: Decimal
    days_31_60: Decimal
    days_61_90: Decimal
    days_over_90: Decimal
    unapplied: Decimal
    oldest_due_on: date | None

    @property
    def overdue(self) -> Decimal:
        return self.days_1_30 + self.days_31_60 + self.days_61_90 + self.days_over_90


def _money(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT)


def _date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def open_items(
    scope: AccountScope, as_of: date, kept: snapshots.KeptLedgers | None = None
) -> list[OpenRow]:
    sql, params = open_items_sql(scope, as_of, kept)
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} ORDER BY 1, 2, 4, 3", params)
        return [
            OpenRow(account, currency, invoice, _date(due_on), _money(amount), document or "")
            for account, currency, invoice, due_on, amount, document in cursor.fetchall()
        ]


def bucket_columns(source: str = "o") -> list[tuple[str, str]]:
    """(name, SUM(...)) of the aging over open item rows `source` (columns due_on and
    amount): balance, not due, the buckets, unapplied, the oldest due date, in the order
    of AGING_FIELDS. An item without a due date is unapplied credit (or a debit no
    invoice explains). Dates are bound as parameters (`bucket_params`), so both databases
    compare them the same way."""
    item = f"{source}.due_on IS NOT NULL"
    amount = f"{source}.amount"

    def when(condition: str) -> str:
        return _round(f"SUM(CASE WHEN {condition} THEN {amount} ELSE 0 END)")

    columns = [
        ("balance", _round(f"SUM({amount})")),
        ("not_due", when(f"{item} AND {source}.due_on >= %s")),
    ]
    for name, _first, last in BUCKETS:
        bounds = f"{source}.due_on < %s" + ("" if last is None else f" AND {source}.due_on >= %s")
        columns.append((name, when(f"{item} AND {bounds}")))
    columns.append(("unapplied", when(f"{source}.due_on IS NULL")))
    oldest = f"MIN(CASE WHEN {item} AND {source}.due_on < %s THEN {source}.due_on END)"
    columns.append(("oldest_due_on", oldest))
    return columns


def select_list(columns: list[tuple[str, str]]) -> str:
    return ", ".join(f"{expression} AS {name}" for name, expression in columns)


def bucket_params(as_of: date) -> tuple:
    """The dates `bucket_columns` compares due dates with, in its order. An invoice due on
    the as-of date is not overdue yet; due the day before, it is 1 day overdue."""
    params: list[date] = [as_of]
    for _name, first, last in BUCKETS:
        params.append(as_of - timedelta(days=first - 1))
        if last is not None:
            params.append(as_of - timedelta(days=last))
    params.append(as_of)
    return tuple(params)


def aging(
    scope: AccountScope, as_of: date, kept: snapshots.KeptLedgers | None = None
) -> list[AgingRow]:
    """The aging of every account in scope as of the date (`kept`: the ERP snapshots of
    the day, when the caller has read them already)."""
    sql, params = open_items_sql(scope, as_of, kept)
    statement = (
        f"SELECT o.account_id, o.currency, {select_list(bucket_columns())} "
        f"FROM ({sql}) o GROUP BY o.account_id, o.currency ORDER BY 1, 2"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, (*bucket_params(as_of), *params))
        return [_aging_row(row) for row in cursor.fetchall()]


def _aging_row(row: Sequence) -> AgingRow:
    account, currency, *amounts, oldest = row
    balance, not_due, days_1_30, days_31_60, days_61_90, days_over_90, unapplied = (
        _money(value) for value in amounts
    )
    return AgingRow(
        account, currency, balance, not_due, days_1_30, days_31_60, days_61_90,
        days_over_90, unapplied, _date(oldest),
    )  # fmt: skip
