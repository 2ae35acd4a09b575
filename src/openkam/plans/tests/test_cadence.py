"""Review cadence: a plan nobody reviewed within its month or quarter is flagged, in the
rule, in SQL (plans_needing_review) and on the pages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from openkam.plans import cadence, selectors, services
from openkam.plans.models import AccountPlan
from openkam.plans.tests.factories import make_plan

TODAY = date(2026, 11, 23)


def _age(plan: AccountPlan, days: int) -> AccountPlan:
    """Pretend the plan was written `days` ago (created_at is set on insert)."""
    from datetime import datetime, time

    from django.utils import timezone

    written = timezone.make_aware(datetime.combine(TODAY - timedelta(days=days), time(9)))
    AccountPlan.objects.filter(pk=plan.pk).update(created_at=written)
    plan.refresh_from_db()
    return plan


def _review(company, plan, on: date):
    services.review_record(actor=company["head"], plan=plan, health="on_track", reviewed_on=on)


def _flagged(company, user="head") -> set[str]:
    plans = selectors.plans_needing_review(user=company[user], today=TODAY)
    return {plan.title for plan in plans}


def test_add_months_keeps_inside_short_months():
    assert cadence.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert cadence.add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert cadence.add_months(date(2026, 3, 15), -3) == date(2025, 12, 15)


@pytest.mark.parametrize(
    "cadence_name,reviewed_days_ago,overdue",
    [
        ("monthly", 20, False),
        ("monthly", 40, True),
        ("quarterly", 80, False),
        ("quarterly", 100, True),
    ],
)
def test_last_review_older_than_the_cadence(company, cadence_name, reviewed_days_ago, overdue):
    plan = _age(make_plan(company, "a", title="Cadence", review_cadence=cadence_name), 400)
    _review(company, plan, TODAY - timedelta(days=reviewed_days_ago))
    assert cadence.review_overdue(plan, today=TODAY) is overdue
    assert (_flagged(company) == {"Cadence"}) is overdue


def test_never_reviewed_is_overdue_one_cadence_after_it_started(company):
    fresh = _age(make_plan(company, "a", title="Fresh", review_cadence="monthly"), 10)
    old = _age(make_plan(company, "b", title="Old", review_cadence="monthly"), 45)
    quarter = _age(make_plan(company, "c", title="Quarter", review_cadence="quarterly"), 45)
    assert not cadence.review_overdue(fresh, today=TODAY)
    assert cadence.review_overdue(old, today=TODAY)
    assert not cadence.review_overdue(quarter, today=TODAY)
    assert _flagged(company) == {"Old"}
    # A plan for next year, written long ago, is not due before its period starts + a month.
    future = _age(
        make_plan(
            company,
            "a",
            title="Next year",
            period_start=date(2027, 1, 1),
            period_end=date(2027, 12, 31),
            review_cadence="monthly",
        ),
        100,
    )
    assert not cadence.review_overdue(future, today=TODAY)
    assert "Next year" not in _flagged(company)


def test_closed_plans_are_not_flagged(company):
    plan = _age(make_plan(company, "a", title="Closed", review_cadence="monthly"), 200)
    services.plan_update(actor=company["head"], plan=plan, status="closed")
    assert not cadence.review_overdue(plan, today=TODAY)
    assert _flagged(company) == set()


def test_plans_needing_review_follow_visibility(company):
    _age(make_plan(company, "a", title="On A", review_cadence="monthly"), 100)
    _age(make_plan(company, "b", title="On B", review_cadence="monthly"), 100)
    assert _flagged(company, "owner") == {"On A"}
    assert _flagged(company, "other_kam") == {"On B"}
    assert _flagged(company, "head") == {"On A", "On B"}


def test_sql_rule_and_python_rule_agree(company):
    """Every plan (cadence x review age x plan age) is flagged by both or by neither."""
    keys = ("a", "b", "c", "a1")
    cases = []
    for index, (cadence_name, review_age, plan_age) in enumerate(
        [
            (c, r, p)
            for c in ("monthly", "quarterly")
            for r in (None, 29, 31, 89, 93)
            for p in (20, 95)
        ]
    ):
        plan = make_plan(
            company,
            keys[index % 4],
            title=f"P{index}",
            review_cadence=cadence_name,
            period_start=date(2026, 1, 1) + timedelta(days=index),
            period_end=date(2026, 12, 31),
        )
        plan = _age(plan, plan_age)
        if review_age is not None:
            _review(company, plan, TODAY - timedelta(days=review_age))
        cases.append(plan.pk)
    in_sql = set(
        selectors.plans_needing_review(user=company["head"], today=TODAY).values_list(
            "pk", flat=True
        )
    )
    in_python = {
        plan.pk
        for plan in cadence.with_last_review(AccountPlan.objects.filter(pk__in=cases))
        if cadence.review_overdue(plan, today=TODAY)
    }
    assert in_sql == in_python
    assert 0 < len(in_sql) < len(cases)


def test_plan_page_and_list_show_the_flag(client, company):
    from django.utils import timezone

    today = timezone.localdate()
    plan = make_plan(
        company,
        "a",
        title="Stale plan",
        review_cadence="monthly",
        period_start=date(today.year, 1, 1),
        period_end=date(today.year, 12, 31),
    )
    services.review_record(
        actor=company["head"], plan=plan, health="at_risk", reviewed_on=today - timedelta(days=60)
    )
    client.force_login(company["owner"])
    assert "review of this plan is overdue" in client.get(f"/plans/{plan.pk}/").content.decode()
    listed = client.get("/plans/?needs_review=1").content.decode()
    assert "Stale plan" in listed and "review overdue" in listed
