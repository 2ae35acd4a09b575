"""Bugs found while the permission matrix was written, each pinned by a test."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse

from openkam.accounts.models import Assignment, AssignmentRole
from openkam.receivables.collections import worklist
from openkam.receivables.refresh import refresh
from openkam.receivables.services import step_record
from openkam.receivables.tests.ledgers import invoice


def test_a_group_whose_head_one_may_not_see_is_not_named(client, company):
    """A KAM who works only a subsidiary sees it under its own name when grouping, never
    the hidden head company's name, nor a link to it."""
    a, a1, today = company["a"], company["a1"], company["today"]
    Assignment.objects.create(account=a1, user=company["other_kam"], role=AssignmentRole.OWNER,
                              starts_on=today - timedelta(days=10))  # fmt: skip
    invoice(a, "FV/A", today - timedelta(days=50), "100.00")
    invoice(a1, "FV/A1", today - timedelta(days=50), "200.00")
    refresh(today)
    client.force_login(company["other_kam"])
    for params in ({"by": "group"}, {"by": "group", "format": "xlsx"}):
        response = client.get(reverse("receivables:list"), params)
        assert response.status_code == 200
        body = response.content
        if params.get("format"):
            import io

            from openpyxl import load_workbook

            sheet = load_workbook(io.BytesIO(body)).active
            body = " ".join(str(c.value) for row in sheet.iter_rows() for c in row).encode()
        assert a.name.encode() not in body and a1.name.encode() in body
    client.force_login(company["head"])
    rows = list(client.get(reverse("receivables:list"), {"by": "group"}).context["page"])
    assert [(row["name"], row["balance"]) for row in rows] == [(a.name, 300)]


def test_a_step_without_a_level_keeps_its_own_next_date(company):
    a, today = company["a"], company["today"]
    invoice(a, "FV/OLD", today - timedelta(days=60), "100.00", due_days=30)
    refresh(today)
    step_record(actor=company["owner"], account=a, currency="PLN", action="call",
                done_on=today, next_on=today + timedelta(days=7), via="api")  # fmt: skip
    item = next(i for i in worklist(user=company["owner"], today=today) if i.account == a)
    assert item.next_on == today + timedelta(days=7)
