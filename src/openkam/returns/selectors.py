"""Returns as the reader may see them: value, count and rate by reason, product line,
account (or group) and month, always per currency.

A return is an invoice line with a negative net amount (a credit note's line, see
docs/import.md); its value is that amount made positive, its reason the line's
`return_reason` as the ERP gave it. Gross sales are the positive lines of the same
period, filters and currency; the return rate is returned value / gross sales. Lines
count in the month they were issued. Every figure starts from
`InvoiceLine.objects.visible_to(user)`, the comparison too: "company" for a reader who
sees every account, "your accounts" for anyone else.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from openkam.accounts.models import Account
from openkam.ledger.models import InvoiceLine
from openkam.returns.filters import ReturnsFilter, Span
from openkam.users import permissions
from openkam.users.permissions import AnyUser

CENT = Decimal("0.01")
RETURN = Q(net_amount__lt=0)
SALE = Q(net_amount__gt=0)
FIGURES: dict[str, Any] = {
    "sold": Sum("net_amount", filter=SALE),
    "returned_sum": Sum("net_amount", filter=RETURN),
    "count": Count("pk", filter=RETURN),
}


def rate_of(returned: Decimal, sales: Decimal) -> Decimal | None:
    """Returned value as a percentage of gross sales, to two places; None without sales."""
    if sales <= 0:
        return None
    return (returned * 100 / sales).quantize(CENT)


@dataclass(frozen=True)
class Figures:
    """Gross sales, returned value and the count of return lines in one currency."""

    currency: str
    sales: Decimal
    returned: Decimal
    count: int

    @property
    def rate(self) -> Decimal | None:
        return rate_of(self.returned, self.sales)

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            self.currency, self.sales + other.sales, self.returned + other.returned,
            self.count + other.count,
        )  # fmt: skip


@dataclass(frozen=True)
class ReasonRow:
    reason: str  # as the ERP wrote it ("" when it gave none)
    label: str
    currency: str
    returned: Decimal
    count: int
    share: Decimal | None  # percent of the currency's returned value


@dataclass(frozen=True)
class LineRow:
    product_line: str
    label: str
    figures: Figures


@dataclass(frozen=True)
class AccountRow:
    account_id: int  # the account, or the group's head account for a group
    name: str
    is_group: bool
    figures: Figures
    comparison_rate: Decimal | None

    @property
    def excess(self) -> Decimal:
        """Returned value above what the comparison's rate would have returned."""
        if self.comparison_rate is None:
            return Decimal(0)
        expected = self.figures.sales * self.comparison_rate / 100
        return (self.figures.returned - expected).quantize(CENT)


@dataclass(frozen=True)
class MonthRow:
    month: date
    figures: Figures


def lines(user: AnyUser, flt: ReturnsFilter) -> QuerySet[InvoiceLine]:
    """The invoice lines the figures read: visible, in the span, narrowed by the filter."""
    rows = InvoiceLine.objects.visible_to(user).filter(
        issued_on__gte=flt.span.start, issued_on__lt=flt.span.end
    )
    if flt.product_line:
        rows = rows.filter(product__product_line=flt.product_line)
    if flt.account_id is not None:
        rows = rows.filter(account_id=flt.account_id)
    if flt.account_ids is not None:
        rows = rows.filter(account_id__in=flt.account_ids)
    if flt.currency:
        rows = rows.filter(currency=flt.currency)
    return rows.order_by()


def _money(value: object) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT)


def _figures(row: dict) -> Figures:
    return Figures(row["currency"], _money(row["sold"]), -_money(row["returned_sum"]),
                   row["count"])  # fmt: skip


def _grouped(rows: QuerySet[InvoiceLine], *keys: str) -> list[dict]:
    return list(rows.values(*keys, "currency").annotate(**FIGURES))


def comparison_label(user: AnyUser) -> str:
    """What the comparison covers: the company for whoever sees every account."""
    return _("company") if permissions.sees_all_accounts(user) else _("your accounts")


def summary(user: AnyUser, flt: ReturnsFilter) -> list[Figures]:
    """The filter's figures per currency."""
    found = [_figures(row) for row in _grouped(lines(user, flt))]
    return sorted(found, key=lambda figures: figures.currency)


def comparison(user: AnyUser, flt: ReturnsFilter) -> dict[str, Figures]:
    """The same filter over every account the reader sees, per currency."""
    return {figures.currency: figures for figures in summary(user, flt.without_account())}


def no_reason() -> str:
    return _("no reason given")


