"""What the workspace generator needs from the built demo, read once from the database in
a fixed order: the key accounts after last quarter's review, their owners and contacts,
and last year's and this year's sales from the ledger."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import numpy as np
from django.db.models import Sum

from openkam.accounts.models import Account, Assignment, Tier
from openkam.demo.spec import SOURCE
from openkam.ledger.models import InvoiceLine
from openkam.stakeholders.models import Contact
from openkam.users.models import KAM_ROLES, Role, User

# A sample of the standard accounts gets a stakeholder map too (no plan, no activities).
STANDARD_SAMPLE_SHARE = 0.05
STANDARD_SAMPLE_MAX = 40
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Person:
    id: int
    first_name: str
    last_name: str
    email: str
    position: str


@dataclass(frozen=True)
class AccountFacts:
    id: int
    name: str
    tier: str
    segment: str
    country: str
    city: str
    owner: int
    helpers: tuple[int, ...]
    contacts: tuple[Person, ...]
    revenue_last_year: Decimal = ZERO
    cost_last_year: Decimal = ZERO
    revenue_this_year: Decimal = ZERO
    revenue_two_years_ago: Decimal = ZERO
    # (product line, revenue last year), biggest first
    lines_last_year: tuple[tuple[str, Decimal], ...] = ()

    @property
    def is_key(self) -> bool:
        return self.tier in (Tier.KEY, Tier.STRATEGIC)

    @property
    def domain(self) -> str:
        for person in self.contacts:
            if "@" in person.email:
                return person.email.split("@", 1)[1]
        return "firma.pl"


@dataclass(frozen=True)
class Facts:
    today: date
    seed: int
    head: int
    kams: tuple[int, ...]
    accounts: tuple[AccountFacts, ...]  # key and strategic, by id
    sampled: tuple[AccountFacts, ...]  # a sample of the standard ones, by id
    product_lines: tuple[str, ...]
    offsets: dict[str, int] = field(default_factory=dict)


def read_facts(*, today: date, seed: int, offsets: dict[str, int]) -> Facts:
    demo = Account.objects.filter(source=SOURCE, is_archived=False)
    key_ids = list(
        demo.filter(tier__in=[Tier.KEY, Tier.STRATEGIC]).order_by("pk").values_list("pk", flat=True)
    )
    standard = list(
        demo.filter(tier=Tier.STANDARD, parent__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rng = np.random.default_rng([seed, 40])
    size = min(STANDARD_SAMPLE_MAX, int(len(standard) * STANDARD_SAMPLE_SHARE))
    sampled_ids = (
        sorted(int(i) for i in rng.choice(standard, size=size, replace=False)) if size else []
    )
    head = User.objects.filter(role=Role.HEAD).order_by("pk").values_list("pk", flat=True).first()
    if head is None:
        raise RuntimeError("the demo company has no head of key accounts")
    kams = tuple(
        User.objects.filter(role__in=KAM_ROLES).order_by("pk").values_list("pk", flat=True)
    )
    lines = tuple(
        InvoiceLine.objects.values_list("product__product_line", flat=True)
        .distinct()
        .order_by("product__product_line")
    )
    return Facts(
        today=today,
        seed=seed,
        head=head,
        kams=kams,
        accounts=_accounts(key_ids, today, with_sales=True),
        sampled=_accounts(sampled_ids, today, with_sales=False),
        product_lines=lines,
        offsets=offsets,
    )


def _accounts(ids: list[int], today: date, *, with_sales: bool) -> tuple[AccountFacts, ...]:
    if not ids:
        return ()
    owners, helpers = _assignments(ids, today)
    contacts: dict[int, list[Person]] = {i: [] for i in ids}
    for row in (
        Contact.objects.filter(account_id__in=ids, is_archived=False)
        .order_by("pk")
        .values_list("account_id", "pk", "first_name", "last_name", "email", "position")
    ):
        contacts[row[0]].append(Person(*row[1:]))
    sales = _sales(ids, today) if with_sales else {}
    result = []
    for pk, name, tier, segment, country, city in (
        Account.objects.filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", "name", "tier", "segment", "country", "city")
    ):
        if pk not in owners:
            continue
        result.append(
            AccountFacts(
                id=pk,
                name=name,
                tier=tier,
                segment=segment,
                country=country,
                city=city,
                owner=owners[pk],
                helpers=tuple(sorted(helpers.get(pk, ()))),
                contacts=tuple(contacts[pk]),
                **sales.get(pk, {}),
            )
        )
    return tuple(result)


def _assignments(ids: list[int], today: date) -> tuple[dict[int, int], dict[int, set[int]]]:
    owners: dict[int, int] = {}
    helpers: dict[int, set[int]] = {}
    current = Assignment.objects.filter(account_id__in=ids, starts_on__lte=today).exclude(
        ends_on__lt=today
    )
    for account, user, role in current.order_by("pk").values_list("account_id", "user_id", "role"):
        if role == "owner":
            owners[account] = user
        else:
            helpers.setdefault(account, set()).add(user)
    return owners, helpers


def _sales(ids: list[int], today: date) -> dict[int, dict]:
    """Last calendar year's revenue, cost and product lines, and this year's revenue to
    date, per plan account: the whole group for a group's root, as the plans measure."""
    scope = {pk: pk for pk in ids}
    for member, root in Account.objects.filter(group_root_id__in=ids).values_list(
        "pk", "group_root_id"
    ):
        scope.setdefault(member, root)
    lines: dict[int, dict[str, list[Decimal]]] = {pk: {} for pk in ids}
    last_year = (
        InvoiceLine.objects.filter(account_id__in=list(scope), issued_on__year=today.year - 1)
        .values("account_id", "product__product_line")
        .annotate(net=Sum("net_amount"), cost=Sum("cost_amount"))
        .order_by("account_id", "product__product_line")
    )
    for row in last_year:
        sums = lines[scope[row["account_id"]]].setdefault(
            row["product__product_line"], [ZERO, ZERO]
        )
        sums[0] += _money(row["net"])
        sums[1] += _money(row["cost"])
    this_year = _revenue(list(scope), today.year, today)
    ytd = {pk: ZERO for pk in ids}
    for account, net in this_year.items():
        ytd[scope[account]] += net
    before = {pk: ZERO for pk in ids}
    for account, net in _revenue(list(scope), today.year - 2, today).items():
        before[scope[account]] += net
    result = {}
    for pk in ids:
        ranked = sorted(lines[pk].items(), key=lambda item: (-item[1][0], item[0]))
        result[pk] = {
            "revenue_last_year": sum((net for _, (net, _) in ranked), ZERO),
            "cost_last_year": sum((cost for _, (_, cost) in ranked), ZERO),
            "revenue_this_year": ytd[pk],
            "revenue_two_years_ago": before[pk],
            "lines_last_year": tuple((line, net) for line, (net, _) in ranked if net > 0),
        }
    return result


def _revenue(accounts: list[int], year: int, today: date) -> dict[int, Decimal]:
    rows = (
        InvoiceLine.objects.filter(account_id__in=accounts, issued_on__year=year)
        .filter(issued_on__lte=today)
        .values("account_id")
        .annotate(net=Sum("net_amount"))
        .order_by("account_id")
    )
    return {row["account_id"]: _money(row["net"]) for row in rows}


def _money(value) -> Decimal:
    # SQLite sums decimals as floats: round back to cents.
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))
