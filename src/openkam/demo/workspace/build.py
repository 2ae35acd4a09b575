"""Build the account workspace of the demo company, after its key accounts are decided
and scored: stakeholder maps, competitors, this year's plans and a year of activities.

Generation is pure (`generate`: facts in, tables out, ids chosen here), so the same
seed and facts give the same rows; `build_workspace` reads the facts and bulk-writes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings
from django.db import connection, transaction

from openkam.activities.models import Activity, ActivityContact
from openkam.demo import writer
from openkam.demo.rows import Table
from openkam.demo.spec import SOURCE
from openkam.demo.workspace import activities, competitors, plans, stakeholders, texts
from openkam.demo.workspace.facts import Facts, read_facts
from openkam.plans.models import (
    AccountPlan,
    Objective,
    PlanAction,
    PlanReview,
    PlanRisk,
    PlanTemplate,
)
from openkam.stakeholders.models import AttitudeChange, Contact, ContactLink
from openkam.workspace.models import AccountCompetitor, Competitor

# Independent random streams per part (the company's own use 1-6, the sample 40).
STREAM_PEOPLE, STREAM_COMPETITORS, STREAM_PLANS, STREAM_ACTIVITIES = 41, 42, 43, 44
ID_MODELS = {
    "contact": Contact,
    "competitor": Competitor,
    "plantemplate": PlanTemplate,
    "accountplan": AccountPlan,
    "objective": Objective,
    "planaction": PlanAction,
    "activity": Activity,
}
CONTACT_UPDATE = (
    "buying_role",
    "influence",
    "attitude",
    "relationship_strength",
    "relationship_owner_id",
    "left_on",
)


@dataclass
class Generated:
    contact_updates: list[tuple]  # CONTACT_UPDATE values + (id,)
    tables: list[Table]


class Ids:
    """Explicit ids after what each table already holds, so rows can point at each other."""

    def __init__(self, offsets: dict[str, int]):
        self.next = {name: offsets.get(name, 0) for name in ID_MODELS}

    def __call__(self, name: str) -> int:
        self.next[name] += 1
        return self.next[name]


def workspace_exists() -> bool:
    return AccountPlan.objects.filter(account__source=SOURCE).exists()


def build_workspace(*, today: date, seed: int) -> dict[str, int]:
    """Write the workspace for the demo in the database; returns rows written per table."""
    offsets = {name: writer.max_id(model) for name, model in ID_MODELS.items()}
    facts = read_facts(today=today, seed=seed, offsets=offsets)
    generated = generate(facts, db_value=writer.db_value)
    counts: dict[str, int] = {}
    with transaction.atomic():
        _update_contacts(generated.contact_updates)
        for table in generated.tables:
            name = str(table.model._meta.model_name)
            counts[name] = counts.get(name, 0) + writer.write_rows(
                table.model, table.columns, table.rows
            )
        writer.reset_sequences(list(ID_MODELS.values()))
    from openkam.demo.contracts import build_contracts

    counts.update(build_contracts(facts=facts))
    return counts


def generate(facts: Facts, *, db_value=lambda v: v) -> Generated:
    stream = lambda k: np.random.default_rng([facts.seed, k])  # noqa: E731
    ids = Ids(facts.offsets)
    zone = ZoneInfo(settings.TIME_ZONE)
    now = db_value(datetime.combine(facts.today, time(6, 0), tzinfo=UTC))
    replaced = activities.choose_replaced(facts, stream(STREAM_ACTIVITIES + 100))
    maps = stakeholders.build_maps(facts, stream(STREAM_PEOPLE), ids, replaced)
    rivals = competitors.competitor_rows(ids)
    at_accounts = competitors.account_competitor_rows(facts, stream(STREAM_COMPETITORS), rivals)
    plan_rows = plans.build_plans(
        facts, stream(STREAM_PLANS), ids, at_accounts, {c[0]: c[1] for c in rivals}
    )
    plans.add_previous_year(facts, stream(STREAM_PLANS + 100), ids, plan_rows)
    account_of_plan = {row[0]: row[3] for row in plan_rows.plans}
    rng = stream(STREAM_ACTIVITIES)
    gaps = activities.choose_gaps(facts, rng, maps.people, replaced)
    actions = [(account_of_plan[a[1]], a[0], *a[3:]) for a in plan_rows.actions]
    events = activities.build_activities(facts, rng, maps.people, actions, gaps, zone)
    plans.set_meeting_targets(
        plan_rows.objectives,
        _meetings_held(facts, events, plan_rows.plans),
        ((facts.today - date(facts.today.year, 1, 1)).days + 1) / 365,
        rng,
    )
    return Generated(
        contact_updates=_contact_updates(maps, db_value),
        tables=[
            _new_contacts(maps, now, db_value),
            _attitude_changes(maps, zone, db_value),
            _links(maps, now),
            _competitors(rivals, now),
            _account_competitors(at_accounts, now),
            *_plan_tables(plan_rows, now, zone, db_value),
            *_activity_tables(events, ids, db_value),
        ],
    )


def _meetings_held(facts: Facts, events, plan_list) -> dict[int, int]:
    start = date(facts.today.year, 1, 1)
    held: dict[int, int] = {}
    for event in events:
        day = event.starts_at.date()
        if event.status == "done" and event.kind in ("meeting", "visit", "call") and day >= start:
            held[event.account.id] = held.get(event.account.id, 0) + 1
    return {row[0]: held.get(row[3], 0) for row in plan_list}


def _contact_updates(maps, db_value) -> list[tuple]:
    return [
        (p.role, p.influence, p.attitude, p.strength, p.owner, db_value(p.left_on), p.id)
        for people in maps.people.values()
        for p in people
        if not p.is_new
    ]


def _update_contacts(rows: list[tuple]) -> None:
    table = connection.ops.quote_name(Contact._meta.db_table)
    sets = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in CONTACT_UPDATE)
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {sets} WHERE id = %s", rows)


def _new_contacts(maps, now, db_value) -> Table:
    columns = (
        "id", "created_at", "updated_at", "source", "external_id", "account_id", "first_name",
        "last_name", "email", "phone", "position", "department", "is_archived", *CONTACT_UPDATE,
    )  # fmt: skip
    rows = []
    for people in maps.people.values():
        for p in people:
            if not p.is_new:
                continue
            created = db_value(_moment(p.joined_on)) if p.joined_on else now
            rows.append(
                (p.id, created, created, SOURCE, f"W{p.id:07d}", p.account, p.first_name)
                + (p.last_name, p.email, p.phone, p.position[:150], p.department, False)
                + (p.role, p.influence, p.attitude, p.strength, p.owner, db_value(p.left_on))
            )
    rows.sort()
    return Table(Contact, columns, rows)


def _attitude_changes(maps, zone, db_value) -> Table:
    columns = ("contact_id", "attitude", "previous_attitude", "note", "changed_by_id", "changed_at")
    rows = [
        (contact, new, old, note, who, db_value(datetime.combine(day, time(16, 30), tzinfo=zone)))
        for contact, new, old, note, who, day in maps.attitude_rows
    ]
    return Table(AttitudeChange, columns, rows)


def _links(maps, now) -> Table:
    columns = ("created_at", "updated_at", "source_id", "target_id", "kind", "note")
    return Table(ContactLink, columns, [(now, now, *row) for row in maps.link_rows])


def _competitors(rivals, now) -> Table:
    columns = ("id", "created_at", "updated_at", "name", "website", "notes")
    return Table(Competitor, columns, [(pk, now, now, name, "", note) for pk, name, note in rivals])


def _account_competitors(at_accounts, now) -> Table:
    columns = (
        "created_at", "updated_at", "account_id", "competitor_id", "product_lines",
        "share_of_wallet", "notes",
    )  # fmt: skip
    rows = [
        (now, now, account, competitor, lines, str(share), note)
        for account, found in at_accounts.items()
        for competitor, lines, share, note in found
    ]
    return Table(AccountCompetitor, columns, rows)


def _plan_tables(out: plans.PlanRows, now, zone, db_value) -> list[Table]:
    dumps = lambda value: json.dumps(value, ensure_ascii=False)  # noqa: E731
    templates = Table(
        PlanTemplate,
        ("id", "created_at", "updated_at", "name", "segment", "review_cadence", "sections")
        + ("objectives", "is_archived"),
        [
            (pk, now, now, name, segment, cadence, dumps(sections), dumps(defaults), False)
            for pk, name, segment, cadence, sections, defaults in out.templates
        ],
    )
    section_names = tuple(texts.PLAN_SECTIONS)
    account_plans = Table(
        AccountPlan,
        ("id", "created_at", "updated_at", "account_id", "title", "period_start", "period_end")
        + ("status", "health", "review_cadence", "owner_id", "template_id", "client_key_figures")
        + section_names,
        [
            (pk, db_value(_moment(created, zone)), now, account, title, db_value(start))
            + (db_value(end), status, health, cadence, owner, template)
            + (dumps(sections["client_key_figures"]), *(sections[n] for n in section_names))
            for pk, template, cadence, account, owner, title, start, end, health, sections, created, status in out.plans
        ],
    )
    objectives = Table(
        Objective,
        ("id", "created_at", "updated_at", "plan_id", "title", "metric", "product_line")
        + ("wallet_estimate", "baseline", "target", "current_value", "due_on", "owner_id"),
        [
            (pk, now, now, plan, title[:200], metric, line, _text(wallet), _text(baseline))
            + (_text(target), _text(current), db_value(due), owner)
            for pk, plan, title, metric, line, wallet, baseline, target, current, due, owner in out.objectives
        ],
    )
    actions = Table(
        PlanAction,
        ("id", "created_at", "updated_at", "plan_id", "objective_id", "title", "owner_id")
        + ("due_on", "status", "done_on"),
        [
            (pk, now, now, plan, objective, title, owner, db_value(due), status, db_value(done))
            for pk, plan, objective, title, owner, due, status, done in out.actions
        ],
    )
    risks = Table(
        PlanRisk,
        ("created_at", "updated_at", "plan_id", "kind", "competitor_id", "description")
        + ("likelihood", "impact", "mitigation"),
        [(now, now, *row) for row in out.risks],
    )
    reviews = Table(
        PlanReview,
        ("plan_id", "reviewed_on", "reviewer_id", "health", "comment", "created_at"),
        [
            (plan, db_value(day), who, health, comment, db_value(_moment(day, zone)))
            for plan, day, who, health, comment in out.reviews
        ],
    )
    return [templates, account_plans, objectives, actions, risks, reviews]


def _activity_tables(events, ids: Ids, db_value) -> list[Table]:
    columns = (
        "id", "created_at", "updated_at", "source", "external_id", "account_id", "kind",
        "status", "subject", "starts_at", "ends_at", "location", "objective", "outcome",
        "next_steps", "done_at", "owner_id", "plan_action_id", "created_by_id",
    )  # fmt: skip
    rows, participants = [], []
    for event in sorted(events, key=lambda e: (e.starts_at, e.account.id, e.kind, e.subject)):
        pk = ids("activity")
        ends = event.starts_at + timedelta(minutes=event.minutes) if event.minutes else None
        created = event.starts_at - timedelta(days=3 if event.status == "planned" else 0)
        done = (ends or event.starts_at) if event.status == "done" else None
        rows.append(
            (pk, db_value(created), db_value(done or created), SOURCE, f"A{pk:08d}")
            + (event.account.id, event.kind, event.status, event.subject[:200])
            + (db_value(event.starts_at), db_value(ends), event.location[:200], event.objective)
            + (event.outcome, event.next_steps, db_value(done), event.owner, event.plan_action)
            + (event.owner,)
        )
        participants += [(pk, contact) for contact in dict.fromkeys(event.people)]
    return [
        Table(Activity, columns, rows),
        Table(ActivityContact, ("activity_id", "contact_id"), participants),
    ]


def _moment(day: date, zone=UTC) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=zone)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def delete_workspace(accounts) -> None:
    """Remove what build_workspace wrote for these (demo) accounts, children first."""
    from openkam.demo.contracts import delete_contracts

    delete_contracts(accounts)
    Activity.objects.filter(account__in=accounts).delete()
    AccountPlan.objects.filter(account__in=accounts).delete()
    PlanTemplate.objects.filter(name__in=[t[0] for t in texts.TEMPLATES]).delete()
    AccountCompetitor.objects.filter(account__in=accounts).delete()
    names = [name for name, _ in texts.COMPETITORS]
    Competitor.objects.filter(name__in=names, accounts__isnull=True).delete()
    ContactLink.objects.filter(source__account__in=accounts).delete()
    AttitudeChange.objects.filter(contact__account__in=accounts).delete()
