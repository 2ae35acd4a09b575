"""Deputies: who may name them, date rules, and the page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openkam.accounts.models import Account
from openkam.core.models import AuditEntry
from openkam.users import services
from openkam.users.models import Deputy


def test_kam_names_own_deputy_who_then_sees_the_accounts(company):
    today = company["today"]
    services.deputy_create(
        actor=company["other_kam"],
        principal=company["other_kam"],
        deputy=company["owner"],
        starts_on=today,
        ends_on=today,
    )
    names = set(Account.objects.visible_to(company["owner"]).values_list("external_id", flat=True))
    assert names == {"A", "A1", "B"}


def test_deputy_creation_is_audited(company):
    today = company["today"]
    row = services.deputy_create(
        actor=company["owner"],
        principal=company["owner"],
        deputy=company["other_kam"],
        starts_on=today,
        ends_on=today,
    )
    entry = AuditEntry.objects.get(model="users.Deputy", object_id=str(row.pk))
    assert entry.actor == company["owner"]
    assert entry.changes["deputy_id"] == [None, company["other_kam"].pk]


def test_kam_cannot_name_a_deputy_for_someone_else(company):
    today = company["today"]
    with pytest.raises(PermissionDenied):
        services.deputy_create(
            actor=company["owner"],
            principal=company["other_kam"],
            deputy=company["deputy"],
            starts_on=today,
            ends_on=today,
        )


def test_deputy_must_be_an_active_kam(company):
    today = company["today"]
    with pytest.raises(ValidationError) as caught:
        services.deputy_create(
            actor=company["owner"],
            principal=company["owner"],
            deputy=company["viewer"],
            starts_on=today,
            ends_on=today,
        )
    assert "deputy" in caught.value.message_dict


def test_end_before_start_is_rejected(company):
    today = company["today"]
    with pytest.raises(ValidationError) as caught:
        services.deputy_create(
            actor=company["owner"],
            principal=company["owner"],
            deputy=company["other_kam"],
            starts_on=today,
            ends_on=today - timedelta(days=1),
        )
    assert "ends_on" in caught.value.message_dict


def test_ending_a_deputyship_removes_access_tomorrow(company):
    from openkam.accounts.access import account_visibility_q

    row = Deputy.objects.get(deputy=company["deputy"])
    services.deputy_end(actor=company["owner"], row=row, on=company["today"])
    tomorrow = company["today"] + timedelta(days=1)
    rule = account_visibility_q(company["deputy"], on=tomorrow)
    assert not Account.objects.filter(rule).exists()


def test_deputies_page_posts_a_deputy(client, company):
    client.force_login(company["owner"])
    today = company["today"].isoformat()
    response = client.post(
        "/me/deputies/",
        {
            "principal": company["owner"].pk,
            "deputy": company["other_kam"].pk,
            "starts_on": today,
            "ends_on": today,
            "note": "holiday",
        },
    )
    assert response.status_code == 302
    assert Deputy.objects.filter(
        principal=company["owner"], deputy=company["other_kam"], note="holiday"
    ).exists()


def test_deputies_page_hides_other_peoples_rows_from_a_kam(client, company):
    client.force_login(company["other_kam"])
    rows = client.get("/me/deputies/").context["rows"]
    assert list(rows) == []


def test_viewer_cannot_post_a_deputy(client, company):
    client.force_login(company["viewer"])
    today = company["today"].isoformat()
    response = client.post(
        "/me/deputies/",
        {
            "principal": company["owner"].pk,
            "deputy": company["other_kam"].pk,
            "starts_on": today,
            "ends_on": today,
        },
    )
    assert response.status_code == 404
    assert Deputy.objects.count() == 2
