"""The finance view: the stored aging of every visible account (or group), filtered and
sorted in the database so a page of 50,000 accounts reads only its 50 rows.

The reader's accounts are worked out once per request (`Seen.of`, through
`Account.objects.visible_to`, the one gate) and every query of the page is narrowed by
them: a KAM's page no longer evaluates the visibility predicate in each of its queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django.core.paginator import Paginator
from django.db import NotSupportedError, connection, models
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Expression,
    F,
    Max,
    OrderBy,
    Q,
    QuerySet,
    Sum,
    When,
)
from django.http import QueryDict
from django.utils.functional import cached_property

from openkam.accounts.models import Account, Assignment, AssignmentRole
from openkam.receivables.engine import AGING_FIELDS
from openkam.receivables.models import CollectionPolicy, ReceivablesSummary
from openkam.users import permissions
from openkam.users.models import User
from openkam.users.permissions import AnyUser, today

M = TypeVar("M", bound=models.Model)

SORTS: dict[str, tuple[str | OrderBy, ...]] = {
    "overdue": ("-overdue", "account__name"),
    "balance": ("-balance", "account__name"),
    "over_90": ("-days_over_90", "account__name"),
    "dso": (F("dso_days").desc(nulls_last=True), "account__name"),
    "name": ("account__name", "currency"),
}
GROUP_SORTS: dict[str, tuple[str, ...]] = {
    "overdue": ("-overdue", "name"),
    "balance": ("-balance", "name"),
    "over_90": ("-days_over_90", "name"),
    "dso": ("-overdue", "name"),
    "name": ("name", "currency"),
}
MONEY_FIELDS = (*AGING_FIELDS, "overdue")


@dataclass(frozen=True)
class FinanceQuery:
    currency: str = ""
    kam: int | None = None
    owing: bool = True  # only accounts with a balance (not settled ones)
    above_norm: bool = False
    by_group: bool = False
    sort: str = "overdue"

    @classmethod
    def from_params(cls, params: QueryDict) -> FinanceQuery:
        kam = params.get("kam", "")
        sort = params.get("sort", "overdue")
        return cls(
            currency=params.get("currency", "")[:3].upper(),
            kam=int(kam) if kam.isascii() and kam.isdigit() and len(kam) < 10 else None,
            owing=params.get("all") != "1",
            above_norm=params.get("above_norm") == "1",
            by_group=params.get("by") == "group",
            sort=sort if sort in SORTS else "overdue",
        )


def above_norm_q(policy: CollectionPolicy) -> Q:
    """DSO above the norm, or a larger share of the balance overdue than the norm allows."""
    share = Q(balance__gt=0, overdue__gt=F("balance") * policy.overdue_share_norm / 100)
    return Q(dso_days__gt=policy.dso_norm_days) | share


class AmongIds(Expression):
    """`column` is one of `ids`, the ids passed as one parameter: an array on PostgreSQL
    (`= ANY(...)`, hashed), a JSON array on SQLite (`IN (SELECT value FROM json_each(...))`).

    Not a parameter per id (`IN (%s, %s, ...)`): PostgreSQL spends ~20 ms parsing and
    planning a list of 10,000 constants (an array is one constant), and SQLite caps the
    parameters of a statement (999 in Django).
    """

    output_field = BooleanField()

    def __init__(self, column: str, ids: Sequence[int]) -> None:
        super().__init__()
        self.column: Any = F(column)
        self.ids = tuple(int(pk) for pk in ids)

    def get_source_expressions(self) -> list[Any]:
        return [self.column]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.column,) = exprs

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        raise NotSupportedError(f"no array of ids on {connection.vendor}")

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.column)
        listed = ",".join(map(str, self.ids))
        return f"{sql} = ANY(%s::bigint[])", (*params, f"{{{listed}}}")

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.column)
        listed = ",".join(map(str, self.ids))
        return f"{sql} IN (SELECT value FROM json_each(%s))", (*params, f"[{listed}]")


def takes_ids_array() -> bool:
    """Can the database take a list of ids as one parameter (`AmongIds`)?"""
    if connection.vendor == "postgresql":
        return True
    return connection.vendor == "sqlite" and connection.features.supports_json_field


@dataclass(frozen=True)
class Seen:
    """The accounts a reader sees, worked out once for all the queries of a page.

    The visibility predicate (an account assigned to the reader, or one whose group root
    is: an OR of two subqueries over the assignments) makes the database read every
    account in each statement that names it: 40-60 ms a statement on PostgreSQL for a KAM
    who sees 10,784 of 50,000 accounts, and the page had five such statements. So the ids
    are read once, through `Account.objects.visible_to` (the one gate), and each statement
    takes them as one array (`AmongIds`): 4-13 ms a statement (bench/receivables.py,
    BENCHMARKS.md). `ids` None: the reader sees every account, no predicate at all. A
    database that takes no array gets the predicate as a subquery (`subquery`).
    """

    ids: tuple[int, ...] | None
    subquery: QuerySet[Account, Any] | None = None

    @classmethod
    def of(cls, user: AnyUser) -> Seen:
        if permissions.sees_all_accounts(user):
            return cls(None)
        visible = Account.objects.visible_to(user).order_by()
        if not takes_ids_array():
            return cls(None, subquery=visible.values("pk"))
        return cls(tuple(visible.values_list("pk", flat=True)))

    @property
    def everything(self) -> bool:
        return self.ids is None and self.subquery is None

    def q(self, path: str) -> Q:
        """Whether the account at `path` is seen (a null `path` is not)."""
        if self.subquery is not None:
            return Q(**{f"{path}__in": self.subquery})
        if self.ids is None:
            return Q(**{f"{path}__isnull": False})
        return Q(AmongIds(path, self.ids))

    def narrow(self, rows: QuerySet[M], path: str = "account_id") -> QuerySet[M]:
        """`rows` of the seen accounts only (`path`: the lookup to the account's id)."""
        return rows if self.everything else rows.filter(self.q(path))


def _picked(query: FinanceQuery, policy: CollectionPolicy) -> Q:
    """The rows the query's filters keep (of the reader's rows)."""
    picked = Q()
    if query.currency:
        picked &= Q(currency=query.currency)
    if query.owing:
        picked &= ~Q(balance=0)
    if query.kam is not None:
        owned = Assignment.objects.active(today()).filter(
            user_id=query.kam, role=AssignmentRole.OWNER
        )
        picked &= Q(account_id__in=owned.values("account_id"))
    if query.above_norm:
        picked &= above_norm_q(policy)
    return picked


def _filtered(
    seen: Seen, query: FinanceQuery, policy: CollectionPolicy
) -> QuerySet[ReceivablesSummary]:
    return seen.narrow(ReceivablesSummary.objects.all()).filter(_picked(query, policy))


def finance_rows(*, seen: Seen, query: FinanceQuery, policy: CollectionPolicy) -> QuerySet[Any]:
    """Per account and currency (or per group and currency), sorted; lazily paged."""
    rows = _filtered(seen, query, policy)
    if query.by_group:
        # A group whose head company the reader may not see is not named: each of its
        # visible members stands as a row of its own, under its own name.
        named = seen.q("account__group_root_id")
        return (
            rows.annotate(
                group_key=Case(
                    When(named, then=F("account__group_root_id")), default=F("account_id")
                ),
                group_name=Case(
                    When(named, then=F("account__group_root__name")), default=F("account__name")
                ),
            )
            .values("group_key", "currency")
            .annotate(name=Max("group_name"), **{name: Sum(name) for name in MONEY_FIELDS})
            .order_by(*GROUP_SORTS[query.sort])
        )
    return rows.select_related("account").order_by(*SORTS[query.sort])


@dataclass(frozen=True)
class Totals:
    """One pass over the reader's stored aging, per currency."""

    rows: list[dict]  # the filtered rows added up per currency, with their number (`count`)
    currencies: list[str]  # every currency of the reader's rows, for the filter
    as_of: date | None  # the latest day computed (None before a refresh, or nothing seen)

    @property
    def count(self) -> int:
        """The filtered rows (per account and currency)."""
        return sum(row["count"] for row in self.rows)


def totals(*, seen: Seen, query: FinanceQuery, policy: CollectionPolicy) -> Totals:
    """The filtered rows added up per currency (never across currencies), and, from the
    same statement, every currency and the latest as-of of all the reader's rows."""
    picked = _picked(query, policy)
    # Named apart from the fields: the filter reads the rows' own balance, not the sum's.
    sums = {f"sum_{name}": Sum(name, filter=picked) for name in MONEY_FIELDS}
    found: list[Any] = list(
        seen.narrow(ReceivablesSummary.objects.all())
        .order_by()
        .values("currency")
        .annotate(day=Max("as_of"), count=Count("pk", filter=picked), **sums)
        .order_by("currency")
    )
    rows = [
        {"currency": row["currency"], "count": row["count"]}
        | {name: row[f"sum_{name}"] for name in MONEY_FIELDS}
        for row in found
    ]
    return Totals(
        rows=[row for row in rows if row["count"]],
        currencies=[row["currency"] for row in found],
        as_of=max((row["day"] for row in found), default=None),
    )


class CountedPaginator(Paginator):
    """A paginator told its count (the totals have counted the rows already)."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


def kam_choices(seen: Seen) -> list[User]:
    """KAMs owning a visible account, for the filter."""
    owners = seen.narrow(Assignment.objects.active(today()).filter(role=AssignmentRole.OWNER))
    return list(User.objects.filter(pk__in=owners.values("user_id")).order_by("last_name"))
