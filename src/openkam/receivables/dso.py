"""Days sales outstanding by the countback method, and the collection effectiveness index.

Countback: take what the customer owes today and walk back month by month through what
was invoiced to them, this month's days so far first; every month whose sales the
balance covers counts its days in full, the month where it runs out counts the share
it covers. 10,000 owed with 8,000 invoiced in the 10 days of this month so far and
4,000 in the 30 days of last month gives 10 + 30 x 2,000 / 4,000 = 25 days. Unlike a
"balance / sales x 365" average it answers at once when a big month comes or goes.

Collection effectiveness over a period: (receivables at the start + invoiced - receivables
at the end) / (receivables at the start + invoiced - receivables not yet due at the end),
in percent; 100% means everything that fell due was collected.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, Sum
from django.db.models.functions import Coalesce, TruncMonth

from openkam.ledger.models import Invoice
from openkam.receivables.models import ReceivablesSummary

COUNTBACK_MONTHS = 24
DAYS = Decimal("0.1")


def countback(balance: Decimal, months: Iterable[tuple[int, Decimal]]) -> Decimal:
    """Days of sales the balance covers; `months` newest first as (days, sales).
    A balance older than every month given counts all their days."""
    left = balance
    days = Decimal(0)
    if left <= 0:
        return days.quantize(DAYS)
    for month_days, sales in months:
        if sales <= 0:
            days += month_days
            continue
        if left <= sales:
            return (days + month_days * left / sales).quantize(DAYS)
        left -= sales
        days += month_days
    return days.quantize(DAYS)


def month_steps(as_of: date, count: int = COUNTBACK_MONTHS) -> list[tuple[date, int]]:
    """(first day, days counted) of the as-of month (its days so far) and the months
    before it, newest first."""
    steps = [(as_of.replace(day=1), as_of.day)]
    year, month = as_of.year, as_of.month
    for _step in range(count - 1):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        steps.append((date(year, month, 1), calendar.monthrange(year, month)[1]))
    return steps


def collection_effectiveness(
    start_balance: Decimal, invoiced: Decimal, end_balance: Decimal, end_not_due: Decimal
) -> Decimal | None:
    """Percent; None when nothing fell due in the period (the index says nothing)."""
    collectable = start_balance + invoiced - end_not_due
    if collectable <= 0:
        return None
    return ((start_balance + invoiced - end_balance) * 100 / collectable).quantize(DAYS)


def store(as_of: date, account_ids: Sequence[int] | None) -> None:
    """Fill `dso_days` of the stored summaries (of these accounts) that have a balance."""
    owed = ReceivablesSummary.objects.filter(balance__gt=0)
    if account_ids is not None:
        owed = owed.filter(account_id__in=account_ids)
    steps = month_steps(as_of)
    sales = monthly_sales(owed.values("account_id"), steps[-1][0], as_of)
    changed = []
    for summary in owed.only("pk", "account_id", "currency", "balance"):
        by_month = sales.get((summary.account_id, summary.currency), {})
        months = [(days, by_month.get(first, Decimal(0))) for first, days in steps]
        summary.dso_days = countback(summary.balance, months)
        changed.append(summary)
    ReceivablesSummary.objects.bulk_update(changed, ["dso_days"], batch_size=1000)


def days_outstanding(account_id: int, balances: dict[str, Decimal], as_of: date):
    """{currency: DSO} of one account, live (for the account page and past dates)."""
    steps = month_steps(as_of)
    sales = monthly_sales([account_id], steps[-1][0], as_of)
    return {
        currency: countback(
            balance, [(days, sales[(account_id, currency)].get(first, Decimal(0)))
                      for first, days in steps]
        )
        for currency, balance in balances.items()
    }  # fmt: skip


def monthly_sales(account_ids, since: date, as_of: date) -> dict[tuple[int, str], dict]:
    """{(account, currency): {first day of month: invoiced}} from `since` to `as_of`."""
    amount = Coalesce("gross_total", "net_total", output_field=DecimalField())
    rows = (
        Invoice.objects.filter(
            account_id__in=account_ids, issued_on__gte=since, issued_on__lte=as_of
        )
        .annotate(month=TruncMonth("issued_on"))
        .order_by()
        .values("account_id", "currency", "month")
        .annotate(total=Sum(amount))
    )
    sales: dict[tuple[int, str], dict[date, Decimal]] = defaultdict(dict)
    for row in rows.iterator(chunk_size=10_000):
        month = row["month"]
        month = month.date() if hasattr(month, "date") else month
        sales[(row["account_id"], row["currency"])][month] = Decimal(str(row["total"] or 0))
    return sales
