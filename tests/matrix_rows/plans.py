"""Permission-matrix rows for account plans (see tests/matrix_rows/__init__.py)."""

from __future__ import annotations

from matrix_rows import EDITS_A, MANAGERS, SEES, SEES_A, SIGNED_IN, R, Route

PLAN_FORM = {
    "title": "plan_matrix_edit",
    "period_start": "2026-01-01",
    "period_end": "2026-12-31",
    "status": "active",
    "review_cadence": "monthly",
    "strategy": "plan matrix strategy",
    "client_key_figures": "Revenue: 1 m",
}
NEW_PLAN = {"title": "plan_matrix_new", "period_start": "2027-01-01", "period_end": "2027-12-31"}
OBJECTIVE_FORM = {
    "title": "plan_matrix_objective",
    "metric": "revenue",
    "target": "100",
    "due_on": "2026-12-31",
}
ACTION_FORM = {"title": "plan_matrix_action", "due_on": "2026-12-31", "status": "open"}
RISK_FORM = {"kind": "risk", "description": "plan matrix risk", "likelihood": "2", "impact": "2"}
TEMPLATE_FORM = {
    "name": "plan_matrix_template",
    "review_cadence": "monthly",
    "objectives": "revenue | Grow | 5",
}

ROUTES: list[Route] = [
    # --- lists and the account's plans ---------------------------------------------------
    R("plans:list", "GET", "/plans/", SIGNED_IN, lists_all_visible=True),
    R("plans:list", "GET", "/plans/?status=all&health=at_risk&needs_review=1&mine=1", SIGNED_IN),
    R("account_plans:list", "GET", "/accounts/{a}/plans/", SEES_A),
    R("account_plans:list", "GET", "/accounts/{a1}/plans/", SEES["a1"]),
    R("account_plans:list", "POST", "/accounts/{a}/plans/", EDITS_A, 302,
      data=NEW_PLAN),
    # --- the plan ------------------------------------------------------------------------
    R("plans:detail", "GET", "/plans/{plan_a}/", SEES_A),
    R("plans:detail", "GET", "/plans/{plan_a1}/", SEES["a1"]),
    R("plans:edit", "GET", "/plans/{plan_a}/edit/", EDITS_A),
    R("plans:edit", "POST", "/plans/{plan_a}/edit/", EDITS_A, 302, data=PLAN_FORM),
    R("plans:section_edit", "GET", "/plans/{plan_a}/sections/strategy/", EDITS_A),
    R("plans:section_edit", "POST", "/plans/{plan_a}/sections/strategy/", EDITS_A, 302,
      data={"strategy": "plan matrix section"}),
    R("plans:review_create", "POST", "/plans/{plan_a}/reviews/", EDITS_A, 302,
      data={"health": "on_track", "comment": "plan matrix review"}),
    R("plans:print", "GET", "/plans/{plan_a}/print/", SEES_A),
    R("plans:print", "GET", "/plans/{plan_a1}/print/", SEES["a1"]),
    R("plans:pdf", "GET", "/plans/{plan_a}/plan.pdf", SEES_A),
    # --- objectives, actions, risks ------------------------------------------------------
    R("plans:objective_create", "GET", "/plans/{plan_a}/objectives/new/", EDITS_A),
    R("plans:objective_create", "POST", "/plans/{plan_a}/objectives/new/", EDITS_A, 302,
      data=OBJECTIVE_FORM),
    R("plans:objective_edit", "GET", "/plans/objectives/{plan_objective_a}/", EDITS_A),
    R("plans:objective_edit", "POST", "/plans/objectives/{plan_objective_a}/", EDITS_A, 302,
      data=OBJECTIVE_FORM),
    R("plans:objective_delete", "POST", "/plans/objectives/{plan_objective_a}/delete/",
      EDITS_A, 302),
    R("plans:action_create", "GET", "/plans/{plan_a}/actions/new/", EDITS_A),
    R("plans:action_create", "POST", "/plans/{plan_a}/actions/new/", EDITS_A, 302,
      data=ACTION_FORM),
    R("plans:action_edit", "GET", "/plans/actions/{plan_action_a}/", EDITS_A),
    R("plans:action_edit", "POST", "/plans/actions/{plan_action_a}/", EDITS_A, 302,
      data=ACTION_FORM),
    R("plans:action_status", "POST", "/plans/actions/{plan_action_a}/status/", EDITS_A, 302,
      data={"status": "done"}),
    R("plans:action_delete", "POST", "/plans/actions/{plan_action_a}/delete/", EDITS_A, 302),
    R("plans:risk_create", "GET", "/plans/{plan_a}/risks/new/", EDITS_A),
    R("plans:risk_create", "POST", "/plans/{plan_a}/risks/new/", EDITS_A, 302, data=RISK_FORM),
    R("plans:risk_edit", "GET", "/plans/risks/{plan_risk_a}/", EDITS_A),
    R("plans:risk_edit", "POST", "/plans/risks/{plan_risk_a}/", EDITS_A, 302, data=RISK_FORM),
    R("plans:risk_delete", "POST", "/plans/risks/{plan_risk_a}/delete/", EDITS_A, 302),
    # --- templates (everyone reads; heads and administrators edit) ------------------------
    R("plans:templates", "GET", "/plans/templates/", SIGNED_IN),
    R("plans:template_create", "GET", "/plans/templates/new/", MANAGERS),
    R("plans:template_create", "POST", "/plans/templates/new/", MANAGERS, 302,
      data=TEMPLATE_FORM),
    R("plans:template_edit", "GET", "/plans/templates/{plan_template}/", MANAGERS),
    R("plans:template_edit", "POST", "/plans/templates/{plan_template}/", MANAGERS, 302,
      data=TEMPLATE_FORM),
    # --- JSON API ------------------------------------------------------------------------
    R("api:plan_list", "GET", "/api/plans", SIGNED_IN, lists_all_visible=True),
    R("api:plan_list", "GET", "/api/plans?account_id={b}&status=all", SIGNED_IN),
    R("api:plan_detail", "GET", "/api/plans/{plan_a}", SEES_A),
    R("api:plan_detail", "GET", "/api/plans/{plan_a1}", SEES["a1"]),
    R("api:plan_review_create", "POST", "/api/plans/{plan_a}/reviews", EDITS_A, 201,
      read_only=403, data={"health": "at_risk", "comment": "plan api review"}),
    R("api:plan_action_update", "PATCH", "/api/plans/actions/{plan_action_a}", EDITS_A,
      read_only=403, data={"status": "in_progress"}),
]  # fmt: skip


