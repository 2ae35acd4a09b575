"""The KAM home page: this week, overdue actions, coverage, reviews, suggestions, team."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openkam.accounts import services as account_services
from openkam.activities.selectors import monday_of
from openkam.plans.models import AccountPlan, PlanAction
from openkam.workspace.home import kam_home, team_members
from openkam.workspace.tests.factories import add_activity, add_contact, add_plan, at

URL = reverse("home")


@pytest.fixture
def busy(company):
    """A key, owned by `owner`: a meeting this week, an overdue action, a stale plan."""
    a, owner, head, today = company["a"], company["owner"], company["head"], company["today"]
    account_services.account_set_tier(actor=head, account=a, tier="key")
    add_activity(a, owner, at(monday_of(today) + timedelta(days=6)), "Weekly meeting")
    plan = add_plan(a, owner, today, title="Alfa plan", period_start=today - timedelta(days=200))
    AccountPlan.objects.filter(pk=plan.pk).update(created_at=at(today - timedelta(days=200)))
    PlanAction.objects.create(
        plan=plan, title="Send the offer", owner=owner, due_on=today - timedelta(days=3)
    )
    return company


def body(client, user) -> str:
    client.force_login(user)
    return client.get(URL).content.decode()


def test_kam_sees_this_weeks_meeting_with_a_brief_link(client, busy):
    page = body(client, busy["owner"])
    assert "Weekly meeting" in page
    assert f"/accounts/{busy['a'].pk}/brief/?activity=" in page


def test_kam_sees_overdue_plan_actions(client, busy):
    assert "Send the offer" in body(client, busy["owner"])


def test_kam_sees_plans_needing_review(busy):
    home = kam_home(user=busy["owner"], today=busy["today"])
    assert [plan.title for plan in home.plans_to_review.rows] == ["Alfa plan"]


def test_kam_sees_coverage_alerts_of_key_accounts(busy):
    home = kam_home(user=busy["owner"], today=busy["today"])
    assert home.coverage.total >= 1
    assert {alert.account for alert in home.coverage.rows} == {busy["a"]}


def test_kam_sees_accounts_to_contact(company):
    account_services.account_set_tier(actor=company["head"], account=company["a"], tier="key")
    home = kam_home(user=company["owner"], today=company["today"])
    assert [s.account for s in home.suggestions] == [company["a"]]


def test_others_work_stays_out_of_a_kams_cards(client, busy):
    page = body(client, busy["other_kam"])
    assert "Weekly meeting" not in page and "Send the offer" not in page


def test_deputy_sees_the_absent_kams_overdue_actions(busy):
    home = kam_home(user=busy["deputy"], today=busy["today"])
    assert [action.title for action in home.overdue_actions.rows] == ["Send the offer"]


@pytest.mark.parametrize("persona", ["finance", "viewer"])
def test_read_only_roles_get_no_personal_cards(client, busy, persona):
    page = body(client, busy[persona])
    assert 'id="week"' not in page and "Send the offer" not in page


def test_head_sees_the_team_overview(client, busy):
    today = busy["today"]
    add_activity(busy["a"], busy["owner"], at(monday_of(today)), "Done call", status="done")
    home = kam_home(user=busy["head"], today=today)
    row = next(member for member in home.team if member.user == busy["owner"])
    assert (row.key_accounts, row.week_done, row.week_planned) == (1, 1, 1)
    assert (row.overdue_actions, row.plans_to_review) == (1, 1)
    assert 'id="team"' in body(client, busy["head"])


def test_head_of_a_team_sees_only_its_members(company):
    from openkam.users.models import Team

    team = Team.objects.create(name="North", head=company["head"])
    company["owner"].team = team
    company["owner"].save()
    assert team_members(company["head"]) == [company["owner"]]


def test_senior_sees_their_juniors(company):
    assert team_members(company["senior"]) == [company["junior"]]


def test_kam_has_no_team(client, busy):
    assert team_members(busy["owner"]) == []
    assert 'id="team"' not in body(client, busy["owner"])


def _grow(company, n: int, start: int = 0):
    a, owner, today = company["a"], company["owner"], company["today"]
    plan = AccountPlan.objects.get(account=a)
    for i in range(start, start + n):
        add_activity(a, owner, at(monday_of(today) + timedelta(days=i % 7)), f"Meeting {i}")
        add_activity(a, owner, at(today - timedelta(days=10 + i)), f"Stale {i}")
        PlanAction.objects.create(
            plan=plan, title=f"Action {i}", owner=owner, due_on=today - timedelta(days=i + 1)
        )
        add_contact(a, f"Buyer{i}", buying_role="economic_buyer")
        account = account_services.account_create(actor=company["head"], name=f"Key {i}")
        account_services.account_set_tier(actor=company["head"], account=account, tier="key")
        account_services.assignment_start(
            actor=company["head"], account=account, user=owner, starts_on=today
        )
        add_plan(account, owner, today, title=f"Plan {i}", period_start=today - timedelta(days=200))
    AccountPlan.objects.update(created_at=at(today - timedelta(days=200)))


@pytest.mark.parametrize("persona", ["owner", "head"])
def test_query_count_does_not_grow_with_the_work(client, busy, persona):
    client.force_login(busy[persona])
    client.get(URL)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    _grow(busy, 1)  # one row in every card, so every card runs its queries
    small = count()
    _grow(busy, 12, start=1)
    assert count() == small
    assert small <= 30


def test_on_a_sunday_the_coming_weeks_planned_work_is_there(company):
    from datetime import date

    sunday = date(2026, 12, 6)
    a, owner = company["a"], company["owner"]
    add_activity(a, owner, at(sunday - timedelta(days=3)), "Done on Thursday", status="done")
    add_activity(a, owner, at(sunday + timedelta(days=2)), "Visit on Tuesday")
    add_activity(a, owner, at(sunday + timedelta(days=8)), "Too far ahead")
    home = kam_home(user=owner, today=sunday)
    assert [activity.subject for activity in home.week] == ["Done on Thursday", "Visit on Tuesday"]
    assert (home.week_start, home.week_end) == (date(2026, 11, 30), date(2026, 12, 13))


def test_a_deputy_is_told_whose_accounts_they_cover_and_until_when(client, company):
    page = body(client, company["deputy"])  # standing in for `owner` (conftest.py)
    notice = page.split('id="covering"', 1)[1].split("</div>", 1)[0]
    until = (company["today"] + timedelta(days=5)).isoformat()
    assert "You are standing in for Owner" in notice and until in notice
    assert 'id="covering"' not in body(client, company["past_deputy"])
