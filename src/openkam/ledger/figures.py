"""The ledger's trailing figures per account: revenue and margin of the last 12 whole
months (`ledger.periods`), monthly series, group totals. The account list, page and API show them through
`openkam.accounts.extensions` (registered in `LedgerConfig.ready`), so `accounts` never
imports the ledger."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from openkam.accounts.models import Account
from openkam.core.models import MONEY_DIGITS, MONEY_PLACES
from openkam.ledger.models import InvoiceLine
from openkam.ledger.periods import Period, first_of_month, month_index
from openkam.users.permissions import AnyUser

if TYPE_CHECKING:
    from openkam.accounts.extensions import AccountWithRevenue

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)


def trailing_period(today: date | None = None) -> Period:
    """The period of every "last 12 months" figure (see `ledger.periods`)."""
    return Period.trailing(today)


def _in_period(period: Period | None) -> Q:
    period = period or Period.trailing()
    return Q(issued_on__gte=period.start, issued_on__lt=period.end)


def _line_sum(expression: Combinable, period: Period | None) -> Coalesce:
    """One correlated aggregate over invoice lines per account row (no N+1, no join fan-out)."""
    lines = (
        InvoiceLine.objects.filter(_in_period(period), account_id=OuterRef("pk"))
        .order_by()
        .values("account_id")
        .annotate(total=Sum(expression, output_field=MONEY))
        .values("total")
    )
    return Coalesce(Subquery(lines, output_field=MONEY), Value(ZERO), output_field=MONEY)


def with_trailing_revenue(
    queryset: QuerySet[Account], period: Period | None = None
) -> QuerySet[AccountWithRevenue]:
    """`revenue_12m` and `margin_12m`: net revenue and margin of the trailing period."""
    return queryset.annotate(
        revenue_12m=_line_sum(F("net_amount"), period),
        margin_12m=_line_sum(F("net_amount") - F("cost_amount"), period),
    )


def revenue_by_account(
    account_ids: Collection[int], period: Period | None = None
) -> dict[int, Decimal]:
    if not account_ids:
        return {}
    rows = (
        InvoiceLine.objects.filter(_in_period(period), account_id__in=account_ids)
        .order_by()
        .values("account_id")
        .annotate(total=Sum("net_amount"))
    )
    return {row["account_id"]: _money(row["total"]) for row in rows}


def _money(value: Decimal | int | None) -> Decimal:
    """SQLite sums come back as Decimals of any exponent; show them with cents."""
    return Decimal(value or 0).quantize(ZERO)


@dataclass(frozen=True)
class MonthFigure:
    month: date
    revenue: Decimal
    margin: Decimal


def revenue_series(
    *,
    user: AnyUser,
    account: Account,
    months: int = 36,
    whole_group: bool | None = None,
    today: date | None = None,
    through_current_month: bool = True,
) -> list[MonthFigure]:
    """Monthly revenue and margin of an account (or of its visible group for a group root),
    oldest month first, with empty months as zeros. The last month is the one under way,
    or with `through_current_month=False` the last whole month (the trailing period's)."""
    end = month_index(today or timezone.localdate()) + (1 if through_current_month else 0)
    start, stop = first_of_month(end - months), first_of_month(end)
    if whole_group is None:
        whole_group = account.group_root_id in (None, account.pk) and account.children.exists()
    if whole_group:
        account_ids = (
            Account.objects.visible_to(user)
            .filter(Q(group_root_id=account.pk) | Q(pk=account.pk))
            .values("pk")
        )
    else:
        account_ids = Account.objects.visible_to(user).filter(pk=account.pk).values("pk")
    rows = (
        InvoiceLine.objects.filter(
            account_id__in=account_ids, issued_on__gte=start, issued_on__lt=stop
        )
        .annotate(month=TruncMonth("issued_on"))
        .order_by()
        .values("month")
        .annotate(revenue=Sum("net_amount"), cost=Sum("cost_amount"))
    )
    by_month = {_as_date(row["month"]): row for row in rows}
    series = []
    for offset in range(months):
        month = first_of_month(end - months + offset)
        row = by_month.get(month)
        revenue = _money(row["revenue"]) if row else ZERO
        cost = _money(row["cost"]) if row else ZERO
        series.append(MonthFigure(month=month, revenue=revenue, margin=revenue - cost))
    return series


def _as_date(value: date) -> date:
    # TruncMonth gives a date on PostgreSQL and SQLite for DateFields, a datetime if
    # the backend casts; compare on the date either way.
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def attach_group_revenue(
    accounts: Iterable[AccountWithRevenue], *, user: AnyUser, period: Period | None = None
) -> list[AccountWithRevenue]:
    """Give each listed group parent `group_revenue_12m`: its own and its subsidiaries'
    12-month revenue in its currency over the accounts the user may see, and
    `group_other_currencies` if subsidiaries also sold in others (one query for the
    page). A parent that sells nothing itself would otherwise read 0 in the list."""
    accounts = list(accounts)
    parents = {a.pk for a in accounts if a.group_root_id in (None, a.pk)}
    sums: dict[int | None, dict[str, Decimal]] = {}
    if parents:
        rows = (
            InvoiceLine.objects.filter(
                _in_period(period),
                account__group_root_id__in=parents,
                account__in=Account.objects.visible_to(user),
            )
            .exclude(account__group_root_id=F("account_id"))  # subsidiaries only
            .order_by()
            .values("account__group_root_id", "currency")
            .annotate(total=Sum("net_amount"))
            .values_list("account__group_root_id", "currency", "total")
        )
        for root, currency, total in rows:
            sums.setdefault(root, {})[currency] = total
    for account in accounts:
        by_currency = sums.get(account.pk)
        account.group_revenue_12m = account.group_other_currencies = None
        if by_currency is not None:
            own = by_currency.pop(account.currency, Decimal("0.00"))
            account.group_revenue_12m = account.revenue_12m + own
            account.group_other_currencies = sorted(by_currency) or None
    return accounts
