"""Who works which customer: key tiers decided by the head (history rows), owners,
support and junior roles, regional territories for the rest, and deputies."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import numpy as np

from openkam.demo import names
from openkam.demo.customers import CHURNED, DECLINING, NEW, Customers
from openkam.demo.spec import DemoSpec
from openkam.demo.staff import Person, Staff
from openkam.users.models import Role

STRATEGIC_COUNT = 20
KEY_COUNT = 60
DEMOTED_COUNT = 2
KEY_CAPACITY: dict[str, int] = {Role.SENIOR_KAM: 13, Role.KAM: 11, Role.JUNIOR_KAM: 5}
TERRITORY_SHARE: dict[str, float] = {Role.SENIOR_KAM: 0.8, Role.KAM: 1.0, Role.JUNIOR_KAM: 0.5}


@dataclass
class Portfolio:
    tier: list[str]  # per customer
    status_changes: list[tuple] = field(default_factory=list)
    # (account index, tier, previous tier, reason, decided_by, decided_at)
    assignments: list[tuple] = field(default_factory=list)
    # (account index, user id, role, starts_on, ends_on or None)
    deputies: list[tuple] = field(default_factory=list)
    # (principal id, deputy id, starts_on, ends_on, note)


def build_portfolio(
    *, spec: DemoSpec, rng, customers: Customers, expected: np.ndarray, staff: Staff
) -> Portfolio:
    n = customers.count
    group_revenue = np.bincount(customers.root, weights=expected, minlength=n)
    tops = np.flatnonzero((customers.root == np.arange(n)) & (customers.trajectory != CHURNED))
    ranked = tops[np.argsort(-group_revenue[tops], kind="stable")]
    strategic = ranked[:STRATEGIC_COUNT]
    key = ranked[STRATEGIC_COUNT : STRATEGIC_COUNT + KEY_COUNT]
    rest = ranked[STRATEGIC_COUNT + KEY_COUNT :]
    decliners = rest[customers.trajectory[rest] == DECLINING][:DEMOTED_COUNT]
    portfolio = Portfolio(tier=["standard"] * n)
    _tiers(portfolio, spec, rng, customers, strategic, key, decliners, staff)
    owners = _key_owners(rng, list(strategic) + list(key), group_revenue, staff)
    _owner_rows(portfolio, spec, rng, customers, owners, staff)
    _support_and_juniors(portfolio, spec, rng, owners, staff)
    _deputies(portfolio, spec, staff)
    return portfolio


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(9, 30), tzinfo=UTC)


def _tiers(portfolio, spec, rng, customers, strategic, key, decliners, staff) -> None:
    first = spec.first_month
    head = staff.head

    def decide(account: int, tier: str, previous: str, day: date) -> None:
        reasons = names.TIER_REASONS[tier]
        reason = reasons[int(rng.integers(len(reasons)))]
        portfolio.status_changes.append((account, tier, previous, reason, head, _moment(day)))

    strategic, key, decliners = set(strategic), set(key), set(decliners)
    for account in sorted(strategic | key | decliners):
        started = first + timedelta(days=int(customers.start_month[account]) * 30)
        # Most were chosen at the first review; a few were promoted in the last half year.
        recent = rng.random() < 0.12 and account in key
        promoted = (
            spec.today - timedelta(days=int(rng.integers(20, 180)))
            if recent
            else (started + timedelta(days=int(rng.integers(0, 120))))
        )
        decide(account, "key", "standard", promoted)
        portfolio.tier[account] = "key"
        if account in strategic:
            later = promoted + timedelta(days=int(rng.integers(200, 500)))
            later = min(later, spec.today - timedelta(days=30))
            decide(account, "strategic", "key", max(later, promoted + timedelta(days=1)))
            portfolio.tier[account] = "strategic"
        elif account in decliners:
            decide(
                account, "standard", "key", spec.today - timedelta(days=int(rng.integers(15, 60)))
            )
            portfolio.tier[account] = "standard"


def _key_owners(rng, accounts: list[int], revenue: np.ndarray, staff: Staff) -> dict[int, Person]:
    """Deal the key accounts, biggest first, to the KAM with capacity and the least
    revenue so far, so no KAM carries twice the revenue of another."""
    load = {p.username: 0.0 for p in staff.kams}
    left = {p.username: KEY_CAPACITY[p.role] for p in staff.kams}
    owners: dict[int, Person] = {}
    for rank, account in enumerate(accounts):
        eligible = [
            p
            for p in staff.kams
            if left[p.username] > 0 and (p.role != Role.JUNIOR_KAM or rank >= STRATEGIC_COUNT * 2)
        ]
        chosen = min(eligible, key=lambda p: (load[p.username] / KEY_CAPACITY[p.role], p.username))
        owners[account] = chosen
        load[chosen.username] += float(revenue[account])
        left[chosen.username] -= 1
    return owners


def _territories(customers: Customers, staff: Staff) -> dict[str, Person]:
    """Regions to KAMs, the biggest region first to the least loaded KAM."""
    weights: dict[str, float] = {}
    for region, revenue in zip(customers.regions, customers.annual_revenue, strict=True):
        weights[region] = weights.get(region, 0.0) + float(revenue)
    load = {p.username: 0.0 for p in staff.kams}
    territory: dict[str, Person] = {}
    russian = [p for p in staff.kams if p.language == "ru" and p.role == Role.KAM]
    for region in sorted(weights, key=lambda r: (-weights[r], r)):
        if any(ord(ch) > 0x400 for ch in region) and russian:
            territory[region] = russian[0]
            continue
        kam = min(
            staff.kams, key=lambda p: (load[p.username] / TERRITORY_SHARE[p.role], p.username)
        )
        territory[region] = kam
        load[kam.username] += weights[region]
    return territory


def _owner_rows(portfolio, spec, rng, customers, key_owners, staff) -> None:
    territory = _territories(customers, staff)
    first = spec.first_month
    for account in range(customers.count):
        root = int(customers.root[account])
        owner = key_owners.get(root) or territory[customers.regions[root]]
        if customers.trajectory[account] == NEW:
            starts = first + timedelta(days=int(customers.start_month[account]) * 30)
        else:
            starts = first - timedelta(days=int(rng.integers(0, 900)))
        user = staff.id(owner.username)
        if root in key_owners and account == root and rng.random() < 0.15:
            # The account changed hands once: the old owner's period is history.
            before = [
                p for p in staff.kams if p.username != owner.username and p.role != Role.JUNIOR_KAM
            ]
            previous = before[int(rng.integers(len(before)))]
            handover = spec.today - timedelta(days=int(rng.integers(60, 500)))
            last_day = handover - timedelta(days=1)  # one owner on the handover day
            portfolio.assignments.append(
                (account, staff.id(previous.username), "owner", min(starts, last_day), last_day)
            )
            starts = handover
        portfolio.assignments.append((account, user, "owner", starts, None))


def _support_and_juniors(portfolio, spec, rng, key_owners, staff) -> None:
    helpers = [p for p in staff.kams if p.role != Role.JUNIOR_KAM]
    for account, owner in key_owners.items():
        if owner.role != Role.JUNIOR_KAM and rng.random() < 0.3:
            others = [p for p in helpers if p.username != owner.username]
            support = others[int(rng.integers(len(others)))]
            starts = spec.today - timedelta(days=int(rng.integers(30, 700)))
            portfolio.assignments.append(
                (account, staff.id(support.username), "support", starts, None)
            )
    for junior in (p for p in staff.kams if p.role == Role.JUNIOR_KAM):
        seniors_accounts = [a for a, o in key_owners.items() if o.username == junior.senior]
        for account in seniors_accounts[:3]:
            starts = spec.today - timedelta(days=int(rng.integers(30, 400)))
            portfolio.assignments.append(
                (account, staff.id(junior.username), "junior", starts, None)
            )


def _deputies(portfolio, spec, staff) -> None:
    today = spec.today
    portfolio.deputies.append(
        (
            staff.id("ewa"),
            staff.id("marek"),
            today - timedelta(days=2),
            today + timedelta(days=9),
            "Urlop",
        )
    )
    portfolio.deputies.append(
        (
            staff.id("piotr"),
            staff.id("olga"),
            today - timedelta(days=120),
            today - timedelta(days=106),
            "Urlop wypoczynkowy",
        )
    )
