"""The whole plan as one read: what the plan page, the print page and the PDF show.

A fixed number of queries whatever the plan holds: objectives, their progress (see
openkam.plans.progress), actions, risks, reviews and the competitors at the account.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.text import capfirst

from openkam.plans import cadence, selectors
from openkam.plans.models import AccountPlan, ActionStatus, Objective, PlanAction
from openkam.plans.progress import ObjectiveProgress, objective_progress

if TYPE_CHECKING:
    from openkam.plans.models import PlanReview, PlanRisk
    from openkam.plans.selectors import ActionWithActivities
    from openkam.users.permissions import AnyUser

SECTIONS = (
    "relationship_summary",
    "client_goals",
    "client_plans",
    "client_financial_condition",
    "strategy",
)


@dataclass(frozen=True)
class ObjectiveRow:
    objective: Objective
    progress: ObjectiveProgress


@dataclass(frozen=True)
class PlanDocument:
    plan: AccountPlan
    today: date
    objectives: list[ObjectiveRow]
    actions: list[ActionWithActivities]
    risks: list[PlanRisk]
    reviews: list[PlanReview]
    competitors: list[Any]  # workspace's AccountCompetitor rows (a higher layer)
    review_overdue: bool
    next_review_due: date

    @property
    def on_track_count(self) -> int:
        return sum(1 for row in self.objectives if row.progress.on_track)

    @property
    def overdue_actions(self) -> list[ActionWithActivities]:
        return [a for a in self.actions if _is_overdue(a, self.today)]

    @property
    def sections(self) -> list[tuple[str, str, str]]:
        """(field name, translated heading, text) of each text section."""
        return [(name, section_heading(name), getattr(self.plan, name)) for name in SECTIONS]


def section_heading(name: str) -> str:
    """A text section's translated heading: its field's name."""
    field = AccountPlan._meta.get_field(name)
    return str(capfirst(field.verbose_name)) if isinstance(field, models.Field) else name


def _is_overdue(action: PlanAction, today: date) -> bool:
    return action.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS) and action.due_on < today


def plan_document(*, user: AnyUser, plan: AccountPlan, today: date) -> PlanDocument:
    objectives = list(selectors.plan_objectives(plan=plan))
    progress = objective_progress(objectives, today=today)
    actions = list(selectors.plan_actions(plan=plan))
    for action in actions:
        action.is_overdue = _is_overdue(action, today)
    return PlanDocument(
        plan=plan,
        today=today,
        objectives=[ObjectiveRow(o, progress[o.pk]) for o in objectives],
        actions=actions,
        risks=list(selectors.plan_risks(plan=plan)),
        reviews=list(selectors.plan_reviews(plan=plan)),
        competitors=list(selectors.account_competitors(user=user, account=plan.account)),
        review_overdue=cadence.review_overdue(plan, today=today),
        next_review_due=cadence.next_review_due(plan),
    )
