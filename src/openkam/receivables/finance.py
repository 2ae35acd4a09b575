"""The finance view: the stored aging of every visible account (or group), filtered and
sorted in the database so a page of 50,000 accounts reads only its 50 rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, F, Max, OrderBy, Q, QuerySet, Sum, When
from django.http import QueryDict

from openkam.accounts.models import Account, Assignment, AssignmentRole
from openkam.receivables.engine import AGING_FIELDS
from openkam.receivables.models import CollectionPolicy, ReceivablesSummary
from openkam.users.models import User
from openkam.users.permissions import AnyUser, today

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


def _filtered(user: AnyUser, query: FinanceQuery) -> QuerySet[ReceivablesSummary]:
    rows = ReceivablesSummary.objects.visible_to(user)
    if query.currency:
        rows = rows.filter(currency=query.currency)
    if query.owing:
        rows = rows.exclude(balance=0)
    if query.kam is not None:
        owned = Assignment.objects.active(today()).filter(
            user_id=query.kam, role=AssignmentRole.OWNER
        )
        rows = rows.filter(account_id__in=owned.values("account_id"))
    if query.above_norm:
        rows = rows.filter(above_norm_q(CollectionPolicy.current()))
    return rows


def finance_rows(*, user: AnyUser, query: FinanceQuery):
    """Per account and currency (or per group and currency), sorted; lazily paged."""
    rows = _filtered(user, query)
    if query.by_group:
        # A group whose head company the reader may not see is not named: each of its
        # visible members stands as a row of its own, under its own name.
        seen = Q(account__group_root_id__in=Account.objects.visible_to(user).values("pk"))
        return (
            rows.annotate(
                group_key=Case(
                    When(seen, then=F("account__group_root_id")), default=F("account_id")
                ),
                group_name=Case(
                    When(seen, then=F("account__group_root__name")), default=F("account__name")
                ),
            )
            .values("group_key", "currency")
            .annotate(name=Max("group_name"), **{name: Sum(name) for name in MONEY_FIELDS})
            .order_by(*GROUP_SORTS[query.sort])
        )
    return rows.select_related("account").order_by(*SORTS[query.sort])


def totals(*, user: AnyUser, query: FinanceQuery) -> list[dict]:
    """The filtered rows added up per currency (never across currencies)."""
    return [
        dict(row)
        for row in _filtered(user, query)
        .order_by()
        .values("currency")
        .annotate(**{name: Sum(name) for name in MONEY_FIELDS})
        .order_by("currency")
    ]


def stored_as_of() -> date | None:
    """The day the stored aging was computed for (None before the first refresh)."""
    return ReceivablesSummary.objects.aggregate(day=Max("as_of"))["day"]


def kam_choices(user: AnyUser) -> list[User]:
    """KAMs owning a visible account, for the filter."""
    from openkam.accounts.models import Account

    visible = Account.objects.visible_to(user).values("pk")
    owners = Assignment.objects.active(today()).filter(
        account_id__in=visible, role=AssignmentRole.OWNER
    )
    return list(User.objects.filter(pk__in=owners.values("user_id")).order_by("last_name"))


def currency_choices(user: AnyUser) -> list[str]:
    return list(
        ReceivablesSummary.objects.visible_to(user)
        .order_by("currency")
        .values_list("currency", flat=True)
        .distinct()
    )
