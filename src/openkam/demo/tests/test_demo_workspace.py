"""The demo's account workspace: plans, stakeholder maps and a year of activities for
every key account, built once at a small scale after the company itself."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from openkam.accounts.models import Account, Tier
from openkam.activities.models import Activity, ActivityContact, ActivityStatus
from openkam.activities.selectors import (
    contact_suggestions,
    overdue_activities,
    week_activities,
)
from openkam.demo.build import build_demo
from openkam.demo.reset import delete_demo
from openkam.demo.workspace.build import build_workspace, generate
from openkam.demo.workspace.facts import read_facts
from openkam.plans import baselines
from openkam.plans.models import AccountPlan, Objective, PlanAction, PlanReview, PlanTemplate
from openkam.stakeholders.coverage import coverage_alerts
from openkam.stakeholders.models import AttitudeChange, Contact, ContactLink
from openkam.users.models import User
from openkam.workspace.models import AccountCompetitor, Competitor

TODAY = date(2026, 11, 23)  # a Monday
SEED = 11
KEY_TIERS = (Tier.KEY, Tier.STRATEGIC)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        build_demo(lines=20_000, accounts=300, seed=SEED, today=TODAY)
        counts = build_workspace(today=TODAY, seed=SEED)
        yield counts
        delete_demo()


def key_accounts():
    return Account.objects.filter(source="demo", tier__in=KEY_TIERS)


def kams_with_key_accounts():
    owners = (
        key_accounts()
        .filter(assignments__role="owner", assignments__ends_on__isnull=True)
        .values("assignments__user")
    )
    return User.objects.filter(pk__in=owners).order_by("pk")


def test_every_key_account_has_this_years_plan_with_objectives(demo):
    accounts = list(key_accounts())
    assert len(accounts) >= 40
    for account in accounts:
        plan = AccountPlan.objects.get(account=account, period_start=date(2026, 1, 1))
        assert plan.status == "active" and plan.health and plan.template_id
        metrics = set(plan.objectives.values_list("metric", flat=True))
        assert "revenue" in metrics and len(metrics) >= 2, account.name


def test_revenue_baselines_are_last_years_ledger_revenue(demo):
    objectives = Objective.objects.filter(metric="revenue", plan__status="active")
    objectives = objectives.select_related("plan").order_by("pk")[:15]
    for objective in objectives:
        ledger = baselines.previous_period_value(plan=objective.plan, metric="revenue")
        assert objective.baseline is not None and ledger is not None
        assert abs(objective.baseline - ledger) <= 1, objective.plan.title
        assert objective.target > objective.baseline


def test_plans_come_from_segment_templates_with_both_cadences(demo):
    assert PlanTemplate.objects.count() == 3
    cadences = Counter(AccountPlan.objects.values_list("review_cadence", flat=True))
    assert cadences["monthly"] > 0 and cadences["quarterly"] > 0
    assert PlanReview.objects.filter(reviewer__username="head").exists()


def test_strategic_accounts_keep_last_years_closed_plan(demo):
    closed = AccountPlan.objects.filter(status="closed", period_start=date(2025, 1, 1))
    assert closed.exists()
    assert set(closed.values_list("account__tier", flat=True)) == {Tier.STRATEGIC}
    assert not PlanAction.objects.filter(plan__in=closed, status__in=["open", "in_progress"])
    assert all(plan.health and plan.reviews.exists() for plan in closed)


def test_some_actions_are_done_and_some_overdue(demo):
    actions = PlanAction.objects.filter(plan__account__source="demo")
    assert actions.filter(status="done", done_on__isnull=False).exists()
    assert actions.filter(status__in=["open", "in_progress"], due_on__lt=TODAY).exists()


def test_competitors_sit_at_key_accounts(demo):
    assert 8 <= Competitor.objects.count() <= 12
    assert AccountCompetitor.objects.filter(account__in=key_accounts()).count() >= len(
        key_accounts()
    )


def test_every_key_account_maps_its_buying_centre(demo):
    for account in key_accounts():
        roles = set(Contact.objects.filter(account=account).values_list("buying_role", flat=True))
        assert {"decision_maker", "economic_buyer", "gatekeeper"} <= roles, account.name
        assert ContactLink.objects.filter(source__account=account, kind="reports_to").exists()
    kinds = set(ContactLink.objects.values_list("kind", flat=True))
    assert kinds == {"reports_to", "influences", "allied_with", "rival_of"}
    assert Contact.objects.filter(account__in=key_accounts(), left_on__isnull=False).exists()


def test_a_sample_of_standard_accounts_has_roles_too(demo):
    standard = Contact.objects.filter(account__tier=Tier.STANDARD).exclude(buying_role="")
    assert standard.exists()


def test_the_current_attitude_is_the_latest_change(demo):
    contacts = Contact.objects.filter(attitude_changes__isnull=False).distinct()[:50]
    assert contacts
    for contact in contacts:
        latest = contact.attitude_changes.order_by("-changed_at", "-id").first()
        assert latest.attitude == contact.attitude, contact


def test_new_people_have_polish_emails_and_phones(demo):
    added = Contact.objects.filter(
        source="demo", external_id__startswith="W", account__country="PL"
    )
    assert added.exists()
    for contact in added[:30]:
        local, domain = contact.email.split("@")
        assert local[1] == "." and domain.endswith(".pl")
        assert contact.phone.startswith("+48 ")


def test_every_key_account_was_worked_in_the_last_year(demo):
    year_ago = TODAY - timedelta(days=365)
    for account in key_accounts():
        done = Activity.objects.filter(
            account=account, status=ActivityStatus.DONE, starts_at__date__gte=year_ago
        )
        assert done.filter(kind__in=["visit", "meeting"]).count() >= 5, account.name
    assert ActivityContact.objects.count() > Activity.objects.count() / 2


def test_each_kam_has_this_week_planned_and_something_overdue(demo):
    for kam in kams_with_key_accounts():
        week = week_activities(user=kam, week_start=TODAY).filter(status="planned")
        assert week.filter(kind__in=["meeting", "visit", "call"]).count() >= 2, kam.username
        assert overdue_activities(user=kam, today=TODAY).exists(), kam.username


def test_nothing_is_done_in_the_future(demo):
    tomorrow = TODAY + timedelta(days=1)
    assert not Activity.objects.filter(status="done", starts_at__date__gte=tomorrow).exists()


def test_coverage_gaps_are_left_for_the_alerts(demo):
    kinds = Counter(
        alert.kind for alert in coverage_alerts(user=User.objects.get(username="head"), today=TODAY)
    )
    assert kinds["economic_buyer_silent"] >= 1
    assert kinds["champion_quiet"] >= 1
    silent = [
        a
        for a in coverage_alerts(user=User.objects.get(username="head"), today=TODAY)
        if a.kind == "economic_buyer_silent"
    ]
    assert max(a.days or 999 for a in silent) >= 74


def test_an_account_gone_quiet_tops_its_kams_contact_suggestions(demo):
    quiet = [
        suggestion
        for kam in kams_with_key_accounts()
        for suggestion in contact_suggestions(user=kam, today=TODAY, limit=1)
        if suggestion.days_since is not None and suggestion.days_since >= 45
    ]
    assert quiet


def digest(seed: int) -> str:
    facts = read_facts(today=TODAY, seed=seed, offsets={})
    generated = generate(facts)
    hasher = hashlib.sha256(repr(generated.contact_updates).encode())
    for table in generated.tables:
        hasher.update(table.model._meta.label.encode())
        for row in table.rows:
            hasher.update(repr(row).encode())
    return hasher.hexdigest()


def test_the_same_seed_gives_the_same_workspace(demo):
    assert digest(SEED) == digest(SEED)
    assert digest(SEED) != digest(SEED + 1)


def test_delete_demo_removes_the_workspace(demo):
    # Inside this test's transaction: rolled back afterwards for the other tests.
    delete_demo()
    for model in (AccountPlan, Activity, ContactLink, AttitudeChange, AccountCompetitor):
        assert not model.objects.exists(), model.__name__


def test_kam_demo_builds_the_workspace_too(demo):
    delete_demo()
    out = StringIO()
    call_command("demo", stdout=out, no_serve=True, lines=2_000, accounts=60, today=TODAY)
    assert "plans, stakeholder maps" in out.getvalue()
    assert AccountPlan.objects.exists() and Activity.objects.exists()


def test_kam_demo_fills_in_the_workspace_of_an_older_demo_database(demo):
    delete_demo()
    build_demo(lines=1_000, accounts=40, seed=SEED)  # the company alone, as older builds left it
    assert not AccountPlan.objects.exists()
    out = StringIO()
    call_command("demo", stdout=out, no_serve=True)
    assert "already" in out.getvalue()
    assert AccountPlan.objects.exists() and Activity.objects.exists()
