"""The whole plan as one read: what the plan page, the print page and the PDF show.

A fixed number of queries whatever the plan holds: objectives, their progress (see
openkam.plans.progress), actions, risks, reviews and the competitors at the account.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
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


class Audience(StrEnum):
    """Who reads the document. What goes to the client leaves out everything internal:
    our view of the relationship and of their finances, our strategy, the plan's health
    and review cadence, the head's review comments, risks and competitors."""

    CLIENT = "client"
    INTERNAL = "internal"

    @classmethod
    def of(cls, value: str | None) -> Audience:
        """The audience asked for; the client's version unless "internal" is asked."""
        return cls.INTERNAL if value == cls.INTERNAL else cls.CLIENT


# The text sections a client may read: their own goals and plans as we understood them.
CLIENT_SECTIONS = ("client_goals", "client_plans")


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
    audience: Audience = Audience.INTERNAL

    @property
    def is_internal(self) -> bool:
        return self.audience == Audience.INTERNAL

    @property
    def on_track_count(self) -> int:
        return sum(1 for row in self.objectives if row.progress.on_track)

    @property
    def overdue_actions(self) -> list[ActionWithActivities]:
        return [a for a in self.actions if _is_overdue(a, self.today)]

    @property
    def sections(self) -> list[tuple[str, str, str]]:
        """(field name, translated heading, text) of each text section."""
        names = SECTIONS if self.is_internal else CLIENT_SECTIONS
        return [(name, section_heading(name), getattr(self.plan, name)) for name in names]


def section_heading(name: str) -> str:
    """A text section's translated heading: its field's name."""
    field = AccountPlan._meta.get_field(name)
    return str(capfirst(field.verbose_name)) if isinstance(field, models.Field) else name


def _is_overdue(action: PlanAction, today: date) -> bool:
    return action.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS) and action.due_on < today


def plan_document(
    *, user: AnyUser, plan: AccountPlan, today: date, audience: Audience = Audience.INTERNAL
) -> PlanDocument:
    """The plan as `audience` may read it: internal material is not even loaded for the
    client's version, so no template can print it by mistake."""
    objectives = list(selectors.plan_objectives(plan=plan))
    progress = objective_progress(objectives, today=today)
    actions = list(selectors.plan_actions(plan=plan))
    for action in actions:
        action.is_overdue = _is_overdue(action, today)
    internal = audience == Audience.INTERNAL
    return PlanDocument(
        plan=plan,
        today=today,
        objectives=[ObjectiveRow(o, progress[o.pk]) for o in objectives],
        actions=actions,
        risks=list(selectors.plan_risks(plan=plan)) if internal else [],
        reviews=list(selectors.plan_reviews(plan=plan)) if internal else [],
        competitors=(
            list(selectors.account_competitors(user=user, account=plan.account)) if internal else []
        ),
        review_overdue=cadence.review_overdue(plan, today=today),
        next_review_due=cadence.next_review_due(plan),
        audience=audience,
    )
