"""Reads about accounts. Every function takes the user and starts from `visible_to(user)`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db.models import (
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from openkam.accounts.extensions import TrailingRevenue, figures
from openkam.accounts.models import Account, Assignment, AssignmentRole
from openkam.core import audit
from openkam.core.collation import sort_key
from openkam.core.models import AuditEntry
from openkam.users.permissions import AnyUser

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from openkam.accounts.extensions import AccountWithRevenue
    from openkam.users.models import User

    class ListedAccount(TrailingRevenue):
        owner_user_id: int | None

    # An account with the annotations of `account_list`.
    AccountRow = WithAnnotations[Account, ListedAccount]

# (model, primary key) -> the related record's name, for the audit history.
RelatedNames = dict[tuple[type[Model], object], str]

ZERO = Decimal("0.00")

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
    accounts = (
        figures().with_trailing_revenue(accounts).annotate(owner_user_id=_owner_id_subquery())
    )
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
    return figures().with_trailing_revenue(Account.objects.visible_to(user)).get(pk=pk)


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
    revenue = figures().revenue_by_account(visible_ids)
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
        for pk, name in _visible_names(model, ids, user).items():
            names[(model, pk)] = name
            names[(model, str(pk))] = name
    return names


def _visible_names(model: type[Model], ids: Iterable[object], user: AnyUser) -> dict[object, str]:
    """pk -> the record's name now, for the records of `ids` the user may see (one query)."""
    rows = model._default_manager.all()
    if hasattr(rows, "visible_to"):
        rows = rows.visible_to(user)
    keys = {key for key in (_pk_value(model, value) for value in ids) if key is not None}
    return {pk: str(obj) for pk, obj in rows.in_bulk(list(keys)).items()}


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
    current = _current_labels(entries, user)
    shown = []
    for entry in entries:
        model = audit.model_of(entry.model)
        entry.field_changes = _field_changes(entry, model, names)
        if entry.action == AuditEntry.Action.UPDATE and entry.changes and not entry.field_changes:
            continue
        entry.model_name = str(model._meta.verbose_name) if model else entry.model
        if _internal_repr(entry):
            entry.label = entry.model_name
        else:
            entry.label = current.get((entry.model, entry.object_id), entry.object_repr)
        shown.append(entry)
    return shown


def _current_labels(entries: list[AuditEntry], user: AnyUser) -> dict[tuple[str, str], str]:
    """(model label, id) -> the record's name now, in the reader's language, for records
    whose name is made of translated words (`NAME_IN_READERS_LANGUAGE` on the model: "X
    reports to Y" written by a Polish KAM reads in Russian for a Russian head); one query
    per such model. A deleted record keeps the name it had."""
    wanted: dict[str, set[str]] = {}
    for entry in entries:
        wanted.setdefault(entry.model, set()).add(entry.object_id)
    labels: dict[tuple[str, str], str] = {}
    for label, ids in wanted.items():
        model = audit.model_of(label)
        if model is None or not getattr(model, "NAME_IN_READERS_LANGUAGE", False):
            continue
        for pk, name in _visible_names(model, ids, user).items():
            labels[(label, str(pk))] = name
    return labels


def attach_owners(accounts: Iterable[AccountRow]) -> list[AccountRow]:
    """Give each listed account its `owner` user (one query for the whole page)."""
    from openkam.users.models import User

    accounts = list(accounts)
    ids = {a.owner_user_id for a in accounts if getattr(a, "owner_user_id", None)}
    users = User.objects.in_bulk(ids) if ids else {}
    for account in accounts:
        account.owner = users.get(getattr(account, "owner_user_id", None))
    return accounts
