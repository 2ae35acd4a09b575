"""This year's account plan for every key account: sections, SMART objectives on ledger
figures (baselines are last year's figures of the plan's group), actions, risks and a
history of reviews. Pure: facts in, rows out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from openkam.demo.workspace import texts
from openkam.demo.workspace.facts import AccountFacts, Facts

CENTS = Decimal("0.01")
THOUSAND = Decimal("1000")
STALE_SHARE = 0.1  # plans whose reviews fell behind their cadence
MONTHLY_SHARE_STRATEGIC = 0.3
OVERDUE_ACTION_SHARE = 0.04
RECENT_OVERDUE_SHARE = 0.35
RECENT_DAYS = 45


@dataclass
class PlanRows:
    templates: list[tuple] = field(default_factory=list)
    # (id, template, cadence, account, owner, title, start, end, health, sections, created)
    plans: list[tuple] = field(default_factory=list)
    # [id, plan, title, metric, product_line, wallet, baseline, target, current, due, owner]
    objectives: list[list] = field(default_factory=list)
    # (id, plan, objective, title, owner, due, status, done_on)
    actions: list[tuple] = field(default_factory=list)
    risks: list[tuple] = field(
        default_factory=list
    )  # (plan, kind, competitor, text, l, i, mitigation)
    reviews: list[tuple] = field(default_factory=list)  # (plan, day, reviewer, health, comment)


def template_rows(next_id) -> list[tuple]:
    """(id, name, segment, cadence, sections, objectives) for each plan template."""
    defaults = [
        {"title": "Wzrost obrotów r/r", "metric": "revenue", "target_change_pct": 15},
        {"title": "Marża procentowa", "metric": "margin_pct", "target_change_pct": 3},
        {"title": "Nowe linie produktowe", "metric": "product_lines", "target_change_pct": 20},
    ]
    return [
        (next_id("plantemplate"), name, segment, cadence, sections, defaults)
        for name, segment, cadence, sections in texts.TEMPLATES
    ]


def build_plans(
    facts: Facts, rng: np.random.Generator, next_id, competitors, competitor_names
) -> PlanRows:
    """`competitors`: per account id, the (competitor id, lines, share, note) rows there;
    `competitor_names`: competitor id -> name."""
    out = PlanRows(templates=template_rows(next_id))
    by_segment = {row[2]: row for row in out.templates}
    start, end = date(facts.today.year, 1, 1), date(facts.today.year, 12, 31)
    for account in facts.accounts:
        template = by_segment.get(account.segment, by_segment[""])
        cadence = template[3]
        if account.tier == "strategic" and rng.random() < MONTHLY_SHARE_STRATEGIC:
            cadence = "monthly"
        plan = next_id("accountplan")
        created = start + timedelta(days=int(rng.integers(4, 25)))
        objectives = _objectives(facts, rng, next_id, account, plan, end)
        out.objectives += objectives
        out.actions += _actions(facts, rng, next_id, account, plan, objectives, start)
        out.risks += _risks(rng, plan, competitors.get(account.id, []), competitor_names)
        reviews = _reviews(facts, rng, account, plan, cadence, created)
        out.reviews += reviews
        health = reviews[-1][3] if reviews else ""
        title = f"{account.name}: plan na {start.year}"
        out.plans.append(
            (plan, template[0], cadence, account.id, account.owner, title[:200], start, end)
            + (health, _sections(rng, account.revenue_last_year), created, "active")
        )
    return out


def add_previous_year(facts: Facts, rng: np.random.Generator, next_id, out: PlanRows) -> None:
    """Last year's closed plan for each strategic account: its revenue objective read
    against the year before, every action settled, a quarterly review log and a verdict."""
    year = facts.today.year - 1
    start, end = date(year, 1, 1), date(year, 12, 31)
    template_of = {row[3]: row[1] for row in out.plans}
    for account in facts.accounts:
        if account.tier != "strategic" or account.revenue_two_years_ago <= 0:
            continue
        plan = next_id("accountplan")
        base = account.revenue_two_years_ago
        growth = Decimal(int(rng.integers(5, 16)))
        target = _round_thousands(base * (1 + growth / 100))
        out.objectives.append(
            [next_id("objective"), plan, f"Obroty +{growth}% r/r", "revenue", "", None]
            + [base.quantize(CENTS), target, None, end, account.owner]
        )
        reached = account.revenue_last_year / target
        health = (
            "on_track" if reached >= 1 else "at_risk" if reached >= Decimal("0.9") else "off_track"
        )
        for title, _metric in texts.ACTIONS[:3]:
            due = start + timedelta(days=int(rng.integers(30, 330)))
            done = rng.random() < 0.85
            out.actions.append(
                (next_id("planaction"), plan, None, title.format(line="Napoje"), account.owner)
                + (due, "done" if done else "cancelled", due if done else None)
            )
        for quarter in range(1, 5):
            day = date(year, quarter * 3, 1) + timedelta(days=int(rng.integers(20, 40)))
            verdict = health if quarter == 4 else _pick(rng, ("on_track", "on_track", health))
            reviewer = facts.head if quarter == 4 else account.owner
            out.reviews.append(
                (plan, day, reviewer, verdict, _pick(rng, texts.REVIEW_COMMENTS[verdict]))
            )
        created = start + timedelta(days=int(rng.integers(4, 25)))
        title = f"{account.name}: plan na {year}"
        out.plans.append(
            (plan, template_of.get(account.id), "quarterly", account.id, account.owner)
            + (title[:200], start, end, health, _sections(rng, base), created, "closed")
        )


def _sections(rng, year: Decimal) -> dict:
    """Section texts, and key figures with our sales to the client the year before."""
    chosen = {name: _pick(rng, options) for name, options in texts.PLAN_SECTIONS.items()}
    chosen["client_key_figures"] = [
        {"label": "Zakupy u nas w zeszłym roku", "value": f"{_thousands(year)} tys. zł"},
        {"label": "Liczba lokalizacji", "value": str(int(rng.integers(3, 120)))},
        {"label": "Zatrudnienie", "value": f"ok. {int(rng.integers(2, 60)) * 50} osób"},
    ]
    return chosen


def _objectives(facts, rng, next_id, account: AccountFacts, plan: int, end: date) -> list[list]:
    owner = account.owner
    base = account.revenue_last_year
    rows = []

    def add(title, metric, baseline, target, *, line="", wallet=None, current=None):
        rows.append(
            [next_id("objective"), plan, title, metric, line, wallet, baseline, target]
            + [current, end, owner]
        )

    growth = Decimal(int(rng.integers(5, 16)))
    revenue_target = _round_thousands(max(base, THOUSAND * 50) * (1 + growth / 100))
    add(f"Obroty +{growth}% r/r", "revenue", base.quantize(CENTS), revenue_target)
    if base > 0:
        margin = ((base - account.cost_last_year) / base * 100).quantize(CENTS)
        add("Marża procentowa w górę o 1 pkt", "margin_pct", margin, margin + 1)
    lines_bought = len(account.lines_last_year)
    missing = [ln for ln in facts.product_lines if ln not in dict(account.lines_last_year)]
    if missing and rng.random() < 0.7:
        target: int | Decimal = min(
            len(facts.product_lines), lines_bought + int(rng.integers(1, 3))
        )
        add(
            "Więcej linii produktowych u klienta",
            "product_lines",
            Decimal(lines_bought),
            Decimal(target),
        )
    weak = list(account.lines_last_year[-3:])
    if not weak and missing:
        weak = [(missing[0], Decimal(0))]
    if weak:
        line, revenue = weak[int(rng.integers(len(weak)))]
        target = _round_thousands(max(revenue * 2, THOUSAND * 20))
        add(f"Rozwój kategorii: {line}", "line_revenue", revenue.quantize(CENTS), target, line=line)
    if base > 0 and rng.random() < 0.6:
        share = Decimal(int(rng.integers(25, 61)))
        wallet = _round_thousands(base * 100 / share)
        add("Udział w wydatkach klienta", "share_of_wallet", share, share + 8, wallet=wallet)
    if rng.random() < 0.8:  # the target is set from the activities once they exist
        add("Regularne spotkania i rozmowy z klientem", "meetings", None, Decimal(0))
    if account.tier == "strategic" or rng.random() < 0.3:
        done = Decimal(1) if rng.random() < 0.3 else Decimal(0)
        add(
            "Umowa ramowa na kolejne 3 lata podpisana",
            "manual",
            Decimal(0),
            Decimal(1),
            current=done,
        )
    return rows


def _actions(facts, rng, next_id, account, plan: int, objectives: list[list], start: date):
    today, rows = facts.today, []
    by_metric = {row[3]: row for row in objectives}
    lines = [ln for ln, _ in account.lines_last_year] or list(facts.product_lines)
    count = int(rng.integers(4, 8))
    picks = rng.choice(len(texts.ACTIONS), size=min(count, len(texts.ACTIONS)), replace=False)
    for index in sorted(int(i) for i in picks):
        title, metric = texts.ACTIONS[index]
        objective = by_metric.get(metric)
        line = objective[4] if objective and objective[4] else _pick(rng, lines)
        due = start + timedelta(days=int(rng.integers(30, 364)))
        status, done_on = "open", None
        if due < today:
            # Mostly recent slips; an old forgotten action now and then.
            recent = (today - due).days <= RECENT_DAYS
            if rng.random() < (RECENT_OVERDUE_SHARE if recent else OVERDUE_ACTION_SHARE):
                status = "in_progress" if rng.random() < 0.5 else "open"
            else:
                status, done_on = (
                    "done",
                    min(today, due + timedelta(days=int(rng.integers(-10, 6)))),
                )
        elif rng.random() < 0.4:
            status = "in_progress"
        owner = account.owner
        if account.helpers and rng.random() < 0.25:
            owner = account.helpers[int(rng.integers(len(account.helpers)))]
        rows.append(
            (next_id("planaction"), plan, objective[0] if objective else None)
            + (title.format(line=line)[:200], owner, due, status, done_on)
        )
    return rows


def _risks(rng, plan: int, competitors: list[tuple], competitor_names) -> list[tuple]:
    rows = []
    if competitors:
        competitor, lines, _share, _note = competitors[0]
        text, mitigation = _pick(rng, texts.COMPETITOR_THREATS)
        name = competitor_names[competitor]
        line = lines.split(", ")[0]
        rows.append(
            (plan, "competitor", competitor, text.format(competitor=name, line=line))
            + (int(rng.integers(2, 4)), int(rng.integers(2, 4)), mitigation.format(line=line))
        )
    for index in sorted(
        int(i) for i in rng.choice(len(texts.RISKS), size=int(rng.integers(1, 3)), replace=False)
    ):
        text, mitigation = texts.RISKS[index]
        rows.append(
            (plan, "risk", None, text, int(rng.integers(1, 4)), int(rng.integers(1, 4)), mitigation)
        )
    return rows


def _reviews(facts, rng, account: AccountFacts, plan: int, cadence: str, created: date):
    """Reviews one cadence apart since the plan was written; a few plans fell behind."""
    step = 30 if cadence == "monthly" else 91
    today = facts.today
    last = today - timedelta(days=int(rng.integers(3, step - 5)))
    if rng.random() < STALE_SHARE:
        last -= timedelta(days=step + int(rng.integers(10, 40)))
    days: list[date] = []
    day = last
    while day > created:
        days.insert(0, day)
        day -= timedelta(days=step)
    health = _health(facts, account)
    rows = []
    for k, day in enumerate(days):
        verdict = health if k == len(days) - 1 else _pick(rng, ("on_track", "on_track", health))
        head_turn = account.tier == "strategic" and k % 2 == 1 or k == len(days) - 2
        reviewer = facts.head if head_turn else account.owner
        rows.append((plan, day, reviewer, verdict, _pick(rng, texts.REVIEW_COMMENTS[verdict])))
    return rows


def _health(facts: Facts, account: AccountFacts) -> str:
    """From this year's revenue against last year's, pro rata to today."""
    if account.revenue_last_year <= 0:
        return "on_track"
    elapsed = Decimal((facts.today - date(facts.today.year, 1, 1)).days + 1) / Decimal(365)
    pace = account.revenue_this_year / (account.revenue_last_year * elapsed)
    if pace >= Decimal("1.05"):
        return "on_track"
    return "at_risk" if pace >= Decimal("0.9") else "off_track"


def set_meeting_targets(
    objectives: list[list], held_so_far: dict[int, int], year_share: float, rng
) -> None:
    """A meetings objective aims near the year's pace of meetings, visits and calls held
    so far (`year_share`: the part of the year gone), some above it, some below."""
    for row in objectives:
        if row[3] == "meetings":
            pace = held_so_far.get(row[1], 0) / max(year_share, 0.05)
            row[7] = Decimal(max(6, int(pace * rng.uniform(0.9, 1.25))))


def _pick(rng, options):
    return options[int(rng.integers(len(options)))]


def _round_thousands(value: Decimal) -> Decimal:
    return (value / THOUSAND).quantize(Decimal(1), rounding=ROUND_HALF_UP) * THOUSAND


def _thousands(value: Decimal) -> str:
    return f"{int(value / THOUSAND):,}".replace(",", " ")
