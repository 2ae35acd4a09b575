"""Plan pages: list, account plans, the plan with its parts, edits, print; query counts."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from openkam.core.models import AuditEntry
from openkam.plans import services
from openkam.plans.models import AccountPlan, PlanAction, PlanReview
from openkam.plans.tests.factories import make_plan
from openkam.workspace.models import AccountCompetitor, Competitor


@pytest.fixture
def plan(company):
    """A plan on A this year with an objective of each kind, actions, risks and a review."""
    today = company["today"]
    plan = make_plan(
        company,
        "a",
        title="Plan Alfa 2026",
        period_start=date(today.year, 1, 1),
        period_end=date(today.year, 12, 31),
        owner=company["owner"],
        relationship_summary="Zarząd lubi nas. Ключевой клиент.",
    )
    head = company["head"]
    for metric in ("revenue", "margin", "product_lines", "meetings", "manual"):
        services.objective_create(
            actor=head,
            plan=plan,
            title=f"Goal {metric}",
            metric=metric,
            target=Decimal("100"),
            due_on=plan.period_end,
        )
    services.action_create(
        actor=head,
        plan=plan,
        title="Call the CFO",
        due_on=today - timedelta(days=3),
        owner=company["owner"],
    )
    services.action_create(actor=head, plan=plan, title="Send offer", due_on=today)
    rival = Competitor.objects.create(name="Rival Sp. z o.o.")
    AccountCompetitor.objects.create(account=company["a"], competitor=rival, product_lines="Paints")
    services.risk_create(
        actor=head, plan=plan, description="Price war", kind="competitor", competitor=rival
    )
    services.risk_create(actor=head, plan=plan, description="CFO leaves")
    services.review_record(
        actor=head,
        plan=plan,
        health="at_risk",
        comment="Slow start",
        reviewed_on=today - timedelta(days=10),
    )
    return plan


def test_plan_page_shows_every_part(client, company, plan):
    from django.utils import timezone

    from openkam.activities.models import Activity

    Activity.objects.create(
        account=company["a"],
        kind="call",
        subject="CFO call",
        starts_at=timezone.now(),
        owner=company["owner"],
        plan_action=PlanAction.objects.get(title="Call the CFO"),
    )
    client.force_login(company["owner"])
    body = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "1 activity" in body  # logged against the action
    assert "Objectives on track" in body and " / 5</span>" in body
    for text in (
        "Plan Alfa 2026",
        "Zarząd lubi nas",
        "Goal revenue",
        "Call the CFO",
        "Price war",
        "Rival Sp. z o.o.",
        "Slow start",
        "overdue",
        "at risk",
    ):
        assert text in body


def test_plan_page_queries_do_not_grow_with_the_plan(
    client, company, plan, django_assert_max_num_queries
):
    client.force_login(company["owner"])
    # session, user, plan, objectives, plan scope, group, ledger, meetings, actions, risks,
    # reviews, competitors
    with django_assert_max_num_queries(12) as small:
        client.get(f"/plans/{plan.pk}/")
    for index in range(8):
        services.objective_create(
            actor=company["head"],
            plan=plan,
            title=f"More {index}",
            metric="revenue",
            target=Decimal("5"),
            due_on=plan.period_end,
        )
        services.action_create(
            actor=company["head"], plan=plan, title=f"Act {index}", due_on=plan.period_end
        )
        services.risk_create(actor=company["head"], plan=plan, description=f"Risk {index}")
        services.review_record(actor=company["head"], plan=plan, health="on_track")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(f"/plans/{plan.pk}/")
    assert "More 7" in response.content.decode()


def test_plan_list_flags_and_counts(client, company, plan):
    other = make_plan(company, "b", title="Plan Beta")
    client.force_login(company["head"])
    body = client.get("/plans/").content.decode()
    assert "Plan Alfa 2026" in body and "Plan Beta" in body
    body = client.get("/plans/?health=at_risk").content.decode()
    assert "Plan Alfa 2026" in body and "Plan Beta" not in body
    assert other.pk  # Beta never reviewed and just written: not overdue
    body = client.get("/plans/?needs_review=1&status=all").content.decode()
    assert "Plan Beta" not in body
    # "Mine": the head owns Beta; the owner's plan on Alfa is the deputy's this week.
    body = client.get("/plans/?mine=1").content.decode()
    assert "Plan Beta" in body and "Plan Alfa 2026" not in body
    client.force_login(company["deputy"])
    body = client.get("/plans/?mine=1").content.decode()
    assert "Plan Alfa 2026" in body
    body = client.get("/plans/", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in body and "Plan Alfa 2026" in body


def test_owner_does_not_see_other_accounts_plans(client, company, plan):
    make_plan(company, "b", title="Plan Beta secret")
    client.force_login(company["owner"])
    assert "Plan Beta secret" not in client.get("/plans/").content.decode()
    beta = AccountPlan.objects.get(title="Plan Beta secret")
    assert client.get(f"/plans/{beta.pk}/").status_code == 404
    assert client.get(f"/plans/{beta.pk}/plan.pdf").status_code == 404


def test_create_plan_from_segment_template(client, company):
    from openkam.accounts.services import account_update

    account_update(actor=company["head"], account=company["a"], segment="Retail")
    services.template_create(
        actor=company["head"],
        name="Retail plan",
        segment="Retail",
        review_cadence="monthly",
        sections={"strategy": "Grow in the stores"},
        objectives=[{"metric": "revenue", "title": "Grow", "target_change_pct": 10}],
    )
    client.force_login(company["owner"])
    page = client.get(f"/accounts/{company['a'].pk}/plans/").content.decode()
    assert "Retail plan" in page
    template_id = AccountPlan._meta.get_field("template").related_model._default_manager.get().pk
    response = client.post(
        f"/accounts/{company['a'].pk}/plans/",
        {
            "template": template_id,
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
            "owner": company["owner"].pk,
            "title": "",
        },
    )
    assert response.status_code == 302
    plan = AccountPlan.objects.get(account=company["a"])
    assert response["Location"] == f"/plans/{plan.pk}/"
    assert plan.review_cadence == "monthly"
    assert plan.strategy == "Grow in the stores"
    assert plan.objectives.get().title == "Grow"
    assert "Alfa Hurt S.A." in plan.title
    # 2026 is taken now: the form proposes the first free year after this one.
    year = company["today"].year
    AccountPlan.objects.filter(pk=plan.pk).update(
        period_start=date(year, 1, 1), period_end=date(year, 12, 31)
    )
    page = client.get(f"/accounts/{company['a'].pk}/plans/").content.decode()
    assert f'value="{year + 1}-01-01"' in page


def test_section_edit_in_place_with_htmx(client, company, plan):
    client.force_login(company["owner"])
    url = f"/plans/{plan.pk}/sections/strategy/"
    form = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<form" in form and "<html" not in form
    response = client.post(
        url, {"strategy": "Bundle paints with tools"}, headers={"HX-Request": "true"}
    )
    assert "Bundle paints with tools" in response.content.decode()
    plan.refresh_from_db()
    assert plan.strategy == "Bundle paints with tools"
    entry = AuditEntry.objects.filter(model="plans.AccountPlan", object_id=str(plan.pk)).first()
    assert entry.changes["strategy"][1] == "Bundle paints with tools"
    assert entry.account_id == company["a"].pk
    assert client.get(f"/plans/{plan.pk}/sections/owner_id/").status_code == 404


def test_action_status_htmx_swaps_the_row(client, company, plan):
    action = PlanAction.objects.get(title="Call the CFO")
    client.force_login(company["owner"])
    response = client.post(
        f"/plans/actions/{action.pk}/status/", {"status": "done"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert body.startswith("<tr") and "overdue" not in body
    action.refresh_from_db()
    assert action.status == "done" and action.done_on == company["today"]


def test_review_form_records_and_sets_health(client, company, plan):
    client.force_login(company["head"])
    response = client.post(
        f"/plans/{plan.pk}/reviews/", {"health": "on_track", "comment": "Better"}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.health == "on_track"
    assert PlanReview.objects.filter(plan=plan).count() == 2
    bad = client.post(f"/plans/{plan.pk}/reviews/", {"health": "great"})
    assert bad.status_code == 422


def test_objective_form_validates(client, company, plan):
    client.force_login(company["owner"])
    response = client.post(
        f"/plans/{plan.pk}/objectives/new/",
        {
            "title": "Paints",
            "metric": "line_revenue",
            "target": "10",
            "due_on": "2026-12-31",
            "owner": company["owner"].pk,
        },
    )
    assert response.status_code == 200
    assert "Name the product line" in response.content.decode()


def test_read_only_roles_cannot_edit(client, company, plan):
    client.force_login(company["viewer"])
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "Record a review" not in page
    assert client.post(f"/plans/{plan.pk}/reviews/", {"health": "on_track"}).status_code == 404
    assert client.get(f"/plans/{plan.pk}/edit/").status_code == 404


def test_print_page(client, company, plan):
    client.force_login(company["owner"])
    body = client.get(f"/plans/{plan.pk}/print/").content.decode()
    assert "Alfa Hurt S.A." in body and "Goal revenue" in body and "@media print" not in body
    assert "app.css" in body


def test_templates_page_for_heads_only_to_edit(client, company):
    client.force_login(company["owner"])
    assert client.get("/plans/templates/").status_code == 200
    assert client.get("/plans/templates/new/").status_code == 404
    client.force_login(company["head"])
    response = client.post(
        "/plans/templates/new/",
        {
            "name": "Wholesale",
            "segment": "Wholesale",
            "review_cadence": "quarterly",
            "strategy": "Own the category",
            "objectives": "revenue | Grow | 8\nmeetings | Meet | ",
        },
    )
    assert response.status_code == 302
    from openkam.plans.models import PlanTemplate

    template = PlanTemplate.objects.get(name="Wholesale")
    assert template.sections == {"strategy": "Own the category"}
    assert template.objectives == [
        {"metric": "revenue", "title": "Grow", "target_change_pct": 8.0},
        {"metric": "meetings", "title": "Meet"},
    ]
    bad = client.post(
        "/plans/templates/new/",
        {"name": "X", "review_cadence": "monthly", "objectives": "sales | Grow"},
    )
    assert "unknown metric" in bad.content.decode()


def test_admin_pages_load(client, company, plan):
    services.template_create(actor=company["head"], name="Admin template")
    client.force_login(company["admin"])
    for name in ("accountplan", "plantemplate"):
        assert client.get(f"/admin/plans/{name}/").status_code == 200
    assert client.get(f"/admin/plans/accountplan/{plan.pk}/change/").status_code == 200


def test_plan_lists_do_not_grow_with_plans(client, company, django_assert_max_num_queries):
    from openkam.accounts.services import account_create

    client.force_login(company["head"])
    make_plan(company, "a", title="First")
    with django_assert_max_num_queries(20) as one:
        client.get("/plans/")
    with django_assert_max_num_queries(20) as one_account:
        client.get(f"/accounts/{company['a'].pk}/plans/")
    for index in range(6):
        account = account_create(actor=company["head"], name=f"Extra {index}")
        plan = services.plan_create(
            actor=company["head"],
            account=account,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            template=None,
        )
        services.action_create(
            actor=company["head"], plan=plan, title="Late", due_on=date(2026, 1, 5)
        )
        services.review_record(actor=company["head"], plan=plan, health="on_track")
        make_plan(
            company,
            "a",
            title=f"Older {index}",
            period_start=date(2020 + index, 1, 1),
            period_end=date(2020 + index, 12, 31),
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        body = client.get("/plans/?status=all").content.decode()
    assert "Extra 5" in body and "Older 5" in body
    with django_assert_max_num_queries(len(one_account.captured_queries)):
        assert "Older 5" in client.get(f"/accounts/{company['a'].pk}/plans/").content.decode()


def test_key_figures_typed_or_pasted_from_a_spreadsheet(client, company, plan):
    from openkam.plans.forms import PlanEditForm

    client.force_login(company["owner"])
    data = {
        name: value
        for name, value in PlanEditForm.initial_for(plan).items()
        if name not in ("owner", "client_key_figures")
    }
    typed = "Revenue 2025: 412 m PLN\nEmployees\t1 200\nStores; 85\n\n"
    response = client.post(f"/plans/{plan.pk}/edit/", data | {"client_key_figures": typed})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.client_key_figures == [
        {"label": "Revenue 2025", "value": "412 m PLN"},
        {"label": "Employees", "value": "1 200"},
        {"label": "Stores", "value": "85"},
    ]
    assert plan.owner == company["owner"]  # left out of the form: kept
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "Employees" in page and "1 200" in page


def test_account_history_shows_plan_changes(client, company, plan):
    services.plan_update(
        actor=company["owner"],
        plan=plan,
        client_key_figures=[{"label": "Stores", "value": "85"}],
        strategy="Own the paint aisle",
    )
    client.force_login(company["owner"])
    response = client.get(f"/accounts/{company['a'].pk}/")
    assert response.status_code == 200
    history = response.content.decode().split('id="history"')[1]
    assert "Stores: 85" in history and "Own the paint aisle" in history
