"""Writes to account plans: keyword-only, atomic, validated, audited.

The caller (page or API) has already found the plan or account among what the actor may
see; these check the right to change account work and the data itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from openkam.accounts import access
from openkam.accounts.models import Account, Assignment, AssignmentRole
from openkam.core import audit
from openkam.plans import audit_trail, baselines
from openkam.plans.models import (
    AccountPlan,
    ActionStatus,
    Objective,
    ObjectiveMetric,
    PlanAction,
    PlanHealth,
    PlanReview,
    PlanRisk,
    PlanStatus,
    PlanTemplate,
    RiskKind,
)
from openkam.users import permissions
from openkam.users.models import User
from openkam.users.permissions import Actor

SECTION_FIELDS = (
    "relationship_summary",
    "client_goals",
    "client_plans",
    "client_financial_condition",
    "strategy",
)
PLAN_FIELDS = (
    "title",
    "period_start",
    "period_end",
    "status",
    "review_cadence",
    "owner",
    "client_key_figures",
    *SECTION_FIELDS,
)
OBJECTIVE_FIELDS = (
    "title",
    "metric",
    "product_line",
    "wallet_estimate",
    "baseline",
    "target",
    "current_value",
    "due_on",
    "owner",
    "opportunity",
)
ACTION_FIELDS = ("title", "objective", "opportunity", "owner", "due_on", "status", "done_on")
RISK_FIELDS = ("kind", "competitor", "description", "likelihood", "impact", "mitigation")
TEMPLATE_FIELDS = ("name", "segment", "review_cadence", "sections", "objectives", "is_archived")
PICK_BY_SEGMENT: Any = object()


def _require_edit(actor: Actor, record: models.Model) -> None:
    """The actor may change the plans of this very record's account (see accounts/access)."""
    access.require_edit(actor, record, _("You may not change account plans."))


def _check_fields(fields: dict[str, Any], allowed: tuple[str, ...], where: str) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"{where} got unknown fields: {sorted(unknown)}")


def _attnames(instance: models.Model, names: Iterable[str]) -> list[str]:
    """Column names of the (already checked) editable fields."""
    fields = [instance._meta.get_field(name) for name in names]
    return [field.attname for field in fields if isinstance(field, models.Field)]


# --- plans ------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    actor: Actor,
    account: Account,
    period_start: date,
    period_end: date,
    title: str = "",
    owner: User | None = None,
    template: PlanTemplate | None = PICK_BY_SEGMENT,
    review_cadence: str = "",
    status: str = PlanStatus.DRAFT,
    via: str = "web",
    **sections: Any,
) -> AccountPlan:
    """A new plan, blank or started from a template (by default the one of the account's
    segment): its section texts, review cadence and objectives with baselines from the
    ledger."""
    _require_edit(actor, account)
    _check_fields(sections, (*SECTION_FIELDS, "client_key_figures"), "plan_create")
    if template is PICK_BY_SEGMENT:
        from openkam.plans.selectors import template_for_segment

        template = template_for_segment(account.segment)
    owner = owner or _plan_owner_for(actor, account)
    if owner is None:
        raise ValidationError({"owner": _("A plan needs an owner.")})
    _check_owner(owner)
    texts = dict(template.sections) if template else {}
    texts = {name: str(texts.get(name, "")) for name in SECTION_FIELDS} | sections
    plan = AccountPlan(
        account=account,
        title=title or _default_title(account, period_start, period_end),
        period_start=period_start,
        period_end=period_end,
        status=status,
        review_cadence=review_cadence or (template.review_cadence if template else "quarterly"),
        owner=owner,
        template=template,
        **texts,
    )
    plan.full_clean(validate_constraints=False)
    _check_period(plan)
    plan.save()
    audit_trail.record_create(actor=actor, instance=plan, account_id=account.pk, via=via)
    if template:
        for spec in template.objectives:
            _objective_from_template(actor=actor, plan=plan, spec=spec, via=via)
    return plan


def _default_title(account: Account, start: date, end: date) -> str:
    period = str(start.year) if start.year == end.year else f"{start.year}-{end.year}"
    return _("%(account)s: account plan %(period)s") % {"account": account.name, "period": period}


def _check_period(plan: AccountPlan) -> None:
    if plan.period_end < plan.period_start:
        raise ValidationError({"period_end": _("The plan must end after it starts.")})
    clash = AccountPlan.objects.filter(account_id=plan.account_id, period_start=plan.period_start)
    if clash.exclude(pk=plan.pk).exists():
        raise ValidationError(
            {"period_start": _("This account already has a plan starting on that day.")}
        )