def world(company) -> tuple[dict, dict]:
    """A plan on a, a1, b and c with an objective, an action and a risk each; what the
    plans on b and c say is secret."""
    from datetime import date
    from decimal import Decimal

    from openkam.plans import services

    head = company["head"]
    plans, objectives, actions, risks = {}, {}, {}, {}
    for key in ("a", "a1", "b", "c"):
        plan = services.plan_create(
            actor=head,
            account=company[key],
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            title=f"plan_title_{key}",
            owner=head,
            template=None,
            strategy=f"plan_strategy_{key}",
        )
        plans[key] = plan
        objectives[key] = services.objective_create(
            actor=head,
            plan=plan,
            title=f"plan_objective_{key}",
            metric="revenue",
            target=Decimal("1000"),
            due_on=plan.period_end,
        )
        actions[key] = services.action_create(
            actor=head,
            plan=plan,
            title=f"plan_action_{key}",
            due_on=date(2026, 3, 1),
            owner=company["owner"] if key in ("a", "a1") else head,
        )
        risks[key] = services.risk_create(actor=head, plan=plan, description=f"plan_risk_{key}")
    template = services.template_create(actor=head, name="plan_template_matrix")
    ids = {
        "plan_a": plans["a"].pk,
        "plan_a1": plans["a1"].pk,
        "plan_objective_a": objectives["a"].pk,
        "plan_action_a": actions["a"].pk,
        "plan_risk_a": risks["a"].pk,
        "plan_template": template.pk,
        "b": company["b"].pk,
    }
    secrets = {
        key: {f"plan_{part}_{key}" for part in ("title", "strategy", "objective", "action", "risk")}
        for key in ("a1", "b", "c")
    }
    return ids, secrets
