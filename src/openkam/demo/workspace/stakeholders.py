"""The buying centre at each key account: roles, influence, attitude with its history,
who owns each relationship, people who left, and links between them. Pure: facts in,
people and rows out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from openkam.demo import names
from openkam.demo.contacts import RUSSIAN_LATIN
from openkam.demo.workspace import texts
from openkam.demo.workspace.facts import AccountFacts, Facts

# Roles every key account's map has; a missing one gets a new person.
KEY_ROLES = ("decision_maker", "economic_buyer", "technical_buyer", "user", "gatekeeper")
INFLUENCE = {
    "decision_maker": (5, 5),
    "economic_buyer": (4, 5),
    "technical_buyer": (3, 4),
    "champion": (3, 4),
    "influencer": (3, 4),
    "user": (1, 2),
    "gatekeeper": (2, 2),
}
ATTITUDES = ("supporter", "neutral", "sceptic", "unknown", "opponent")
ATTITUDE_WEIGHTS = (0.38, 0.34, 0.15, 0.06, 0.07)
STRENGTH = {
    "champion": (4, 5),
    "supporter": (3, 4),
    "neutral": (2, 3),
    "sceptic": (1, 2),
    "opponent": (1, 1),
    "unknown": (1, 1),
}
CHAMPION_SHARE = 0.6
SOMEONE_LEFT_SHARE = 0.25


@dataclass
class Stakeholder:
    id: int
    account: int
    role: str
    influence: int
    attitude: str
    strength: int
    owner: int
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    position: str = ""
    department: str = ""
    left_on: date | None = None
    joined_on: date | None = None  # set for people new this year
    is_new: bool = False

    def present(self, day: date) -> bool:
        joined = self.joined_on is None or self.joined_on <= day
        return joined and (self.left_on is None or day < self.left_on)


@dataclass
class Maps:
    people: dict[int, list[Stakeholder]]  # account id -> its people
    attitude_rows: list[tuple]  # (contact, attitude, previous, note, changed_by, changed_at)
    link_rows: list[tuple]  # (source, target, kind, note)


def build_maps(facts: Facts, rng: np.random.Generator, next_id, replaced_eb: set[int]) -> Maps:
    maps = Maps(people={}, attitude_rows=[], link_rows=[])
    for account in facts.accounts:
        people = _people(facts, rng, account, next_id, full=True)
        if account.id in replaced_eb:
            _replace_economic_buyer(facts, rng, account, people, next_id)
        maps.people[account.id] = people
    for account in facts.sampled:
        maps.people[account.id] = _people(facts, rng, account, next_id, full=False)
    for account in (*facts.accounts, *facts.sampled):
        people = maps.people[account.id]
        for person in people:
            maps.attitude_rows += _attitude_history(facts, rng, person)
        maps.link_rows += _links(rng, people)
    return maps


def _people(facts, rng, account: AccountFacts, next_id, *, full: bool) -> list[Stakeholder]:
    people = []
    for contact in account.contacts:
        role = texts.ROLE_BY_POSITION.get(contact.position, "user")
        people.append(
            _with_traits(
                facts,
                rng,
                account,
                Stakeholder(
                    id=contact.id,
                    account=account.id,
                    role=role,
                    influence=0,
                    attitude="",
                    strength=0,
                    owner=account.owner,
                    first_name=contact.first_name,
                    last_name=contact.last_name,
                    email=contact.email,
                    position=contact.position,
                ),
            )
        )
    missing = [r for r in KEY_ROLES if r not in {p.role for p in people}]
    if not full:
        missing = missing[:1] if rng.random() < 0.5 and "decision_maker" in missing else []
    for role in missing:
        people.append(_new_person(facts, rng, account, role, next_id))
    if full and rng.random() < CHAMPION_SHARE:
        candidates = [p for p in people if p.role in ("influencer", "technical_buyer", "user")]
        if candidates:
            champion = candidates[0]
            champion.role, champion.attitude = "champion", "champion"
            champion.influence = int(rng.integers(3, 5))
            champion.strength = int(rng.integers(4, 6))
    if full and rng.random() < SOMEONE_LEFT_SHARE:
        leavers = [p for p in people if p.role in ("user", "influencer")]
        if leavers:
            leavers[-1].left_on = facts.today - timedelta(days=int(rng.integers(30, 300)))
    return people


def _with_traits(facts, rng, account: AccountFacts, person: Stakeholder) -> Stakeholder:
    low, high = INFLUENCE[person.role]
    person.influence = int(rng.integers(low, high + 1))
    person.attitude = str(rng.choice(ATTITUDES, p=ATTITUDE_WEIGHTS))
    if person.role == "gatekeeper" and person.attitude == "opponent":
        person.attitude = "neutral"
    low, high = STRENGTH[person.attitude]
    person.strength = int(rng.integers(low, high + 1))
    if person.role in ("decision_maker", "economic_buyer"):
        # We know the people who sign; the gaps are left on purpose elsewhere.
        person.strength = max(2, person.strength)
    person.owner = account.owner
    if person.role in ("decision_maker", "economic_buyer") and account.tier == "strategic":
        person.owner = facts.head if rng.random() < 0.5 else account.owner
    elif person.role == "user" and account.helpers and rng.random() < 0.4:
        person.owner = account.helpers[int(rng.integers(len(account.helpers)))]
    return person


def _new_person(facts, rng, account: AccountFacts, role: str, next_id, **extra) -> Stakeholder:
    female = rng.random() < (0.85 if role == "gatekeeper" else 0.4)
    first, last, email, phone, position, department = _identity(rng, account, role, female)
    person = Stakeholder(
        id=next_id("contact"),
        account=account.id,
        role=role,
        influence=0,
        attitude="",
        strength=0,
        owner=account.owner,
        first_name=first,
        last_name=last,
        email=email,
        phone=phone,
        position=position,
        department=department,
        is_new=True,
        **extra,
    )
    return _with_traits(facts, rng, account, person)


def _identity(rng, account: AccountFacts, role: str, female: bool) -> tuple[str, ...]:
    domain = account.domain
    if account.country == "RU":
        first, last = names.RUSSIAN_CONTACTS[int(rng.integers(len(names.RUSSIAN_CONTACTS)))]
        email = f"{RUSSIAN_LATIN[first]}.{RUSSIAN_LATIN[last]}@{domain}"
        phone = f"+7 9{rng.integers(10, 99)} {rng.integers(100, 999)}-{rng.integers(10, 99)}-{rng.integers(10, 99)}"
        return (first, last, email, phone, *texts.RUSSIAN_POSITIONS[role])
    pool = names.FEMALE_FIRST if female else names.MALE_FIRST
    first = pool[int(rng.integers(len(pool)))]
    surname = names.SURNAMES[int(rng.integers(len(names.SURNAMES)))]
    last = names.feminine(surname) if female else surname
    email = f"{names.ascii_slug(first)[0]}.{names.ascii_slug(last)}@{domain}"
    if rng.random() < 0.7:
        phone = f"+48 {rng.integers(500, 900)} {rng.integers(100, 999)} {rng.integers(100, 999)}"
    else:  # a landline with a city code
        area = (22, 12, 61, 71, 58, 42, 32)[int(rng.integers(7))]
        phone = f"+48 {area} {rng.integers(200, 899)} {rng.integers(10, 99)} {rng.integers(10, 99)}"
    options = texts.ROLE_POSITIONS[role].get(account.segment) or texts.ROLE_POSITIONS[role]["*"]
    male_title, female_title, department = options[int(rng.integers(len(options)))]
    return first, last, email, phone, female_title if female else male_title, department


def _replace_economic_buyer(facts, rng, account, people: list[Stakeholder], next_id) -> None:
    """The economic buyer left some months ago; the successor is on the map but nobody
    has met them yet: a coverage gap to find."""
    old = next((p for p in people if p.role == "economic_buyer"), None)
    if old is None:
        return
    old.left_on = facts.today - timedelta(days=int(rng.integers(100, 150)))
    successor = _new_person(
        facts, rng, account, "economic_buyer", next_id, joined_on=old.left_on + timedelta(days=14)
    )
    successor.attitude, successor.strength = "unknown", 1
    people.append(successor)


def _attitude_history(facts: Facts, rng, person: Stakeholder) -> list[tuple]:
    """From unknown to the first impression, maybe a change or two, to today's attitude."""
    if person.attitude == "unknown":
        return []
    start = person.joined_on or facts.today - timedelta(days=int(rng.integers(330, 365)))
    end = min(person.left_on or facts.today, facts.today) - timedelta(days=1)
    steps = [person.attitude]
    for _ in range(int(rng.integers(0, 3))):
        steps.insert(0, _neighbour(rng, steps[0]))
    # The first impression within six weeks, later changes spread over the rest.
    first = int(rng.integers(0, 42))
    span = max((end - start).days - first, len(steps))
    later = sorted(int(d) for d in rng.choice(span, size=len(steps) - 1, replace=False))
    offsets = [min(first, max(0, (end - start).days))] + [first + d + 1 for d in later]
    rows, previous = [], "unknown"
    for attitude, offset in zip(steps, offsets, strict=True):
        if attitude == previous:
            continue
        note = _pick(rng, texts.ATTITUDE_NOTES[attitude]).format(competitor=_competitor(rng))
        when = min(start + timedelta(days=offset), end)
        rows.append((person.id, attitude, previous, note, person.owner, when))
        previous = attitude
    if previous != person.attitude:  # two equal neighbours collapsed into the last step
        rows.append((person.id, person.attitude, previous, "", person.owner, end))
    return rows


