"""The planner's reads: the week, what is overdue, whom to contact, counts."""

from __future__ import annotations

from openkam.accounts.services import account_set_tier
from openkam.activities import selectors, services
from openkam.activities.models import ActivityKind
from openkam.activities.tests.factories import at, days, meeting


def _key(company, *keys):
    for key in keys:
        account_set_tier(actor=company["head"], account=company[key], tier="key")


def test_week_holds_own_planned_and_done_not_cancelled_nor_other_weeks(company):
    monday = selectors.monday_of(company["today"])
    kept = meeting(company, "a", "Monday visit", monday, kind=ActivityKind.VISIT)
    done = meeting(company, "a", "Sunday call", monday + days(6), kind=ActivityKind.CALL)
    services.activity_complete(actor=None, activity=done, outcome="ok")
    gone = meeting(company, "a", "Cancelled", monday + days(1))
    services.activity_cancel(actor=None, activity=gone)
    meeting(company, "a", "Next week", monday + days(7))
    meeting(company, "a", "Someone else's", monday, owner=company["deputy"])
    meeting(company, "a", "A note", monday, kind=ActivityKind.NOTE)
    week = list(selectors.week_activities(user=company["owner"], week_start=monday))
    assert week == [kept, done]


def test_week_follows_visibility(company):
    monday = selectors.monday_of(company["today"])
    # The owner once worked B; today B is not theirs, so their old meeting there is hidden.
    meeting(company, "b", "Hidden", monday, owner=company["owner"])
    assert list(selectors.week_activities(user=company["owner"], week_start=monday)) == []


def test_overdue_is_planned_and_before_today(company):
    today = company["today"]
    late = meeting(company, "a", "Forgotten", today - days(3))
    done = meeting(company, "a", "Logged", today - days(2))
    services.activity_complete(actor=None, activity=done, outcome="ok")
    meeting(company, "a", "Today", today)
    assert list(selectors.overdue_activities(user=company["owner"], today=today)) == [late]


def test_suggestions_order_never_contacted_first_then_longest_silence(company):
    today = company["today"]
    _key(company, "a", "a1", "b", "c")
    old = meeting(company, "a", "Old", today - days(40), kind=ActivityKind.CALL)
    services.activity_complete(actor=None, activity=old, outcome="ok")
    # A planned-but-not-held meeting in the past is not contact.
    meeting(company, "a1", "Never held", today - days(5))
    recent = meeting(company, "a1", "Recent", today - days(10), kind=ActivityKind.VISIT)
    services.activity_complete(actor=None, activity=recent, outcome="ok")
    # A note is not a conversation with the customer.
    note = meeting(company, "a", "Note", today - days(1), kind=ActivityKind.NOTE)
    services.activity_complete(actor=None, activity=note, outcome="ok")

    head = selectors.contact_suggestions(user=company["head"], today=today)
    assert [(s.account.external_id, s.days_since) for s in head] == [
        ("B", None),
        ("C", None),
        ("A", 40),
        ("A1", 10),
    ]
    # The owner works A only (A1 is seen through the group but not assigned).
    owner = selectors.contact_suggestions(user=company["owner"], today=today)
    assert [(s.account.external_id, s.days_since) for s in owner] == [("A", 40)]
    assert owner[0].last_contact_on == today - days(40)
    # The deputy stands in for the owner this week; the past deputy no longer does.
    deputy = selectors.contact_suggestions(user=company["deputy"], today=today)
    assert [s.account.external_id for s in deputy] == ["A"]
    assert selectors.contact_suggestions(user=company["past_deputy"], today=today) == []
    # The senior works the junior's account C.
    assert [s.account.external_id for s in
            selectors.contact_suggestions(user=company["senior"], today=today)] == ["C"]  # fmt: skip


def test_suggestions_skip_standard_tier_and_accounts_with_contact_planned(company):
    today = company["today"]
    _key(company, "a", "b")
    meeting(company, "b", "Booked", today + days(3))
    found = selectors.contact_suggestions(user=company["head"], today=today)
    assert [s.account.external_id for s in found] == ["A"]
    assert len(selectors.contact_suggestions(user=company["head"], today=today, limit=0)) == 0


def test_week_counts_count_held_conversations_per_week(company):
    monday = selectors.monday_of(company["today"])
    for day, kind in [
        (monday, ActivityKind.MEETING),
        (monday + days(2), ActivityKind.CALL),
        (monday - days(7), ActivityKind.VISIT),
        (monday - days(6), ActivityKind.TASK),  # not a conversation
    ]:
        done = meeting(company, "a", "x", day, kind=kind)
        services.activity_complete(actor=None, activity=done, outcome="ok")
    meeting(company, "a", "planned", monday + days(1))
    counts = selectors.week_counts(user=company["owner"], week_start=monday, weeks=3)
    assert counts == [(monday - days(14), 0), (monday - days(7), 1), (monday, 2)]


def test_account_activities_filter_by_kind_and_status(company):
    visit = meeting(company, "a", "Visit", company["today"], kind=ActivityKind.VISIT)
    call = meeting(company, "a", "Call", company["today"] - days(1), kind=ActivityKind.CALL)
    services.activity_complete(actor=None, activity=call, outcome="ok")
    meeting(company, "b", "Elsewhere", company["today"])
    user, account = company["owner"], company["a"]
    assert list(selectors.account_activities(user=user, account=account)) == [visit, call]
    assert list(selectors.account_activities(user=user, account=account, kind="call")) == [call]
    assert list(selectors.account_activities(user=user, account=account, status="planned")) == [
        visit
    ]


def test_activity_list_filters_by_inclusive_day_range(company):
    today = company["today"]
    first = meeting(company, "a", "First", today)
    second = meeting(company, "a", "Second", today + days(1))
    meeting(company, "a", "Third", today + days(2))
    found = selectors.activity_list(
        user=company["owner"], starts_from=today, starts_to=today + days(1)
    )
    assert list(found) == [second, first]
    assert (
        list(selectors.activity_list(user=company["other_kam"], account_id=company["a"].pk)) == []
    )


def test_day_start_is_local_midnight(company):
    start = selectors.day_start(company["today"])
    assert start == at(company["today"], 0)
