"""Store the open items and the aging of every account (or some) as of a day.

Lists across many accounts (the finance view, the worklist, the home card) read the
stored result; the account page and any past date compute it live (`engine`). The
refresh runs after every import of invoices or payments, after a person changes an
allocation, and nightly (a new day moves invoices from bucket to bucket).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import connection, transaction

from openkam.receivables import dso
from openkam.receivables.engine import (
    AGING_FIELDS,
    AccountScope,
    _table,
    bucket_columns,
    bucket_params,
    open_items_sql,
    select_list,
)
from openkam.receivables.models import OpenItem, ReceivablesSummary

SUMMARY_COLUMNS = (*AGING_FIELDS, "oldest_due_on")


def refresh(as_of: date, account_ids: Sequence[int] | None = None) -> int:
    """Recompute and store; the number of account-currency summaries written."""
    scope = AccountScope.everyone() if account_ids is None else AccountScope.of_ids(account_ids)
    items, summaries = _table(OpenItem), _table(ReceivablesSummary)
    where, where_params = scope.where("account_id")
    sql, params = open_items_sql(scope, as_of)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {items} WHERE 1 = 1{where}", where_params)
        cursor.execute(f"DELETE FROM {summaries} WHERE 1 = 1{where}", where_params)
        cursor.execute(
            f"INSERT INTO {items} (account_id, currency, invoice_id, due_on, amount, as_of, "
            f"document) SELECT o.account_id, o.currency, o.invoice_id, o.due_on, o.amount, "
            f"%s, COALESCE(o.document, '') "
            f"FROM ({sql}) o",
            (as_of, *params),
        )
        overdue = " + ".join(f"s.{name}" for name in AGING_FIELDS[2:-1])
        cursor.execute(
            f"INSERT INTO {summaries} (account_id, currency, as_of, overdue, "
            f"{', '.join(SUMMARY_COLUMNS)}) "
            f"SELECT s.account_id, s.currency, %s, {overdue}, "
            f"{', '.join('s.' + name for name in SUMMARY_COLUMNS)} FROM ("
            f"SELECT o.account_id, o.currency, {select_list(bucket_columns())} "
            f"FROM {items} o WHERE 1 = 1{where.replace('account_id', 'o.account_id')} "
            f"GROUP BY o.account_id, o.currency) s",
            (as_of, *bucket_params(as_of), *where_params),
        )
        written = cursor.rowcount
        dso.store(as_of, account_ids)
    return written