def _objective_from_template(
    *, actor: Actor, plan: AccountPlan, spec: dict[str, Any], via: str
) -> Objective:
    metric = spec.get("metric", ObjectiveMetric.MANUAL)
    product_line = str(spec.get("product_line", ""))
    baseline = baselines.previous_period_value(plan=plan, metric=metric, product_line=product_line)
    target = baselines.target_from(
        baseline=baseline, change_pct=spec.get("target_change_pct"), target=spec.get("target")
    )
    return objective_create(
        actor=actor,
        plan=plan,
        title=str(spec.get("title") or ObjectiveMetric(metric).label),
        metric=metric,
        product_line=product_line,
        baseline=baseline,
        target=target,
        due_on=plan.period_end,
        owner=plan.owner,
        via=via,
    )


@transaction.atomic
def plan_update(*, actor: Actor, plan: AccountPlan, via: str = "web", **fields: Any) -> AccountPlan:
    """Change sections, key figures, period, cadence, status or owner; audited per field."""
    _require_edit(actor, plan)
    _check_fields(fields, PLAN_FIELDS, "plan_update")
    if "client_key_figures" in fields:
        fields["client_key_figures"] = clean_key_figures(fields["client_key_figures"])
    _check_owner(fields.get("owner"), new=fields.get("owner") not in (None, plan.owner))
    before = audit.snapshot(plan, _attnames(plan, fields))
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.full_clean(validate_constraints=False)
    _check_period(plan)
    plan.save()
    audit_trail.record_update(
        actor=actor, instance=plan, before=before, account_id=plan.account_id, via=via
    )
    return plan


def _check_owner(owner: User | None, *, new: bool = True) -> None:
    """An owner chosen now must be someone who does account work (not finance, a viewer
    or an administrator); one stored before is left alone on other changes."""
    if new and owner is not None and not permissions.may_own_account_work(owner):
        raise ValidationError(
            {
                "owner": _("%(user)s does not work on accounts and cannot own this.")
                % {"user": owner}
            }
        )


def _plan_owner_for(actor: Actor, account: Account) -> User | None:
    """Whoever writes the plan owns it if they work accounts; otherwise (an administrator)
    the account's owner."""
    if permissions.may_own_account_work(actor):
        return actor
    owner = (
        Assignment.objects.active(permissions.today())
        .filter(account=account, role=AssignmentRole.OWNER)
        .select_related("user")
        .first()
    )
    return owner.user if owner else None


def _default_owner(actor: Actor, plan: AccountPlan) -> User:
    """Whoever records the work owns it if they work accounts; otherwise the plan's owner."""
    return actor if permissions.may_own_account_work(actor) else plan.owner


def clean_key_figures(figures: Any) -> list[dict[str, str]]:
    """[{"label": ..., "value": ...}, ...] with both parts as text; empty rows dropped."""
    if not isinstance(figures, list):
        raise ValidationError({"client_key_figures": _("Key figures must be a list.")})
    cleaned = []
    for row in figures:
        if not isinstance(row, dict):
            raise ValidationError({"client_key_figures": _("Each key figure needs a label.")})
        label, value = str(row.get("label", "")).strip(), str(row.get("value", "")).strip()
        if label or value:
            if not label:
                raise ValidationError({"client_key_figures": _("Each key figure needs a label.")})
            cleaned.append({"label": label[:100], "value": value[:100]})
    return cleaned


# --- objectives ---------------------------------------------------------------------------


def _foreign_opportunity(item: Objective | PlanAction) -> bool:
    opportunity = item.opportunity
    return opportunity is not None and opportunity.account_id != item.plan.account_id


def _check_objective(objective: Objective) -> None:
    objective.full_clean(exclude=["plan"])
    errors = {}
    if objective.metric == ObjectiveMetric.PRODUCT_LINE_REVENUE and not objective.product_line:
        errors["product_line"] = _("Name the product line this objective measures.")
    if objective.metric == ObjectiveMetric.SHARE_OF_WALLET and not objective.wallet_estimate:
        errors["wallet_estimate"] = _("Share of wallet needs the client's total spend.")
    if objective.wallet_estimate is not None and objective.wallet_estimate <= 0:
        errors["wallet_estimate"] = _("The client's total spend must be more than zero.")
    if objective.due_on < objective.plan.period_start:
        errors["due_on"] = _("The due date cannot be before the plan starts.")
    if _foreign_opportunity(objective):
        errors["opportunity"] = _("Choose an opportunity of the plan's account.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def objective_create(
    *,
    actor: Actor,
    plan: AccountPlan,
    title: str,
    target: Decimal,
    due_on: date,
    owner: User | None = None,
    via: str = "web",
    **fields: Any,
) -> Objective:
    _require_edit(actor, plan)
    _check_fields(fields, OBJECTIVE_FIELDS, "objective_create")
    _check_owner(owner)
    objective = Objective(
        plan=plan, title=title, target=target, due_on=due_on, owner=owner or plan.owner, **fields
    )
    _check_objective(objective)
    objective.save()
    audit_trail.record_create(actor=actor, instance=objective, account_id=plan.account_id, via=via)
    return objective


