"""Plan services write audited rows and refuse bad data; templates start plans; the
selectors other apps call (current_plan, overdue_actions) answer right."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openkam.accounts.services import account_update
from openkam.accounts.tests.factories import add_invoice
from openkam.core.models import AuditEntry
from openkam.plans import selectors, services
from openkam.plans.models import PlanAction, PlanTemplate
from openkam.plans.tests.factories import make_plan
from openkam.users.models import Deputy
from openkam.workspace.models import Competitor

TODAY = date(2026, 7, 1)


def _entries(model: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(model=model).order_by("id"))


def test_every_write_is_audited_against_the_account(company):
    head, a = company["head"], company["a"]
    plan = make_plan(company, "a")
    objective = services.objective_create(
        actor=head,
        plan=plan,
        title="Grow",
        metric="revenue",
        target=Decimal("10"),
        due_on=plan.period_end,
    )
    services.objective_update(actor=head, objective=objective, target=Decimal("12"))
    action = services.action_create(actor=head, plan=plan, title="Visit", due_on=TODAY)
    services.action_set_status(actor=head, action=action, status="done", today=TODAY)
    risk = services.risk_create(actor=head, plan=plan, description="Churn")
    services.risk_delete(actor=head, risk=risk)
    services.review_record(actor=head, plan=plan, health="at_risk", reviewed_on=TODAY)
    entries = AuditEntry.objects.filter(model__startswith="plans.")
    assert {e.account_id for e in entries} == {a.pk}
    assert [e.action for e in _entries("plans.Objective")] == ["create", "update"]
    assert _entries("plans.Objective")[1].changes["target"] == ["10", "12"]
    done = _entries("plans.PlanAction")[1]
    assert done.changes["status"] == ["open", "done"]
    assert done.changes["done_on"] == [None, str(TODAY)]
    assert [e.action for e in _entries("plans.PlanRisk")] == ["create", "delete"]
    assert _entries("plans.AccountPlan")[-1].changes["health"] == ["", "at_risk"]


def test_health_follows_the_latest_review_not_the_latest_entered(company):
    plan = make_plan(company, "a")
    services.review_record(
        actor=company["head"], plan=plan, health="off_track", reviewed_on=date(2026, 6, 1)
    )
    services.review_record(
        actor=company["owner"], plan=plan, health="on_track", reviewed_on=date(2026, 3, 1)
    )  # entered late, about March
    plan.refresh_from_db()
    assert plan.health == "off_track"
    services.review_record(
        actor=company["owner"], plan=plan, health="at_risk", reviewed_on=date(2026, 6, 20)
    )
    plan.refresh_from_db()
    assert plan.health == "at_risk"


def test_read_only_roles_may_not_write(company):
    plan = make_plan(company, "a")
    for persona in ("finance", "viewer"):
        with pytest.raises(PermissionDenied):
            services.review_record(actor=company[persona], plan=plan, health="on_track")
        with pytest.raises(PermissionDenied):
            services.plan_update(actor=company[persona], plan=plan, strategy="x")


def test_validation(company):
    head = company["head"]
    plan = make_plan(company, "a")
    with pytest.raises(ValidationError) as error:
        services.objective_create(
            actor=head,
            plan=plan,
            title="Line",
            metric="line_revenue",
            target=Decimal("1"),
            due_on=plan.period_end,
        )
    assert "product_line" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.objective_create(
            actor=head,
            plan=plan,
            title="Wallet",
            metric="share_of_wallet",
            target=Decimal("1"),
            due_on=plan.period_end,
        )
    assert "wallet_estimate" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.risk_create(actor=head, plan=plan, description="Rival", kind="competitor")
    assert "competitor" in error.value.message_dict
    with pytest.raises(ValidationError):
        make_plan(company, "a")  # a second plan starting the same day
    with pytest.raises(ValidationError):
        services.plan_update(actor=head, plan=plan, period_end=date(2025, 1, 1))
    with pytest.raises(ValidationError):
        services.review_record(actor=head, plan=plan, health="fine")
    other = make_plan(company, "b")
    foreign = services.objective_create(
        actor=head, plan=other, title="B", target=Decimal("1"), due_on=other.period_end
    )
    with pytest.raises(ValidationError):
        services.action_create(actor=head, plan=plan, title="X", due_on=TODAY, objective=foreign)
    rival = Competitor.objects.create(name="Rival")
    risk = services.risk_create(
        actor=head, plan=plan, description="Rival", kind="competitor", competitor=rival
    )
    assert risk.competitor == rival
    services.risk_update(actor=head, risk=risk, kind="risk")
    risk.refresh_from_db()
    assert risk.competitor is None  # a plain risk names no competitor


def test_key_figures_are_cleaned(company):
    plan = make_plan(company, "a")
    services.plan_update(
        actor=company["head"],
        plan=plan,
        client_key_figures=[
            {"label": " Revenue 2025 ", "value": "412 m PLN"},
            {"label": "", "value": ""},
        ],
    )
    plan.refresh_from_db()
    assert plan.client_key_figures == [{"label": "Revenue 2025", "value": "412 m PLN"}]
    with pytest.raises(ValidationError):
        services.plan_update(
            actor=company["head"], plan=plan, client_key_figures=[{"label": "", "value": "5"}]
        )


def test_action_done_on_follows_status(company):
    plan = make_plan(company, "a")
    action = services.action_create(
        actor=company["head"],
        plan=plan,
        title="X",
        due_on=TODAY,
        status="done",
        done_on=date(2026, 6, 5),
    )
    assert action.done_on == date(2026, 6, 5)
    services.action_set_status(actor=company["head"], action=action, status="in_progress")
    assert action.done_on is None


def test_template_by_segment_with_baselines_from_last_period(company):
    head, a = company["head"], company["a"]
    account_update(actor=head, account=a, segment="Retail")
    services.template_create(
        actor=head, name="Any", review_cadence="quarterly", sections={"strategy": "Generic"}
    )
    retail = services.template_create(
        actor=head,
        name="Retail",
        segment="retail",
        review_cadence="monthly",
        sections={"relationship_summary": "Who do we know?", "strategy": "Stores first"},
        objectives=[
            {"metric": "revenue", "title": "Grow revenue", "target_change_pct": 10},
            {"metric": "margin_pct", "title": "Margin"},
            {"metric": "meetings", "title": "Meet monthly", "target": 12},
        ],
    )
    add_invoice(a, date(2025, 5, 1), [("1000.00", "800.00")])
    add_invoice(company["a1"], date(2025, 9, 1), [("1000.00", "700.00")])  # the group counts
    add_invoice(a, date(2026, 2, 1), [("5000.00", "0.00")])  # this period: not a baseline
    plan = services.plan_create(
        actor=head, account=a, period_start=date(2026, 1, 1), period_end=date(2026, 12, 31)
    )
    assert plan.template == retail
    assert plan.review_cadence == "monthly"
    assert (plan.relationship_summary, plan.strategy) == ("Who do we know?", "Stores first")
    revenue, margin, meetings = plan.objectives.order_by("pk")
    assert (revenue.baseline, revenue.target) == (Decimal("2000.00"), Decimal("2200.00"))
    assert (margin.baseline, margin.target) == (Decimal("25.00"), Decimal("25.00"))
    assert (meetings.baseline, meetings.target) == (None, Decimal("12.00"))
    assert revenue.due_on == plan.period_end and revenue.owner == head
    # Another segment falls back to the template for any segment; None means blank.
    b_plan = services.plan_create(
        actor=head,
        account=company["b"],
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    assert b_plan.template.name == "Any" and b_plan.strategy == "Generic"
    blank = services.plan_create(
        actor=head,
        account=company["c"],
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        template=None,
    )
    assert blank.template is None and blank.strategy == "" and not blank.objectives.exists()


def test_template_validation_and_rights(company):
    with pytest.raises(PermissionDenied):
        services.template_create(actor=company["owner"], name="Mine")
    with pytest.raises(ValidationError):
        services.template_create(actor=company["head"], name="Bad", objectives=[{"metric": "x"}])
    with pytest.raises(ValidationError):
        services.template_create(actor=company["head"], name="Bad", sections={"nope": "x"})
    assert not PlanTemplate.objects.exists()


def test_current_plan(company):
    owner, a = company["owner"], company["a"]
    assert selectors.current_plan(user=owner, account=a, today=TODAY) is None
    make_plan(
        company,
        "a",
        title="Last year",
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        status="active",
    )
    draft = make_plan(company, "a", title="Draft", period_start=date(2026, 1, 1))
    assert selectors.current_plan(user=owner, account=a, today=TODAY) == draft
    active = make_plan(company, "a", title="Active", period_start=date(2026, 4, 1), status="active")
    assert selectors.current_plan(user=owner, account=a, today=TODAY) == active
    assert selectors.current_plan(user=company["other_kam"], account=a, today=TODAY) is None
    services.plan_update(actor=company["head"], plan=active, status="closed")
    assert selectors.current_plan(user=owner, account=a, today=TODAY) == draft


def test_overdue_actions_for_the_owner_and_their_deputy(company):
    head, owner, deputy = company["head"], company["owner"], company["deputy"]
    plan = make_plan(company, "a")
    today = company["today"]
    late = services.action_create(
        actor=head, plan=plan, title="Late", owner=owner, due_on=today - timedelta(days=2)
    )
    services.action_create(actor=head, plan=plan, title="Due today", owner=owner, due_on=today)
    done = services.action_create(
        actor=head, plan=plan, title="Done", owner=owner, due_on=today - timedelta(days=5)
    )
    services.action_set_status(actor=head, action=done, status="done")
    services.action_create(
        actor=head, plan=plan, title="Head's", owner=head, due_on=today - timedelta(days=5)
    )
    assert list(selectors.overdue_actions(user=owner, today=today)) == [late]
    # The deputy stands in this week and sees the absent owner's overdue actions.
    assert Deputy.objects.filter(deputy=deputy).exists()
    assert list(selectors.overdue_actions(user=deputy, today=today)) == [late]
    assert list(selectors.overdue_actions(user=company["other_kam"], today=today)) == []
    assert PlanAction.objects.count() == 4


# --- who may own plan work ----------------------------------------------------------------


@pytest.mark.parametrize("persona", ["finance", "viewer", "admin"])
def test_work_is_never_given_to_someone_who_does_not_work_accounts(company, persona):
    plan = make_plan(company, "a", owner=company["owner"])
    stranger = company[persona]
    with pytest.raises(ValidationError) as refused:
        services.action_create(
            actor=company["owner"], plan=plan, title="Call", due_on=date(2026, 12, 20),
            owner=stranger,
        )  # fmt: skip
    assert "does not work on accounts" in refused.value.message_dict["owner"][0]
    with pytest.raises(ValidationError):
        services.plan_update(actor=company["owner"], plan=plan, owner=stranger)
    assert not PlanAction.objects.exists()


def test_an_administrator_recording_an_action_gives_it_to_the_plans_owner(company):
    plan = make_plan(company, "a", owner=company["owner"])
    action = services.action_create(
        actor=company["admin"], plan=plan, title="Call", due_on=date(2026, 12, 20)
    )
    assert action.owner == company["owner"]


def test_the_owner_pickers_offer_only_people_who_work_accounts(client, company):
    plan = make_plan(company, "a", owner=company["owner"])
    client.force_login(company["owner"])
    page = client.get(f"/plans/{plan.pk}/actions/new/").content.decode()
    for persona in ("finance", "viewer", "admin"):
        assert f'<option value="{company[persona].pk}"' not in page, persona
    assert f'<option value="{company["junior"].pk}"' in page
    assert f'<option value="{company["head"].pk}"' in page


def test_a_plan_an_administrator_writes_belongs_to_the_accounts_owner(company):
    plan = services.plan_create(
        actor=company["admin"], account=company["a"],
        period_start=date(2027, 1, 1), period_end=date(2027, 12, 31), template=None,
    )  # fmt: skip
    assert plan.owner == company["owner"]
