"""Objective progress read from real invoice lines and activities."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from openkam.accounts.tests.factories import add_invoice
from openkam.ledger.models import InvoiceLine, Product
from openkam.plans import services
from openkam.plans.progress import objective_progress
from openkam.plans.tests.factories import YEAR_END, make_plan

TODAY = date(2026, 7, 2)  # half of the year 2026 has passed


def _objective(company, plan, metric, target, **fields):
    return services.objective_create(
        actor=company["head"],
        plan=plan,
        title=f"{metric} objective",
        metric=metric,
        target=Decimal(target),
        due_on=fields.pop("due_on", YEAR_END),
        **fields,
    )


def _line_product(sku: str, line: str) -> Product:
    return Product.objects.create(source="test", sku=sku, name=sku, product_line=line)


def _relabel_lines(invoice, product: Product) -> None:
    InvoiceLine.objects.filter(invoice=invoice).update(product=product)


@pytest.fixture
def ledger(company):
    """A: 1,000 net / 600 cost in March 2026 (line Paints), 500/400 in May (line Tools);
    A1 (subsidiary) 2,000/1,000 in June; B 9,999 in March; A 7,000 in 2025 (before)."""
    paints, tools = _line_product("PA-1", "Paints"), _line_product("TO-1", "Tools")
    a, a1, b = company["a"], company["a1"], company["b"]
    _relabel_lines(add_invoice(a, date(2026, 3, 10), [("1000.00", "600.00")]), paints)
    _relabel_lines(add_invoice(a, date(2026, 5, 10), [("500.00", "400.00")]), tools)
    _relabel_lines(add_invoice(a1, date(2026, 6, 10), [("2000.00", "1000.00")]), paints)
    add_invoice(b, date(2026, 3, 10), [("9999.00", "1.00")])
    add_invoice(a, date(2025, 6, 10), [("7000.00", "0.00")])
    add_invoice(a, date(2026, 8, 10), [("123.00", "0.00")])  # after TODAY: not yet counted
    return company


def test_group_plan_reads_revenue_margin_and_lines_from_the_ledger(
    ledger, django_assert_num_queries
):
    plan = make_plan(ledger, "a")
    objectives = [
        _objective(ledger, plan, "revenue", "7000", baseline=Decimal("6000")),
        _objective(ledger, plan, "margin", "3000"),
        _objective(ledger, plan, "margin_pct", "50", baseline=Decimal("40")),
        _objective(ledger, plan, "line_revenue", "4000", product_line="Paints"),
        _objective(ledger, plan, "product_lines", "3", baseline=Decimal("1")),
        _objective(ledger, plan, "share_of_wallet", "20", wallet_estimate=Decimal("35000")),
    ]
    with django_assert_num_queries(3):  # plans + group members, invoice lines, (no activities)
        progress = objective_progress(objectives, today=TODAY)
    revenue, margin, margin_pct, line, lines, wallet = (progress[o.pk] for o in objectives)
    # A + subsidiary A1 in 2026 up to TODAY; B, 2025 and August are outside.
    assert revenue.current == Decimal("3500.00")
    assert revenue.source == "ledger"
    assert revenue.fraction == Decimal("0.5000")
    assert revenue.on_track is True  # half-way at half-time
    assert margin.current == Decimal("1500.00")
    assert margin_pct.current == Decimal("42.86")
    assert margin_pct.fraction == Decimal("0.2860")
    assert margin_pct.on_track is False  # 29% of the way, 50% of the time
    assert line.current == Decimal("3000.00")
    assert lines.current == 2
    assert lines.fraction == Decimal("0.5000")
    assert wallet.current == Decimal("10.00")


def test_subsidiary_plan_measures_that_entity_only(ledger):
    plan = make_plan(ledger, "a1")
    objective = _objective(ledger, plan, "revenue", "4000")
    progress = objective_progress([objective], today=TODAY)[objective.pk]
    assert progress.current == Decimal("2000.00")
    assert progress.on_track is True  # 50% of the way, 50% of the time


def test_window_ends_at_the_due_date(ledger):
    plan = make_plan(ledger, "a")
    objective = _objective(ledger, plan, "revenue", "1000", due_on=date(2026, 4, 30))
    progress = objective_progress([objective], today=TODAY)[objective.pk]
    assert progress.current == Decimal("1000.00")
    assert progress.window_end == date(2026, 4, 30)
    assert progress.expected == 1
    assert progress.on_track is True


def test_manual_objective_uses_the_entered_value(company):
    plan = make_plan(company, "a")
    empty = _objective(company, plan, "manual", "10", baseline=Decimal("0"))
    entered = _objective(
        company, plan, "manual", "10", baseline=Decimal("0"), current_value=Decimal("2")
    )
    progress = objective_progress([empty, entered], today=TODAY)
    assert progress[empty.pk].current is None
    assert progress[empty.pk].on_track is None
    assert progress[entered.pk].source == "manual"
    assert progress[entered.pk].percent == 20
    assert progress[entered.pk].on_track is False


def test_meetings_held_counts_done_meetings_in_the_window(company):
    from openkam.activities.models import Activity

    plan = make_plan(company, "a")
    objective = _objective(company, plan, "meetings", "4")

    def activity(kind, status, starts, done=None, account="a"):
        Activity.objects.create(
            account=company[account],
            kind=kind,
            status=status,
            subject=f"{kind} {status}",
            starts_at=timezone.make_aware(starts),
            done_at=timezone.make_aware(done) if done else None,
            owner=company["owner"],
        )

    activity("meeting", "done", datetime(2026, 2, 1, 10))
    activity("visit", "done", datetime(2026, 3, 1, 10), done=datetime(2026, 3, 1, 12))
    activity("call", "done", datetime(2026, 3, 2, 10), account="a1")  # the group counts
    activity("email", "done", datetime(2026, 3, 3, 10))  # not a meeting
    activity("meeting", "planned", datetime(2026, 4, 1, 10))  # not held yet
    activity("meeting", "done", datetime(2026, 4, 2, 10), account="b")  # another account
    activity("meeting", "done", datetime(2025, 12, 2, 10))  # before the plan
    progress = objective_progress([objective], today=TODAY)[objective.pk]
    assert progress.source == "activities"
    assert progress.current == 3
    # Logging a planned meeting as done counts it on the day it was logged.
    planned = company["a"].activities.get(status="planned")
    planned.status, planned.done_at = "done", timezone.make_aware(datetime(2026, 7, 1, 9))
    planned.save()
    assert objective_progress([objective], today=TODAY)[objective.pk].current == 4
    assert objective_progress([objective], today=TODAY)[objective.pk].on_track is True


def test_no_objectives_no_queries(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert objective_progress([], today=TODAY) == {}


def test_aggregates_agree_with_a_sum_in_python_over_many_lines(company):
    """Seeded random ledger over A, A1, B and C with several product lines; every objective
    of two plans at once, in three queries, equals the same figure summed line by line."""
    import random

    rng = random.Random(4)
    products = [_line_product(f"R-{line}", line) for line in ("Paints", "Tools", "Glue", "")]
    rows = []
    for number in range(60):
        key = rng.choice(["a", "a1", "b", "c"])
        day = date(2025, 11, 1) + timedelta(days=rng.randrange(0, 420))
        net = Decimal(rng.randrange(-20000, 90000)) / 100
        cost = Decimal(rng.randrange(0, 50000)) / 100
        invoice = add_invoice(company[key], day, [(str(net), str(cost))], number=f"R{number}")
        product = rng.choice(products)
        _relabel_lines(invoice, product)
        rows.append((key, day, net, cost, product.product_line))
    plan_a, plan_c = make_plan(company, "a"), make_plan(company, "c")
    due = date(2026, 9, 30)
    specs = [
        ("revenue", ""),
        ("margin", ""),
        ("margin_pct", ""),
        ("line_revenue", "Paints"),
        ("product_lines", ""),
        ("share_of_wallet", ""),
    ]
    objectives = [
        _objective(
            company,
            plan,
            metric,
            "1000",
            product_line=line,
            due_on=due,
            wallet_estimate=Decimal("100000") if metric == "share_of_wallet" else None,
        )
        for plan in (plan_a, plan_c)
        for metric, line in specs
    ]
    progress = objective_progress(objectives, today=TODAY)
    for objective in objectives:
        keys = {"a", "a1"} if objective.plan_id == plan_a.pk else {"c"}
        window = [r for r in rows if r[0] in keys and date(2026, 1, 1) <= r[1] <= TODAY]
        revenue = sum((r[2] for r in window), Decimal(0))
        margin = revenue - sum((r[3] for r in window), Decimal(0))
        expected = {
            "revenue": revenue,
            "margin": margin,
            "margin_pct": (margin / revenue * 100).quantize(Decimal("0.01")) if revenue else None,
            "line_revenue": sum((r[2] for r in window if r[4] == "Paints"), Decimal(0)),
            "product_lines": Decimal(len({r[4] for r in window if r[2] > 0 and r[4]})),
            "share_of_wallet": (revenue / 1000).quantize(Decimal("0.01")),
        }[objective.metric]
        assert progress[objective.pk].current == expected, objective.metric