@transaction.atomic
def objective_update(
    *, actor: Actor, objective: Objective, via: str = "web", **fields: Any
) -> Objective:
    _require_edit(actor, objective)
    _check_fields(fields, OBJECTIVE_FIELDS, "objective_update")
    _check_owner(fields.get("owner"), new=fields.get("owner") not in (None, objective.owner))
    before = audit.snapshot(objective, _attnames(objective, fields))
    for name, value in fields.items():
        setattr(objective, name, value)
    _check_objective(objective)
    objective.save()
    audit_trail.record_update(
        actor=actor,
        instance=objective,
        before=before,
        account_id=objective.plan.account_id,
        via=via,
    )
    return objective


@transaction.atomic
def objective_delete(*, actor: Actor, objective: Objective, via: str = "web") -> None:
    """Remove an objective; its actions stay, no longer linked to it."""
    _require_edit(actor, objective)
    account_id = objective.plan.account_id
    audit_trail.record_delete(actor=actor, instance=objective, account_id=account_id, via=via)
    objective.delete()


# --- actions -------------------------------------------------------------------------------


def _settle_done_on(action: PlanAction, today: date | None) -> None:
    """Done actions carry the day they were done; others carry none."""
    if action.status == ActionStatus.DONE:
        action.done_on = action.done_on or today or permissions.today()
    else:
        action.done_on = None


def _check_action(action: PlanAction) -> None:
    action.full_clean(exclude=["plan"])
    if action.objective is not None and action.objective.plan_id != action.plan_id:
        raise ValidationError({"objective": _("That objective belongs to another plan.")})
    if _foreign_opportunity(action):
        raise ValidationError({"opportunity": _("Choose an opportunity of the plan's account.")})


@transaction.atomic
def action_create(
    *,
    actor: Actor,
    plan: AccountPlan,
    title: str,
    due_on: date,
    owner: User | None = None,
    via: str = "web",
    **fields: Any,
) -> PlanAction:
    _require_edit(actor, plan)
    _check_fields(fields, ACTION_FIELDS, "action_create")
    _check_owner(owner)
    action = PlanAction(
        plan=plan, title=title, due_on=due_on, owner=owner or _default_owner(actor, plan), **fields
    )
    _settle_done_on(action, None)
    _check_action(action)
    action.save()
    audit_trail.record_create(actor=actor, instance=action, account_id=plan.account_id, via=via)
    return action


@transaction.atomic
def action_update(
    *,
    actor: Actor,
    action: PlanAction,
    today: date | None = None,
    via: str = "web",
    **fields: Any,
) -> PlanAction:
    """Change an action; setting it done stamps `done_on` (today unless given)."""
    _require_edit(actor, action)
    _check_fields(fields, ACTION_FIELDS, "action_update")
    _check_owner(fields.get("owner"), new=fields.get("owner") not in (None, action.owner))
    before = audit.snapshot(action, [*_attnames(action, fields), "done_on"])
    for name, value in fields.items():
        setattr(action, name, value)
    _settle_done_on(action, today)
    _check_action(action)
    action.save()
    audit_trail.record_update(
        actor=actor, instance=action, before=before, account_id=action.plan.account_id, via=via
    )
    return action


def action_set_status(
    *,
    actor: Actor,
    action: PlanAction,
    status: str,
    today: date | None = None,
    via: str = "web",
) -> PlanAction:
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    return action_update(actor=actor, action=action, status=status, today=today, via=via)


@transaction.atomic
def action_delete(*, actor: Actor, action: PlanAction, via: str = "web") -> None:
    _require_edit(actor, action)
    audit_trail.record_delete(
        actor=actor, instance=action, account_id=action.plan.account_id, via=via
    )
    action.delete()


# --- risks ---------------------------------------------------------------------------------


