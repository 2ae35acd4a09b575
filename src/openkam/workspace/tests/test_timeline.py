"""The account timeline: one UNION ALL of its sources, ordered and paged in the database."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openkam.accounts import services as account_services
from openkam.accounts.tests.factories import add_invoice, add_payment
from openkam.workspace.tests.factories import (
    add_activity,
    add_attitude_change,
    add_contact,
    add_plan,
    add_review,
    at,
)
from openkam.workspace.timeline import SOURCES, timeline_page, timeline_queryset


@pytest.fixture
def history(company):
    """One event of every kind on account A, each on its own day (newest: the activity)."""
    a, owner, head, today = company["a"], company["owner"], company["head"], company["today"]
    contact = add_contact(a, "Nowak")
    plan = add_plan(a, owner, today)
    add_activity(a, owner, at(today - timedelta(days=1)), "Quarterly review", outcome="Agreed")
    add_invoice(a, today - timedelta(days=2), [("100.00", "60.00")])
    add_invoice(a, today - timedelta(days=2), [("50.00", "30.00")])
    add_payment(a, today - timedelta(days=3), "120.00")
    add_review(plan, owner, today - timedelta(days=4), "amber", "Slow start")
    add_attitude_change(contact, owner, at(today - timedelta(days=5)), "supporter")
    account_services.account_set_tier(
        actor=head, account=a, tier="key", reason="Top 20", decided_at=at(today - timedelta(days=6))
    )
    return company


def kinds_of(page) -> list[str]:
    return [entry.kind for entry in page.entries]


def test_every_source_shows_newest_first(history):
    page = timeline_page(user=history["owner"], account=history["a"])
    assert kinds_of(page) == [
        "activity",
        "invoices",
        "payments",
        "plan_review",
        "attitude",
        "key_status",
        "assignment_start",
    ]


def test_invoices_are_summed_per_day(history):
    page = timeline_page(user=history["owner"], account=history["a"], kinds=["invoices"])
    (day,) = page.entries
    assert (day.count, day.amount, day.state) == (2, Decimal("150.00"), "PLN")
    assert day.on == history["today"] - timedelta(days=2)


def test_entries_carry_their_details(history):
    entries = {
        e.kind: e for e in timeline_page(user=history["owner"], account=history["a"]).entries
    }
    assert (entries["activity"].title, entries["activity"].note) == ("Quarterly review", "Agreed")
    assert (entries["plan_review"].state, entries["plan_review"].title) == ("amber", "Plan 2026")
    assert entries["attitude"].title == "Nowak"
    assert (entries["key_status"].subtype, entries["key_status"].state) == ("standard", "key")
    assert entries["assignment_start"].actor == history["owner"]
    assert entries["payments"].amount == Decimal("120.00")


def test_filter_by_type_keeps_only_that_type(history):
    page = timeline_page(
        user=history["owner"], account=history["a"], kinds=["payments", "attitudes"]
    )
    assert kinds_of(page) == ["payments", "attitude"]


def test_unknown_filter_means_everything(history):
    page = timeline_page(user=history["owner"], account=history["a"], kinds=["nonsense"])
    assert len(page.entries) == 7


def test_cancelled_activities_are_left_out(company):
    add_activity(company["a"], company["owner"], at(company["today"]), "Off", status="cancelled")
    page = timeline_page(user=company["owner"], account=company["a"], kinds=["activities"])
    assert page.entries == []


def test_assignment_end_is_an_event(company):
    account_services.assignment_end(
        actor=company["head"],
        assignment=company["a"].assignments.get(),
        ends_on=company["today"] - timedelta(days=1),
    )
    page = timeline_page(user=company["head"], account=company["a"], kinds=["assignments"])
    assert kinds_of(page) == ["assignment_end", "assignment_start"]


def test_other_accounts_events_stay_out(company):
    add_activity(company["b"], company["other_kam"], at(company["today"]), "Beta secret")
    page = timeline_page(user=company["head"], account=company["a"])
    assert "Beta secret" not in [entry.title for entry in page.entries]


def _many_events(company, days: int = 30):
    """Events of three kinds on the same days (ties on the same instant included)."""
    a, owner, today = company["a"], company["owner"], company["today"]
    for offset in range(days):
        day = today - timedelta(days=offset)
        add_activity(a, owner, at(day, 0) if offset % 3 == 0 else at(day), f"Call {offset}")
        add_invoice(a, day, [("10.00", "5.00")])
        add_payment(a, day, "10.00")


def test_pages_neither_repeat_nor_skip(company):
    _many_events(company)
    everything = [
        (e.kind, e.object_id)
        for e in timeline_page(user=company["owner"], account=company["a"], per_page=500).entries
    ]
    paged, number = [], 1
    while True:
        page = timeline_page(user=company["owner"], account=company["a"], page=number, per_page=7)
        paged += [(e.kind, e.object_id) for e in page.entries]
        if not page.has_next:
            break
        number += 1
    assert paged == everything
    assert len(set(paged)) == len(paged) == 30 * 3 + 1  # and the owner's assignment


def test_page_is_ordered_newest_first(company):
    _many_events(company, days=10)
    entries = timeline_page(user=company["owner"], account=company["a"]).entries
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)


def test_last_page_has_no_next(company):
    _many_events(company, days=3)
    page = timeline_page(user=company["owner"], account=company["a"], page=2, per_page=5)
    assert (len(page.entries), page.has_next, page.has_previous) == (5, False, True)


def test_page_past_the_end_is_empty(company):
    page = timeline_page(user=company["owner"], account=company["a"], page=99)
    assert (page.entries, page.has_next) == ([], False)


def test_ordering_and_limit_happen_in_sql(company):
    sql = str(timeline_queryset(user=company["owner"], account=company["a"])[:50].query)
    assert "UNION ALL" in sql and "ORDER BY" in sql and "LIMIT" in sql


def test_query_count_does_not_grow_with_data_or_page(company):
    def queries(page: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            timeline_page(user=company["owner"], account=company["a"], page=page, per_page=10)
        return len(captured)

    small = queries(1)
    _many_events(company, days=40)
    assert queries(1) == queries(5) == small == 2  # the rows, then the people named


def test_every_filter_runs_on_its_own(history):
    for kind in SOURCES:
        page = timeline_page(user=history["owner"], account=history["a"], kinds=[kind])
        assert page.entries, kind