def by_reason(user: AnyUser, flt: ReturnsFilter) -> list[ReasonRow]:
    """Returned value and count per reason and currency, the largest first. Reasons that
    differ only in surrounding spaces are one."""
    merged: dict[tuple[str, str], list] = defaultdict(lambda: [Decimal(0), 0])
    rows = lines(user, flt).filter(RETURN).values("return_reason", "currency")
    for row in rows.annotate(total=Sum("net_amount"), count=Count("pk")):
        cell = merged[(row["return_reason"].strip(), row["currency"])]
        cell[0] -= _money(row["total"])
        cell[1] += row["count"]
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for (_reason, currency), (value, _count) in merged.items():
        totals[currency] += value
    found = [
        ReasonRow(
            reason,
            reason or no_reason(),
            currency,
            value,
            count,
            rate_of(value, totals[currency]),
        )  # fmt: skip
        for (reason, currency), (value, count) in merged.items()
    ]
    return sorted(found, key=lambda row: (row.currency, -row.returned, row.label))


def by_product_line(user: AnyUser, flt: ReturnsFilter) -> list[LineRow]:
    """Per product line and currency, the highest returned value first."""
    found = [
        LineRow(
            row["product__product_line"],
            row["product__product_line"] or _("no product line"),
            _figures(row),
        )  # fmt: skip
        for row in _grouped(lines(user, flt), "product__product_line")
    ]
    return sorted(found, key=lambda row: (row.figures.currency, -row.figures.returned, row.label))


def by_account(user: AnyUser, flt: ReturnsFilter, *, groups: bool = False) -> list[AccountRow]:
    """Per account (or group) and currency, with returns, the worst rate first.

    A group is its members the reader sees, named by its head account; a member whose
    head account is hidden from the reader stands on its own (the reader sees no group)."""
    per_account = _grouped(lines(user, flt).filter(RETURN | SALE), "account_id")
    seen = Account.objects.visible_to(user)
    found_ids = {row["account_id"] for row in per_account}
    names: dict[int, str] = {}
    keys: dict[int, int] = {}  # account -> the row it counts in
    heads: dict[int, int | None] = {}
    for pk, name, head in seen.filter(pk__in=found_ids).values_list("pk", "name", "group_root_id"):
        names[pk] = name
        keys[pk] = pk
        heads[pk] = head
    if groups:
        wanted = {head for head in heads.values() if head is not None}
        for pk, name in seen.filter(pk__in=wanted).values_list("pk", "name"):
            names[pk] = name
        for member, its_head in heads.items():
            if its_head is not None and its_head in names:
                keys[member] = its_head
    rolled: dict[tuple[int, str], Figures] = {}
    members: dict[int, set[int]] = defaultdict(set)
    for row in per_account:
        pk = row["account_id"]
        if pk not in keys:
            continue
        figures = _figures(row)
        key = (keys[pk], figures.currency)
        rolled[key] = rolled[key] + figures if key in rolled else figures
        members[keys[pk]].add(pk)
    compared = comparison(user, flt)
    found = [
        AccountRow(
            key,
            names[key],
            groups and (len(members[key]) > 1 or key not in members[key]),
            figures,
            compared[currency].rate if currency in compared else None,
        )
        for (key, currency), figures in rolled.items()
        if figures.returned > 0
    ]
    return sorted(
        found,
        key=lambda row: (-(row.figures.rate or Decimal(0)), -row.figures.returned, row.name),
    )


def monthly(user: AnyUser, flt: ReturnsFilter) -> list[MonthRow]:
    """Every month of the span for each currency with lines, zeros included."""
    rows = _grouped(lines(user, flt).annotate(month=TruncMonth("issued_on")), "month")
    found: dict[tuple[date, str], Figures] = {}
    for row in rows:
        month = row["month"]
        month = month.date() if hasattr(month, "date") else month
        found[(month, row["currency"])] = _figures(row)
    currencies = sorted({currency for _month, currency in found})
    return [
        MonthRow(month, found.get((month, currency), Figures(currency, Decimal(0), Decimal(0), 0)))
        for currency in currencies
        for month in flt.span.months
    ]


@dataclass(frozen=True)
class AccountView:
    """One account's returns, its group's (when the reader sees more than one member),
    the comparison, and its top reasons: the account panel and its API route."""

    span: Span
    account: list[Figures]
    group: list[Figures]
    comparison: dict[str, Figures]
    comparison_label: str
    reasons: list[ReasonRow]


def account_view(user: AnyUser, account: Account, span: Span, top: int = 3) -> AccountView:
    """`account` is one the reader sees (the caller checked)."""
    flt = ReturnsFilter(span, account_id=account.pk)
    root_id = account.group_root_id or account.pk
    members = tuple(
        Account.objects.visible_to(user)
        .filter(Q(pk=root_id) | Q(group_root_id=root_id))
        .values_list("pk", flat=True)
    )
    group = summary(user, ReturnsFilter(span, account_ids=members)) if len(members) > 1 else []
    reasons: list[ReasonRow] = []
    per_currency: dict[str, int] = defaultdict(int)
    for row in by_reason(user, flt):
        per_currency[row.currency] += 1
        if per_currency[row.currency] <= top:
            reasons.append(row)
    return AccountView(
        span, summary(user, flt), group, comparison(user, flt), comparison_label(user), reasons
    )