def _check_risk(risk: PlanRisk, actor: Actor = None, named_before: int | None = None) -> None:
    if risk.kind == RiskKind.RISK:
        risk.competitor = None  # a plain risk names no competitor
    risk.full_clean(exclude=["plan"])
    if risk.kind == RiskKind.COMPETITOR and not risk.competitor_id:
        raise ValidationError({"competitor": _("Name the competitor behind this threat.")})
    if actor is not None and risk.competitor_id not in (None, named_before):
        # A competitor named only at accounts hidden from the actor is as unknown as a
        # missing one (the catalogue is read through its visibility rule).
        from openkam.plans.selectors import competitor_choices

        if not competitor_choices(user=actor).filter(pk=risk.competitor_id).exists():
            raise ValidationError({"competitor": _("No such competitor.")})


@transaction.atomic
def risk_create(
    *, actor: Actor, plan: AccountPlan, description: str, via: str = "web", **fields: Any
) -> PlanRisk:
    _require_edit(actor, plan)
    _check_fields(fields, RISK_FIELDS, "risk_create")
    risk = PlanRisk(plan=plan, description=description, **fields)
    _check_risk(risk, actor)
    risk.save()
    audit_trail.record_create(actor=actor, instance=risk, account_id=plan.account_id, via=via)
    return risk


@transaction.atomic
def risk_update(*, actor: Actor, risk: PlanRisk, via: str = "web", **fields: Any) -> PlanRisk:
    _require_edit(actor, risk)
    _check_fields(fields, RISK_FIELDS, "risk_update")
    before = audit.snapshot(risk, [*_attnames(risk, fields), "competitor_id"])
    for name, value in fields.items():
        setattr(risk, name, value)
    _check_risk(risk, actor, named_before=before["competitor_id"])
    risk.save()
    audit_trail.record_update(
        actor=actor, instance=risk, before=before, account_id=risk.plan.account_id, via=via
    )
    return risk


@transaction.atomic
def risk_delete(*, actor: Actor, risk: PlanRisk, via: str = "web") -> None:
    _require_edit(actor, risk)
    audit_trail.record_delete(actor=actor, instance=risk, account_id=risk.plan.account_id, via=via)
    risk.delete()


# --- reviews -------------------------------------------------------------------------------


@transaction.atomic
def review_record(
    *,
    actor: Actor,
    plan: AccountPlan,
    health: str,
    comment: str = "",
    reviewed_on: date | None = None,
    via: str = "web",
) -> PlanReview:
    """The KAM or the head reviews the plan; the plan's health follows its latest review."""
    _require_edit(actor, plan)
    if actor is None:
        raise ValidationError({"reviewer": _("A review needs a reviewer.")})
    if health not in PlanHealth.values:
        raise ValidationError({"health": _("Choose on track, at risk or off track.")})
    review = PlanReview(
        plan=plan,
        reviewed_on=reviewed_on or permissions.today(),
        reviewer=actor,
        health=health,
        comment=comment.strip(),
    )
    review.full_clean(exclude=["plan"])
    review.save()
    audit_trail.record_create(actor=actor, instance=review, account_id=plan.account_id, via=via)
    latest = plan.reviews.order_by("-reviewed_on", "-id").values_list("health", flat=True)[0]
    if plan.health != latest:
        before = audit.snapshot(plan, ["health"])
        plan.health = latest
        plan.save(update_fields=["health", "updated_at"])
        audit_trail.record_update(
            actor=actor, instance=plan, before=before, account_id=plan.account_id, via=via
        )
    return review


# --- templates (heads and administrators) --------------------------------------------------


def _check_template(template: PlanTemplate) -> None:
    template.full_clean()
    unknown = set(template.sections) - set(SECTION_FIELDS)
    if unknown:
        raise ValidationError({"sections": _("Unknown sections: %s") % ", ".join(sorted(unknown))})
    for spec in template.objectives:
        if not isinstance(spec, dict) or spec.get("metric") not in ObjectiveMetric.values:
            raise ValidationError({"objectives": _("Each objective needs a known metric.")})


@transaction.atomic
def template_create(*, actor: Actor, name: str, **fields: Any) -> PlanTemplate:
    permissions.require_portfolio_manager(actor)
    _check_fields(fields, TEMPLATE_FIELDS, "template_create")
    template = PlanTemplate(name=name, **fields)
    _check_template(template)
    template.save()
    audit.record_create(actor=actor, instance=template)
    return template


@transaction.atomic
def template_update(*, actor: Actor, template: PlanTemplate, **fields: Any) -> PlanTemplate:
    permissions.require_portfolio_manager(actor)
    _check_fields(fields, TEMPLATE_FIELDS, "template_update")
    before = audit.snapshot(template, list(fields))
    for name, value in fields.items():
        setattr(template, name, value)
    _check_template(template)
    template.save()
    audit.record_update(actor=actor, instance=template, before=before)
    return template
