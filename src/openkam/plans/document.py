"""The whole plan as one read: what the plan page, the print page and the PDF show.

A fixed number of queries whatever the plan holds: objectives, their progress (see
openkam.plans.progress), actions, risks, reviews and the competitors at the account.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.text import capfirst

from openkam.plans import cadence, selectors
from openkam.plans.models import AccountPlan, ActionStatus, Objective
from openkam.plans.progress import ObjectiveProgress, objective_progress

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
    actions: list
    risks: list
    reviews: list
    competitors: list
    review_overdue: bool
    next_review_due: date

    @property
    def on_track_count(self) -> int:
        return sum(1 for row in self.objectives if row.progress.on_track)

    @property
    def overdue_actions(self) -> list:
        return [a for a in self.actions if _is_overdue(a, self.today)]

    @property
    def sections(self) -> list[tuple[str, str, str]]:
        """(field name, translated heading, text) of each text section."""
        meta = AccountPlan._meta
        return [
            (name, capfirst(meta.get_field(name).verbose_name), getattr(self.plan, name))
            for name in SECTIONS
        ]


def _is_overdue(action, today: date) -> bool:
    return action.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS) and action.due_on < today


def plan_document(*, user, plan: AccountPlan, today: date) -> PlanDocument:
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
