"""The meeting brief: what it shows, for which meeting, and at what cost."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openkam.accounts.tests.factories import add_invoice, add_payment, months_ago
from openkam.plans.models import Objective, PlanAction
from openkam.workspace import services
from openkam.workspace.brief import meeting_brief, receivables
from openkam.workspace.tests.factories import (
    add_activity,
    add_contact,
    add_plan,
    at,
    invite,
)


def url(company, key="a", **params):
    base = reverse("account_workspace:brief", args=[company[key].pk])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def overdue_invoice(account, today, days: int, net: str):
    invoice = add_invoice(account, today - timedelta(days=days + 14), [(net, "0")])
    invoice.due_on = today - timedelta(days=days)
    invoice.save(update_fields=["due_on"])
    return invoice


@pytest.fixture
def account_a(company):
    """Account A with a plan, people, a done meeting, a competitor and overdue money."""
    a, owner, today = company["a"], company["owner"], company["today"]
    plan = add_plan(a, owner, today, title="Grow Alfa")
    Objective.objects.create(
        plan=plan,
        title="Revenue 1M",
        metric="manual",
        baseline=Decimal("0"),
        target=Decimal("100"),
        current_value=Decimal("40"),
        due_on=today + timedelta(days=100),
        owner=owner,
    )
    PlanAction.objects.create(plan=plan, title="Call the CFO", owner=owner, due_on=today)
    add_contact(a, "Kowalski", influence=2)
    add_contact(a, "Nowak", influence=5, attitude="champion")
    add_activity(
        a,
        owner,
        at(today - timedelta(days=7)),
        "Kick-off",
        status="done",
        outcome="Liked the offer",
    )
    rival = services.competitor_create(actor=owner, name="Rival Ltd")
    services.account_competitor_add(
        actor=owner, account=a, competitor=rival, notes="Undercuts by 5%"
    )
    overdue_invoice(a, today, 10, "1000.00")
    return company


def test_page_shows_every_section(client, account_a):
    client.force_login(account_a["owner"])
    body = client.get(url(account_a)).content.decode()
    for text in (
        "Alfa Hurt S.A.",
        "Grow Alfa",
        "Revenue 1M",
        "40%",
        "Call the CFO",
        "Nowak",
        "Liked the offer",
        "Undercuts by 5%",
        "1,000.00",
    ):
        assert text in body, text


def test_people_are_ordered_by_influence(account_a):
    brief = meeting_brief(user=account_a["owner"], account=account_a["a"], today=account_a["today"])
    assert [p.last_name for p in brief.stakeholders] == ["Nowak", "Kowalski"]


def test_invited_people_come_first(account_a):
    a, owner, today = account_a["a"], account_a["owner"], account_a["today"]
    meeting = add_activity(a, owner, at(today + timedelta(days=1)), "Negotiation")
    invite(meeting, a.contacts.get(last_name="Kowalski"))
    brief = meeting_brief(user=owner, account=a, today=today, activity_id=meeting.pk)
    assert brief.meeting == meeting
    assert [(p.last_name, p.invited) for p in brief.stakeholders] == [
        ("Kowalski", True),
        ("Nowak", False),
    ]


def test_last_contact_day_is_shown(account_a):
    a, owner, today = account_a["a"], account_a["owner"], account_a["today"]
    call = add_activity(a, owner, at(today - timedelta(days=3)), "Call", kind="call", status="done")
    invite(call, a.contacts.get(last_name="Nowak"))
    brief = meeting_brief(user=owner, account=a, today=today)
    assert brief.stakeholders[0].last_contact_on == today - timedelta(days=3)


def test_another_accounts_meeting_is_ignored(client, account_a):
    company = account_a
    secret = add_activity(company["b"], company["other_kam"], at(company["today"]), "Beta secret")
    client.force_login(company["head"])
    response = client.get(url(company, activity=secret.pk))
    assert response.status_code == 200
    assert "Beta secret" not in response.content.decode()


def test_hidden_account_is_404(client, company):
    client.force_login(company["owner"])
    assert client.get(url(company, "b")).status_code == 404


def test_no_plan_says_so(client, company):
    client.force_login(company["owner"])
    assert "No current plan" in client.get(url(company)).content.decode()


def test_revenue_trend_compares_with_the_year_before(company):
    a, today = company["a"], company["today"]
    add_invoice(a, months_ago(today, 1), [("150.00", "0")])
    add_invoice(a, months_ago(today, 13), [("100.00", "0")])
    trend = meeting_brief(user=company["owner"], account=a, today=today).trend
    assert (trend.last_12, trend.prior_12, trend.change) == (
        Decimal("150.00"),
        Decimal("100.00"),
        Decimal("50.0"),
    )
    assert len(trend.months) == 12


# --- overdue receivables ---------------------------------------------------------------


def test_overdue_is_past_due_open_items_by_the_receivables_rule(company):
    a, today = company["a"], company["today"]
    partly = overdue_invoice(a, today, 30, "1000.00")
    add_payment(a, today - timedelta(days=5), "400.00", invoice=partly)
    paid = overdue_invoice(a, today, 20, "300.00")
    add_payment(a, today - timedelta(days=5), "300.00", invoice=paid)
    overdue_invoice(a, today, -5, "700.00")  # not yet due
    add_payment(a, today, "50.00")  # names no invoice: settles the oldest
    result = receivables(user=company["owner"], account=a, today=today)
    assert [(r["currency"], r["amount"], r["count"]) for r in result.by_currency] == [
        ("PLN", Decimal("550.00"), 1)
    ]
    assert [(i.pk, i.days_overdue) for i in result.oldest] == [(partly.pk, 30)]
    assert not result.unmatched_payments


def test_credit_left_after_every_open_invoice_is_shown_apart(company):
    a, today = company["a"], company["today"]
    overdue_invoice(a, today, 30, "100.00")
    add_payment(a, today, "180.00")
    result = receivables(user=company["owner"], account=a, today=today)
    assert not result.any
    assert [r["amount"] for r in result.unmatched_payments] == [Decimal("80.00")]


def test_overpaid_invoice_is_not_negative_debt(company):
    a, today = company["a"], company["today"]
    invoice = overdue_invoice(a, today, 3, "100.00")
    add_payment(a, today, "150.00", invoice=invoice)
    assert not receivables(user=company["owner"], account=a, today=today).any


def _paid_in_two_parts(company):
    """An overdue 3182.32 paid as 2181.37 + 1000.95 (a float sum is 3182.3199999999997)."""
    a, today = company["a"], company["today"]
    invoice = overdue_invoice(a, today, 12, "3182.32")
    add_payment(a, today - timedelta(days=6), "2181.37", invoice=invoice)
    add_payment(a, today - timedelta(days=2), "1000.95", invoice=invoice)
    return invoice


def test_invoice_paid_in_parts_is_not_overdue(company):
    _paid_in_two_parts(company)
    result = receivables(user=company["owner"], account=company["a"], today=company["today"])
    assert (result.by_currency, result.oldest) == ([], [])


def test_part_paid_invoice_is_overdue_by_exactly_what_is_left(company):
    a, today = company["a"], company["today"]
    invoice = overdue_invoice(a, today, 12, "3182.32")
    add_payment(a, today - timedelta(days=6), "2181.37", invoice=invoice)
    add_payment(a, today - timedelta(days=2), "1000.94", invoice=invoice)
    result = receivables(user=company["owner"], account=a, today=today)
    assert [r["amount"] for r in result.by_currency] == [Decimal("0.01")]
    assert [i.open_amount for i in result.oldest] == [Decimal("0.01")]


def test_brief_page_and_api_do_not_list_an_invoice_paid_in_parts(client, company):
    from openkam.accounts.tests.factories import bearer

    invoice = _paid_in_two_parts(company)
    client.force_login(company["owner"])
    body = client.get(url(company)).content.decode()
    overdue = body[body.index('id="receivables"') :]
    assert invoice.number not in overdue and "Nothing overdue." in overdue
    response = client.get(
        f"/api/workspace/accounts/{company['a'].pk}/brief", headers=bearer(company["owner"])
    )
    assert response.json()["overdue"] == []


# --- cost ------------------------------------------------------------------------------


def _grow(company, n: int):
    a, owner, today = company["a"], company["owner"], company["today"]
    plan = a.plans.get()
    start = a.contacts.count()
    for i in range(start, start + n):
        person = add_contact(a, f"Person{i}", influence=i % 5 + 1)
        done = add_activity(
            a, owner, at(today - timedelta(days=i + 1)), f"Visit {i}", status="done", outcome="ok"
        )
        invite(done, person)
        overdue_invoice(a, today, i + 1, "10.00")
        Objective.objects.create(
            plan=plan, title=f"Objective {i}", metric="revenue", target=Decimal("1000"),
            due_on=today + timedelta(days=30), owner=owner,
        )  # fmt: skip
        rival = services.competitor_create(actor=owner, name=f"Rival {i}")
        services.account_competitor_add(actor=owner, account=a, competitor=rival)


def test_query_count_does_not_grow_with_the_account(client, account_a):
    client.force_login(account_a["owner"])
    client.get(url(account_a))  # warm up the session

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(account_a)).status_code == 200
        return len(captured)

    _grow(account_a, 1)  # one of each kind, so every section runs its queries
    small = count()
    _grow(account_a, 12)
    assert count() == small
    assert small <= 30


# --- API -------------------------------------------------------------------------------


def test_api_gives_the_brief_as_data(client, account_a):
    from openkam.accounts.tests.factories import bearer

    a, owner, today = account_a["a"], account_a["owner"], account_a["today"]
    meeting = add_activity(a, owner, at(today + timedelta(days=1)), "Negotiation")
    invite(meeting, a.contacts.get(last_name="Kowalski"))
    response = client.get(
        f"/api/workspace/accounts/{a.pk}/brief", {"activity": meeting.pk}, headers=bearer(owner)
    )
    data = response.json()
    assert response.status_code == 200
    assert data["meeting_id"] == meeting.pk
    assert [(p["name"], p["invited"]) for p in data["stakeholders"]] == [
        ("Kowalski", True),
        ("Nowak", False),
    ]
    assert data["plan"]["objectives"][0]["percent"] == 40
    assert data["overdue"][0]["amount"] == "1000.00"
    assert data["competitors"][0]["notes"] == "Undercuts by 5%"
    assert len(data["trend"]["months"]) == 12


def test_api_brief_of_a_hidden_account_is_404(client, company):
    from openkam.accounts.tests.factories import bearer

    response = client.get(
        f"/api/workspace/accounts/{company['b'].pk}/brief", headers=bearer(company["owner"])
    )
    assert response.status_code == 404


def test_a_meetings_objective_reads_as_a_count_and_stacks_on_a_phone(client, account_a):
    plan = account_a["a"].plans.get()
    Objective.objects.create(
        plan=plan,
        title="Meet the board",
        metric="meetings",
        target=Decimal("48"),
        due_on=account_a["today"] + timedelta(days=90),
        owner=account_a["owner"],
    )
    client.force_login(account_a["owner"])
    body = client.get(url(account_a)).content.decode()
    row = body[body.index("Meet the board") :].split("</tr>")[0]
    assert '<td class="num" data-label="Target">48</td>' in row and "48.00" not in row
    assert 'data-label="Due"' in row and "stack-on-phone" in body