def _neighbour(rng, attitude: str) -> str:
    scale = ("champion", "supporter", "neutral", "sceptic", "opponent")
    index = scale.index(attitude)
    return scale[min(len(scale) - 1, max(1, index + int(rng.choice((-1, 1)))))]


def _links(rng, people: list[Stakeholder]) -> list[tuple]:
    by_role: dict[str, list[Stakeholder]] = {}
    for person in people:
        by_role.setdefault(person.role, []).append(person)

    def first(*roles: str) -> Stakeholder | None:
        return next((by_role[r][0] for r in roles if by_role.get(r)), None)

    boss = first("decision_maker")
    links: set[tuple] = set()

    def link(source, target, kind, note=""):
        if source is not None and target is not None and source.id != target.id:
            links.add((source.id, target.id, kind, note))

    for person in people:
        if person is boss:
            continue
        if person.role in ("gatekeeper", "economic_buyer", "champion", "influencer"):
            link(person, boss, "reports_to")
        elif person.role == "technical_buyer":
            link(person, first("economic_buyer", "decision_maker"), "reports_to")
        else:
            link(person, first("technical_buyer", "influencer", "decision_maker"), "reports_to")
    link(first("champion"), boss, "influences", "Ma zaufanie prezesa w sprawach dostawców.")
    link(first("influencer"), first("economic_buyer"), "influences")
    if rng.random() < 0.3:
        link(first("champion"), first("technical_buyer"), "allied_with")
    if rng.random() < 0.2:
        link(
            first("economic_buyer"),
            first("technical_buyer", "influencer"),
            "rival_of",
            "Spór o budżet na zakupy.",
        )
    return sorted(links)


def _pick(rng, options):
    return options[int(rng.integers(len(options)))]


def _competitor(rng) -> str:
    return _pick(rng, texts.COMPETITORS)[0]
