"""Ending a deputyship removes all access from that day on, and a deputyship is history: it
is ended (audited), never deleted, on the page and in the back office alike."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from openkam.accounts.access import account_visibility_q
from openkam.accounts.models import Account
from openkam.core.models import AuditEntry
from openkam.users import services
from openkam.users.models import Deputy


def sees_a(company, on) -> bool:
    rule = account_visibility_q(company["other_kam"], on=on)
    return Account.objects.filter(rule).filter(pk=company["a"].pk).exists()


def name_deputy(company, starts_in: int, days: int) -> Deputy:
    today = company["today"]
    return services.deputy_create(
        actor=company["owner"],
        principal=company["owner"],
        deputy=company["other_kam"],
        starts_on=today + timedelta(days=starts_in),
        ends_on=today + timedelta(days=starts_in + days),
    )


def every_day(company, row: Deputy) -> list:
    span = (row.ends_on - company["today"]).days + 10
    return [company["today"] + timedelta(days=n) for n in range(-3, span)]


def test_ending_a_future_deputyship_cancels_it_without_a_day_of_access(company):
    row = name_deputy(company, starts_in=3, days=4)
    planned = [day for day in every_day(company, row) if sees_a(company, day)]
    assert len(planned) == 5
    services.deputy_end(actor=company["owner"], row=row, on=company["today"])
    row.refresh_from_db()
    assert [day for day in every_day(company, row) if sees_a(company, day)] == []
    assert row.was_cancelled and row.ended_on == company["today"]
    assert Deputy.objects.filter(pk=row.pk).exists()  # kept as history


def test_ending_one_that_starts_today_leaves_no_access_today(company):
    row = name_deputy(company, starts_in=0, days=2)
    assert sees_a(company, company["today"])
    services.deputy_end(actor=company["owner"], row=row, on=company["today"])
    assert [day for day in every_day(company, row) if sees_a(company, day)] == []


def test_ending_a_running_deputyship_stops_access_at_once_and_keeps_the_past(company):
    row = name_deputy(company, starts_in=-2, days=6)
    today = company["today"]
    services.deputy_end(actor=company["owner"], row=row, on=today)
    row.refresh_from_db()
    assert (row.ends_on, row.ended_on) == (today - timedelta(days=1), today)
    assert not row.was_cancelled
    assert sees_a(company, today - timedelta(days=1))  # what happened, stays
    assert [day for day in every_day(company, row) if day >= today and sees_a(company, day)] == []


def test_ending_is_audited_with_the_dates_it_had(company):
    row = name_deputy(company, starts_in=3, days=4)
    planned_end = row.ends_on
    services.deputy_end(actor=company["owner"], row=row, on=company["today"])
    entry = AuditEntry.objects.get(model="users.Deputy", object_id=str(row.pk), action="update")
    assert entry.actor == company["owner"]
    assert entry.changes["ended_on"] == [None, company["today"].isoformat()]
    assert entry.changes["ends_on"][0] == planned_end.isoformat()


def test_ending_a_finished_deputyship_changes_nothing(company):
    row = Deputy.objects.get(deputy=company["past_deputy"])
    before = (row.starts_on, row.ends_on)
    services.deputy_end(actor=company["owner"], row=row, on=company["today"])
    row.refresh_from_db()
    assert (row.starts_on, row.ends_on, row.ended_on) == (*before, None)
    assert not AuditEntry.objects.filter(model="users.Deputy", action="update").exists()


def test_ending_twice_changes_nothing_more(company):
    row = name_deputy(company, starts_in=3, days=4)
    services.deputy_end(actor=company["owner"], row=row, on=company["today"])
    services.deputy_end(actor=company["owner"], row=row, on=company["today"] + timedelta(days=1))
    row.refresh_from_db()
    assert row.ended_on == company["today"]
    assert AuditEntry.objects.filter(model="users.Deputy", action="update").count() == 1


def test_the_page_cancels_a_future_deputyship(client, company):
    row = name_deputy(company, starts_in=3, days=4)
    client.force_login(company["owner"])
    page = client.get(reverse("users:deputies")).content.decode()
    assert reverse("users:deputy_end", args=[row.pk]) in page
    response = client.post(reverse("users:deputy_end", args=[row.pk]))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.was_cancelled
    page = client.get(reverse("users:deputies")).content.decode()
    assert reverse("users:deputy_end", args=[row.pk]) not in page  # nothing left to end
    assert "cancelled" in page


# --- the back office ------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, company):
    client.force_login(company["admin"])
    return client


def test_the_back_office_cannot_delete_a_deputyship(admin_client, company):
    row = Deputy.objects.get(deputy=company["deputy"])
    delete = reverse("admin:users_deputy_delete", args=[row.pk])
    assert admin_client.get(delete).status_code == 403
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:users_deputy_changelist")
    response = admin_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"}
    )
    assert response.status_code in (200, 302)
    assert Deputy.objects.filter(pk=row.pk).exists()


def test_the_back_office_ends_deputyships_through_the_service(admin_client, company):
    row = Deputy.objects.get(deputy=company["deputy"])
    response = admin_client.post(
        reverse("admin:users_deputy_changelist"),
        {"action": "end_now", "_selected_action": [row.pk]},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.ended_on == company["today"]
    entry = AuditEntry.objects.get(model="users.Deputy", object_id=str(row.pk), action="update")
    assert (entry.actor, entry.via) == (company["admin"], "admin")
    rule = account_visibility_q(company["deputy"], on=company["today"])
    assert not Account.objects.filter(rule).exists()
