"""Reads about accounts. Every function takes the user and starts from `visible_to(user)`."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.core.exceptions import ValidationError
from django.db.models import (
    DecimalField,
    F,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from openkam.accounts.models import Account, Assignment, AssignmentRole
from openkam.core import audit
from openkam.core.collation import sort_key
from openkam.core.models import MONEY_DIGITS, MONEY_PLACES, AuditEntry
from openkam.ledger.models import InvoiceLine
from openkam.users.permissions import AnyUser

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from openkam.users.models import User

    class TrailingRevenue(TypedDict):
        revenue_12m: Decimal
        margin_12m: Decimal

    class ListedAccount(TrailingRevenue):
        owner_user_id: int | None

    # An account with the annotations of `with_trailing_revenue`, and of `account_list`.
    AccountWithRevenue = WithAnnotations[Account, TrailingRevenue]
    AccountRow = WithAnnotations[Account, ListedAccount]

# (model, primary key) -> the related record's name, for the audit history.
RelatedNames = dict[tuple[type[Model], object], str]

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
TRAILING_MONTHS = 12

# Sort keys offered to the user -> ORDER BY; anything else falls back to the name.
SORTS = {
    "name": ("name", "pk"),
    "-name": ("-name", "-pk"),
    "revenue": ("revenue_12m", "name", "pk"),
    "-revenue": ("-revenue_12m", "name", "pk"),
    "city": ("city", "name", "pk"),
    "-city": ("-city", "name", "pk"),
    "tier": ("tier", "name", "pk"),
    "-tier": ("-tier", "name", "pk"),
}


@dataclass(frozen=True)
class AccountFilters:
    q: str = ""
    tier: str = ""
    segment: str = ""
    country: str = ""
    region: str = ""
    owner: int | None = None
    archived: str = "active"  # "active", "archived" or "all"
    sort: str = "name"


def trailing_start(today: date | None = None, months: int = TRAILING_MONTHS) -> date:
    """First day of the month `months - 1` months before this one: a window of whole months."""
    today = today or timezone.localdate()
    return add_months(today.replace(day=1), -(months - 1))


def add_months(first_of_month: date, months: int) -> date:
    index = first_of_month.year * 12 + first_of_month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _line_sum(expression: Combinable, since: date) -> Coalesce:
    """One correlated aggregate over invoice lines per account row (no N+1, no join fan-out)."""
    lines = (
        InvoiceLine.objects.filter(account_id=OuterRef("pk"), issued_on__gte=since)
        .order_by()
        .values("account_id")
        .annotate(total=Sum(expression, output_field=MONEY))
        .values("total")
    )
    return Coalesce(Subquery(lines, output_field=MONEY), Value(ZERO), output_field=MONEY)


def with_trailing_revenue(
    queryset: QuerySet[Account], since: date | None = None
) -> QuerySet[AccountWithRevenue]:
    since = since or trailing_start()
    return queryset.annotate(
        revenue_12m=_line_sum(F("net_amount"), since),
        margin_12m=_line_sum(F("net_amount") - F("cost_amount"), since),
    )


def _owner_id_subquery() -> Subquery:
    owners = Assignment.objects.active(timezone.localdate()).filter(
        account_id=OuterRef("pk"), role=AssignmentRole.OWNER
    )
    return Subquery(owners.order_by("-starts_on").values("user_id")[:1])


def account_list(*, user: AnyUser, filters: AccountFilters | None = None) -> QuerySet[AccountRow]:
    """Visible accounts with 12-month revenue and margin, filtered and sorted."""
    filters = filters or AccountFilters()
    accounts: QuerySet[Account] = Account.objects.visible_to(user)
    accounts = _apply_filters(accounts, filters)
    accounts = with_trailing_revenue(accounts).annotate(owner_user_id=_owner_id_subquery())
    return accounts.order_by(*SORTS.get(filters.sort, SORTS["name"]))


def _apply_filters(accounts: QuerySet[Account], filters: AccountFilters) -> QuerySet[Account]:
    if filters.q:
        term = filters.q.strip()
        accounts = accounts.filter(
            Q(name__icontains=term)
            | Q(tax_id__icontains=term.replace("-", "").replace(" ", ""))
            | Q(city__icontains=term)
            | Q(external_id__iexact=term)
        )
    if filters.tier:
        accounts = accounts.filter(tier=filters.tier)
    if filters.segment:
        accounts = accounts.filter(segment=filters.segment)
    if filters.country:
        accounts = accounts.filter(country=filters.country.upper())
    if filters.region:
        accounts = accounts.filter(region=filters.region)
    if filters.owner:
        owned = Assignment.objects.active(timezone.localdate()).filter(
            user_id=filters.owner, role=AssignmentRole.OWNER
        )
        accounts = accounts.filter(pk__in=owned.values("account_id"))
    if filters.archived == "active":
        accounts = accounts.filter(is_archived=False)
    elif filters.archived == "archived":
        accounts = accounts.filter(is_archived=True)
    return accounts


def filter_choices(*, user: AnyUser) -> dict[str, list[str]]:
    """Distinct segments, countries and regions among the accounts the user sees."""
    visible = Account.objects.visible_to(user).order_by()

    def distinct(name: str) -> list[str]:
        values = visible.exclude(**{name: ""}).values_list(name, flat=True).distinct()
        return sorted(values, key=sort_key)

    return {
        "segments": distinct("segment"),
        "countries": distinct("country"),
        "regions": distinct("region"),
    }


def owners_for_filter(*, user: AnyUser) -> QuerySet[User]:
    """The users owning at least one visible account (for the owner filter)."""
    from openkam.users.models import User

    owned = Assignment.objects.active(timezone.localdate()).filter(
        role=AssignmentRole.OWNER, account__in=Account.objects.visible_to(user)
    )
    return User.objects.filter(pk__in=owned.values("user_id")).order_by(
        "last_name", "first_name", "username"
    )


def account_get(*, user: AnyUser, pk: int) -> AccountWithRevenue:
    """A visible account with its 12-month figures; raises Account.DoesNotExist otherwise."""
    return with_trailing_revenue(Account.objects.visible_to(user)).get(pk=pk)


def visible_accounts(*, user: AnyUser) -> QuerySet[Account]:
    return Account.objects.visible_to(user)


def assignments_of(*, user: AnyUser, account: Account) -> list[Assignment]:
    """Every assignment of a visible account, newest first, each marked active or not."""
    today = timezone.localdate()
    rows = list(
        Assignment.objects.visible_to(user)
        .filter(account=account)
        .select_related("user")
        .order_by("-starts_on", "-id")
    )
    for row in rows:
        row.is_active = row.starts_on <= today and (row.ends_on is None or row.ends_on >= today)
    return rows


# --- group hierarchy -------------------------------------------------------------------


@dataclass
class GroupNode:
    pk: int
    parent_id: int | None
    name: str
    tier: str
    visible: bool
    revenue_12m: Decimal = ZERO
    children: list[GroupNode] = field(default_factory=list)


@dataclass
class GroupHierarchy:
    ancestors: list[GroupNode]  # from the group root down to the direct parent
    subtree: GroupNode  # the account itself with its descendants
    hidden_count: int  # members of the subtree the user may not see

    @property
    def has_relatives(self) -> bool:
        return bool(self.ancestors or self.subtree.children)


def group_hierarchy(*, user: AnyUser, account: Account) -> GroupHierarchy:
    """The parent chain and the subsidiaries tree; hidden members carry no name or figures."""
    root_id = account.group_root_id or account.pk
    members = list(
        Account.objects.filter(Q(group_root_id=root_id) | Q(pk=root_id))
        .order_by("name", "pk")
        .values("pk", "parent_id", "name", "tier")
    )
    visible_ids = set(
        Account.objects.visible_to(user)
        .filter(pk__in=[m["pk"] for m in members])
        .values_list("pk", flat=True)
    )
    revenue = _revenue_by_account(visible_ids)
    nodes = {
        m["pk"]: GroupNode(
            pk=m["pk"],
            parent_id=m["parent_id"],
            name=m["name"] if m["pk"] in visible_ids else "",
            tier=m["tier"] if m["pk"] in visible_ids else "",
            visible=m["pk"] in visible_ids,
            revenue_12m=revenue.get(m["pk"], ZERO),
        )
        for m in members
    }
    for node in nodes.values():
        if node.parent_id in nodes:
            nodes[node.parent_id].children.append(node)
    subtree = nodes[account.pk]
    hidden = _count_hidden(subtree)
    _splice_hidden(subtree)
    return GroupHierarchy(
        ancestors=_ancestors(nodes, account.pk), subtree=subtree, hidden_count=hidden
    )


def _ancestors(nodes: dict[int, GroupNode], pk: int) -> list[GroupNode]:
    chain: list[GroupNode] = []
    seen = {pk}
    parent_id = nodes[pk].parent_id
    while parent_id in nodes and parent_id not in seen:
        seen.add(parent_id)
        chain.append(nodes[parent_id])
        parent_id = nodes[parent_id].parent_id
    return list(reversed(chain))


def _count_hidden(node: GroupNode) -> int:
    return sum((0 if child.visible else 1) + _count_hidden(child) for child in node.children)


def _splice_hidden(node: GroupNode) -> None:
    """Replace hidden children by their own (visible) descendants, so no hidden node shows."""
    kept: list[GroupNode] = []
    pending = list(node.children)
    while pending:
        child = pending.pop(0)
        if child.visible:
            kept.append(child)
            _splice_hidden(child)
        else:
            pending.extend(child.children)
    node.children = kept


def _revenue_by_account(
    account_ids: Collection[int], since: date | None = None
) -> dict[int, Decimal]:
    if not account_ids:
        return {}
    rows = (
        InvoiceLine.objects.filter(
            account_id__in=account_ids, issued_on__gte=since or trailing_start()
        )
        .order_by()
        .values("account_id")
        .annotate(total=Sum("net_amount"))
    )
    return {row["account_id"]: _money(row["total"]) for row in rows}


def _money(value: Decimal | int | None) -> Decimal:
    """SQLite sums come back as Decimals of any exponent; show them with cents."""
    return Decimal(value or 0).quantize(ZERO)


# --- monthly series --------------------------------------------------------------------


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
) -> list[MonthFigure]:
    """Monthly revenue and margin of an account (or of its visible group for a group root),
    oldest month first, with empty months as zeros."""
    start = trailing_start(today, months)
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
        InvoiceLine.objects.filter(account_id__in=account_ids, issued_on__gte=start)
        .annotate(month=TruncMonth("issued_on"))
        .order_by()
        .values("month")
        .annotate(revenue=Sum("net_amount"), cost=Sum("cost_amount"))
    )
    by_month = {_as_date(row["month"]): row for row in rows}
    series = []
    for offset in range(months):
        month = add_months(start, offset)
        row = by_month.get(month)
        revenue = _money(row["revenue"]) if row else ZERO
        cost = _money(row["cost"]) if row else ZERO
        series.append(MonthFigure(month=month, revenue=revenue, margin=revenue - cost))
    return series


def _as_date(value: date) -> date:
    # TruncMonth gives a date on PostgreSQL and SQLite for DateFields, a datetime if
    # the backend casts; compare on the date either way.
    return value.date() if hasattr(value, "date") and callable(value.date) else value


# --- audit history ---------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: object
    new: object


def _field_changes(
    entry: AuditEntry, model: type[Model] | None, names: RelatedNames
) -> list[FieldChange]:
    """Each recorded field as the history shows it: its name in the active language, its
    values as a person reads them. A field whose old and new value mean the same (an
    older entry may hold one instant in two time zones) is left out."""
    changes = []
    for name, pair in sorted((entry.changes or {}).items()):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            continue
        field = audit.field_of(model, name)
        if audit.same(pair[0], pair[1], field):
            continue
        old, new = (audit.shown(value, field, names) for value in pair)
        if old is None and new is None:
            continue  # a new record's empty fields say nothing
        changes.append(
            FieldChange(field=name, label=audit.field_label(model, name), old=old, new=new)
        )
    return changes


def _related_names(entries: list[AuditEntry], user: AnyUser) -> RelatedNames:
    """(model, id) -> display name for every related record the entries name: one query
    per related model for the whole page, so the history shows "Marek Zieliński", not
    "31". Records the user may not see (a group's parent, for a subsidiary's KAM; a
    contact of such an account) keep their bare id."""
    wanted: dict[type[Model], set[object]] = {}
    for entry in entries:
        model = audit.model_of(entry.model)
        for name, pair in (entry.changes or {}).items():
            field = audit.field_of(model, name)
            if field is None or not field.is_relation or not isinstance(pair, (list, tuple)):
                continue
            if not isinstance(field.related_model, type):
                continue  # a generic relation names no one model
            for value in pair:
                related = audit.related_ids(field, value)
                if related:
                    wanted.setdefault(field.related_model, set()).update(related)
    names: RelatedNames = {}
    for model, ids in wanted.items():
        rows = model._default_manager.all()
        if hasattr(rows, "visible_to"):
            rows = rows.visible_to(user)
        keys = {_pk_value(model, value): value for value in ids}
        keys.pop(None, None)
        for pk, obj in rows.in_bulk(list(keys)).items():
            names[(model, pk)] = str(obj)
            names[(model, str(pk))] = str(obj)
    return names


def _pk_value(model: type[Model], value: object) -> object:
    try:
        return model._meta.pk.to_python(value)
    except (ValidationError, ValueError, TypeError):
        return None


def _internal_repr(entry: AuditEntry) -> bool:
    """A record whose text is made of ids ("1889 keep", "Deputy object (3)") says nothing
    to a person: the history names its type instead."""
    text = entry.object_repr.strip()
    if not text or text == entry.object_id or text.endswith(f" object ({entry.object_id})"):
        return True
    if entry.account_id is None or entry.model == "accounts.Account":
        return False
    return re.match(rf"{entry.account_id}\b", text) is not None


def audit_history(*, user: AnyUser, account: Account, limit: int = 100) -> list[AuditEntry]:
    """Changes recorded against a visible account (the account itself and its records).

    An entry about a record the user may not see (a link to a person at a group account
    hidden from them) is left out, as if it had never been (`audit.hidden_records`); a
    hidden record a shown entry names keeps its bare id. An update whose every field kept
    its meaning (recorded by an older version, before such values were compared as what
    they mean) is not shown."""
    if not Account.objects.visible_to(user).filter(pk=account.pk).exists():
        return []
    entries = list(AuditEntry.objects.filter(account_id=account.pk).select_related("actor")[:limit])
    hidden = audit.hidden_records(entries, user)
    entries = [e for e in entries if (e.model, e.object_id) not in hidden]
    names = _related_names(entries, user)
    shown = []
    for entry in entries:
        model = audit.model_of(entry.model)
        entry.field_changes = _field_changes(entry, model, names)
        if entry.action == AuditEntry.Action.UPDATE and entry.changes and not entry.field_changes:
            continue
        entry.model_name = str(model._meta.verbose_name) if model else entry.model
        entry.label = entry.model_name if _internal_repr(entry) else entry.object_repr
        shown.append(entry)
    return shown


def attach_group_revenue(
    accounts: Iterable[AccountWithRevenue], *, user: AnyUser, since: date | None = None
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
                account__group_root_id__in=parents,
                account__in=Account.objects.visible_to(user),
                issued_on__gte=since or trailing_start(),
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


def attach_owners(accounts: Iterable[AccountRow]) -> list[AccountRow]:
    """Give each listed account its `owner` user (one query for the whole page)."""
    from openkam.users.models import User

    accounts = list(accounts)
    ids = {a.owner_user_id for a in accounts if getattr(a, "owner_user_id", None)}
    users = User.objects.in_bulk(ids) if ids else {}
    for account in accounts:
        account.owner = users.get(getattr(account, "owner_user_id", None))
    return accounts
