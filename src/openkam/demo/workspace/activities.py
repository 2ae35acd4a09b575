"""A year of work with each key account up to the demo's today, and the next three weeks.

Visits and meetings every two to six weeks (more often for strategic accounts), calls
and e-mails in between, a few tasks and notes; the decision maker, the economic buyer and
the champion are met regularly, except where a deliberate gap is left for the coverage
alerts (an economic buyer, a decision maker or a champion gone quiet, a whole account not
contacted). Each KAM has meetings and calls planned this week and something overdue.
Pure: facts and people in, rows out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from openkam.demo.workspace import texts
from openkam.demo.workspace.facts import AccountFacts, Facts
from openkam.demo.workspace.stakeholders import Stakeholder

YEAR = 365
AHEAD = 21  # days of planned work
KEEP_IN_TOUCH = 30  # a key person not met for this long is invited next
CONTACT = ("meeting", "visit", "call", "email")


@dataclass
class Gaps:
    """Deliberate coverage gaps: account id -> (role, silent since) or account ids."""

    quiet_people: dict[int, tuple[str, date]] = field(default_factory=dict)
    quiet_accounts: dict[int, date] = field(default_factory=dict)
    replaced_eb: set[int] = field(default_factory=set)


@dataclass
class Event:
    account: AccountFacts
    kind: str
    starts_at: datetime
    minutes: int
    owner: int
    subject: str = ""
    objective: str = ""
    outcome: str = ""
    next_steps: str = ""
    location: str = ""
    status: str = "done"
    plan_action: int | None = None
    people: list[int] = field(default_factory=list)


def choose_replaced(facts: Facts, rng: np.random.Generator) -> set[int]:
    """Accounts whose economic buyer left and whose successor nobody has met yet."""
    ids = [a.id for a in facts.accounts]
    return {ids[int(rng.integers(len(ids)))]} if len(ids) >= 5 else set()


def choose_gaps(
    facts: Facts, rng: np.random.Generator, people: dict[int, list[Stakeholder]], replaced: set[int]
) -> Gaps:
    """A few accounts for each kind of gap, at least one each, among accounts that have
    the person in question."""
    gaps = Gaps(replaced_eb=set(replaced))
    ids = [a.id for a in facts.accounts if a.id not in replaced]
    if len(ids) < 5:
        return gaps
    order = [ids[int(i)] for i in rng.permutation(len(ids))]
    size = max(1, len(ids) // 25)
    today = facts.today

    def take(count: int, holds) -> list[int]:
        chosen = [
            pk
            for pk in order
            if holds(pk) and pk not in gaps.quiet_people and pk not in gaps.quiet_accounts
        ][:count]
        return chosen

    def has(role: str):
        return lambda pk: any(p.role == role and p.left_on is None for p in people[pk])

    for pk in take(size + 1, has("economic_buyer")):
        gaps.quiet_people[pk] = ("economic_buyer", today - _days(rng, 75, 130))
    for pk in take(size, has("decision_maker")):
        gaps.quiet_people[pk] = ("decision_maker", today - _days(rng, 62, 95))
    for pk in take(size + 1, has("champion")):
        gaps.quiet_people[pk] = ("champion", today - _days(rng, 62, 100))
    for pk in take(size, lambda pk: True):
        gaps.quiet_accounts[pk] = today - _days(rng, 45, 70)
    return gaps


def build_activities(
    facts: Facts,
    rng: np.random.Generator,
    people: dict[int, list[Stakeholder]],
    actions: list[tuple],
    gaps: Gaps,
    zone: ZoneInfo,
) -> list[Event]:
    """Every account's events in time order, then each KAM's week and overdue items."""
    actions_by_plan_account = _actions_by_account(actions)
    events: list[Event] = []
    for account in facts.accounts:
        own = _calendar(facts, rng, account, zone)
        own += _action_tasks(facts, account, actions_by_plan_account.get(account.id, []), zone)
        own.sort(key=lambda e: (e.starts_at, e.kind))
        _drop_for_quiet_account(facts, own, gaps)
        _invite(facts, rng, own, people[account.id], gaps)
        _write_texts(facts, rng, own, people[account.id])
        events += own
    _fill_this_week(facts, rng, events, people, gaps, zone)
    _leave_some_overdue(facts, events)
    return events


def _calendar(facts: Facts, rng, account: AccountFacts, zone) -> list[Event]:
    low, high = (14, 28) if account.tier == "strategic" else (21, 42)
    end = facts.today + timedelta(days=AHEAD)
    day = facts.today - timedelta(days=YEAR - int(rng.integers(0, low)))
    events = []
    while day <= end:
        kind = "visit" if rng.random() < 0.6 else "meeting"
        events.append(_event(account, kind, _weekday(day), rng, zone, account.owner))
        gap = int(rng.integers(low, high + 1))
        for kind, count in (("call", rng.integers(1, 4)), ("email", rng.integers(1, 3))):
            for _ in range(int(count)):
                when = day + timedelta(days=int(rng.integers(2, gap)))
                owner = account.owner
                if account.helpers and rng.random() < 0.15:
                    owner = account.helpers[int(rng.integers(len(account.helpers)))]
                events.append(_event(account, kind, _weekday(when), rng, zone, owner))
        for kind, chance in (("note", 0.1), ("task", 0.1)):
            if rng.random() < chance:
                when = day + timedelta(days=int(rng.integers(1, gap)))
                events.append(_event(account, kind, _weekday(when), rng, zone, account.owner))
        day += timedelta(days=gap)
    # E-mails and notes are logged when written, not planned ahead.
    return [
        e
        for e in events
        if e.starts_at.date() <= end
        and (e.kind in ("visit", "meeting", "call", "task") or e.starts_at.date() < facts.today)
    ]


def _event(account, kind: str, day: date, rng, zone, owner: int) -> Event:
    if kind in ("visit", "meeting"):
        at, minutes = (
            time(int(rng.integers(9, 15)), int(rng.choice((0, 30)))),
            int(rng.choice((60, 90, 120))),
        )
    elif kind == "call":
        at, minutes = time(int(rng.integers(8, 16)), int(rng.choice((0, 15, 30, 45)))), 15
    else:
        at, minutes = time(int(rng.integers(8, 17)), int(rng.integers(0, 60))), 0
    return Event(account, kind, datetime.combine(day, at, tzinfo=zone), minutes, owner)


def _action_tasks(facts: Facts, account, actions: list[tuple], zone) -> list[Event]:
    """A done plan action left a task done that day; one due soon has a task planned."""
    events = []
    for action_id, title, owner, due, status, done_on in actions:
        if status == "done" and done_on:
            day, state = done_on, "done"
        elif status in ("open", "in_progress") and facts.today <= due <= facts.today + timedelta(
            days=AHEAD
        ):
            day, state = due, "planned"
        else:
            continue
        event = Event(
            account, "task", datetime.combine(_weekday(day), time(9), tzinfo=zone), 0, owner
        )
        event.subject, event.status, event.plan_action = title, state, action_id
        events.append(event)
    return events


def _drop_for_quiet_account(facts: Facts, events: list[Event], gaps: Gaps) -> None:
    if not events or events[0].account.id not in gaps.quiet_accounts:
        return
    since = gaps.quiet_accounts[events[0].account.id]
    events[:] = [e for e in events if e.kind not in CONTACT or e.starts_at.date() < since]


def _invite(facts: Facts, rng, events: list[Event], people: list[Stakeholder], gaps: Gaps) -> None:
    """Participants in time order: key people not met for a month first, then others."""
    quiet_role, quiet_since = (
        gaps.quiet_people.get(events[0].account.id, ("", None)) if events else ("", None)
    )
    key_roles = ("decision_maker", "economic_buyer", "champion")
    last_met: dict[int, date] = {}
    for event in events:
        if event.kind not in CONTACT:
            continue
        day = event.starts_at.date()
        here = [
            p for p in people if p.present(day) and not _silenced(p, day, quiet_role, quiet_since)
        ]
        here = [
            p
            for p in here
            if not (p.role == "economic_buyer" and p.joined_on and p.account in gaps.replaced_eb)
        ]
        if not here:
            continue
        due = [
            p
            for p in here
            if p.role in key_roles
            and (day - last_met.get(p.id, day - timedelta(days=999))).days >= KEEP_IN_TOUCH
        ]
        size = int(rng.integers(1, 4)) if event.kind in ("visit", "meeting") else 1
        chosen = due[:size]
        # The assistant arranges calls; meetings are with the people who decide and use.
        others = [
            p for p in here if p not in chosen and (p.role != "gatekeeper" or event.kind == "call")
        ]
        while len(chosen) < size and others:
            chosen.append(others.pop(int(rng.integers(len(others)))))
        event.people = [p.id for p in chosen]
        if event.starts_at.date() < facts.today:
            for p in chosen:
                last_met[p.id] = day


def _silenced(person: Stakeholder, day: date, role: str, since: date | None) -> bool:
    return (
        since is not None
        and day >= since
        and (person.role == role or (role == "champion" and person.attitude == "champion"))
    )


def _write_texts(facts: Facts, rng, events: list[Event], people: list[Stakeholder]) -> None:
    for event in events:
        account = event.account
        line = _pick(rng, [ln for ln, _ in account.lines_last_year] or list(facts.product_lines))
        fill = {"line": line, "competitor": _pick(rng, texts.COMPETITORS)[0]}
        past = event.starts_at.date() < facts.today
        if event.status == "done" and not past:
            event.status = "planned"
        if event.kind in ("visit", "meeting"):
            subject, objective, outcomes, steps = _pick(rng, texts.MEETINGS)
            event.subject, event.objective = subject.format(**fill), objective.format(**fill)
            if past:
                event.outcome, event.next_steps = (
                    _pick(rng, outcomes).format(**fill),
                    _pick(rng, steps),
                )
            event.location = (
                f"{account.city}, siedziba klienta"
                if event.kind == "visit"
                else _pick(rng, texts.LOCATIONS_OURS)
            )
        elif event.kind == "call":
            subject, objective, outcomes = _pick(rng, texts.CALLS)
            event.subject, event.objective = subject.format(**fill), objective
            event.outcome = _pick(rng, outcomes) if past else ""
        elif event.kind == "email":
            subject, outcome = _pick(rng, texts.EMAILS)
            event.subject, event.outcome = subject.format(**fill), outcome if past else ""
        elif event.kind == "note":
            event.subject = "Notatka"
            event.outcome = _pick(rng, texts.NOTES).format(**fill)
        elif not event.subject:
            event.subject = _pick(rng, texts.TASKS).format(**fill)
        if past and event.kind in ("visit", "meeting", "call") and rng.random() < 0.05:
            event.status, event.outcome, event.next_steps = "cancelled", texts.CANCELLED, ""
            event.people = event.people[:1]


def _fill_this_week(facts: Facts, rng, events: list[Event], people, gaps: Gaps, zone) -> None:
    """Each KAM has at least two meetings or calls planned in the next working days."""
    today = facts.today
    soon = [
        today + timedelta(days=d) for d in range(0, 7) if (today + timedelta(days=d)).weekday() < 5
    ][:4]
    accounts_of: dict[int, list[AccountFacts]] = {}
    for account in facts.accounts:
        if account.id not in gaps.quiet_accounts:
            accounts_of.setdefault(account.owner, []).append(account)
    for owner, accounts in sorted(accounts_of.items()):
        planned = [
            e
            for e in events
            if e.owner == owner
            and e.status == "planned"
            and e.kind in ("visit", "meeting", "call")
            and e.starts_at.date() in soon
        ]
        for k in range(max(0, 2 - len(planned))):
            account = accounts[k % len(accounts)]
            kind = "call" if k % 2 else "meeting"
            event = _event(account, kind, soon[k % len(soon)], rng, zone, owner)
            event.status = "planned"
            subject, objective, _outcomes, _steps = _pick(rng, texts.MEETINGS)
            line = _pick(rng, list(facts.product_lines))
            event.subject = subject.format(line=line, competitor="")
            event.objective = objective.format(line=line, competitor="")
            present = [p for p in people[account.id] if p.present(today) and p.role != "gatekeeper"]
            event.people = [present[0].id] if present else []
            events.append(event)


def _leave_some_overdue(facts: Facts, events: list[Event]) -> None:
    """Each KAM's latest meeting or call of the past ten days is still open: not logged yet."""
    latest: dict[int, Event] = {}
    window = facts.today - timedelta(days=10)
    for event in events:
        day = event.starts_at.date()
        if (
            event.kind in ("meeting", "visit", "call")
            and event.status == "done"
            and window <= day < facts.today
        ):
            if event.owner not in latest or event.starts_at > latest[event.owner].starts_at:
                latest[event.owner] = event
    for event in latest.values():
        event.status, event.outcome, event.next_steps = "planned", "", ""


def _actions_by_account(actions: list[tuple]) -> dict[int, list[tuple]]:
    result: dict[int, list[tuple]] = {}
    for account_id, *rest in actions:
        result.setdefault(account_id, []).append(tuple(rest))
    return result


def _weekday(day: date) -> date:
    """Weekend days move to the Monday after."""
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def _days(rng, low: int, high: int) -> timedelta:
    return timedelta(days=int(rng.integers(low, high + 1)))


def _pick(rng, options):
    return options[int(rng.integers(len(options)))]
