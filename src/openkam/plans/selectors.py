"""Reads about account plans. Everything starts from what the user may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet

from openkam.accounts.models import Account
from openkam.plans.cadence import overdue_q, with_last_review
from openkam.plans.models import (
    AccountPlan,
    ActionStatus,
    Objective,
    PlanAction,
    PlanHealth,
    PlanRisk,
    PlanStatus,
    PlanTemplate,
)
from openkam.users import permissions
from openkam.users.permissions import AnyUser

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from openkam.plans.models import PlanReview

    class ActivityCount(TypedDict):
        activity_count: int

    # A plan action with the number of activities logged against it (`plan_actions`).
    ActionWithActivities = WithAnnotations[PlanAction, ActivityCount]

OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
OPEN_ACTION = Q(status__in=OPEN_STATUSES)


def _flag(condition: Q) -> ExpressionWrapper:
    """A condition as a boolean column, to order by it."""
    return ExpressionWrapper(condition, output_field=BooleanField())


@dataclass(frozen=True)
class PlanFilters:
    q: str = ""
    status: str = ""  # "" = not closed; "all" = every status
    health: str = ""  # a PlanHealth value, or "none" for never reviewed
    needs_review: bool = False
    mine: bool = False


def visible_plans(*, user: AnyUser) -> QuerySet[AccountPlan]:
    return AccountPlan.objects.visible_to(user)


def _annotated(plans: QuerySet[AccountPlan], today: date) -> QuerySet[AccountPlan]:
    """Plans with `last_reviewed_on` and `overdue_action_count` for lists and flags."""
    overdue = Q(actions__status__in=OPEN_STATUSES, actions__due_on__lt=today)
    return with_last_review(plans).annotate(overdue_action_count=Count("actions", filter=overdue))


def plan_list(
    *, user: AnyUser, today: date, filters: PlanFilters | None = None
) -> QuerySet[AccountPlan]:
    """Visible plans with their account, owner, last review and overdue action count."""
    filters = filters or PlanFilters()
    plans = _annotated(visible_plans(user=user), today).select_related("account", "owner")
    if filters.q:
        plans = plans.filter(Q(title__icontains=filters.q) | Q(account__name__icontains=filters.q))
    if filters.status == "":
        plans = plans.exclude(status=PlanStatus.CLOSED)
    elif filters.status in PlanStatus.values:
        plans = plans.filter(status=filters.status)
    if filters.health == "none":
        plans = plans.filter(health="")
    elif filters.health in PlanHealth.values:
        plans = plans.filter(health=filters.health)
    if filters.needs_review:
        plans = plans.filter(overdue_q(today))
    if filters.mine:
        # A KAM's own and those of whom they stand in for; anyone else's own.
        mine: set[int | None] = {*permissions.acting_for_user_ids(user, today)} or {user.pk}
        plans = plans.filter(owner_id__in=mine)
    return plans.order_by("account__name", "-period_start", "pk")


def plan_details(*, today: date) -> QuerySet[AccountPlan]:
    """Plans with their account, owner, last review and overdue action count, for the
    gate (`access.visible_or_404`), which keeps to the plans the user may see."""
    return _annotated(AccountPlan.objects.all(), today).select_related("account", "owner")


def account_plans(*, user: AnyUser, account: Account, today: date) -> QuerySet[AccountPlan]:
    return (
        _annotated(visible_plans(user=user).filter(account=account), today)
        .select_related("owner", "template")
        .order_by("-period_start", "-pk")
    )


def current_plan(*, user: AnyUser, account: Account, today: date) -> AccountPlan | None:
    """The account's plan for today: not closed, its period covering today; an active one
    before a draft. None when there is none (or the user may not see the account)."""
    plans = visible_plans(user=user).filter(
        account=account, period_start__lte=today, period_end__gte=today
    )
    plans = plans.exclude(status=PlanStatus.CLOSED).select_related("account", "owner")
    active_first = plans.order_by(_flag(Q(status=PlanStatus.ACTIVE)).desc(), "-period_start", "-pk")
    return active_first.first()


def overdue_actions(*, user: AnyUser, today: date) -> QuerySet[PlanAction]:
    """Open or in-progress actions due before today, owned by the user or by someone the
    user acts for (a deputy sees the absent KAM's), on plans the user may see."""
    acting = permissions.acting_for_user_ids(user, today)
    return (
        PlanAction.objects.visible_to(user)
        .filter(OPEN_ACTION, due_on__lt=today, owner_id__in=acting)
        .select_related("plan", "plan__account", "owner")
        .order_by("due_on", "pk")
    )


def plans_needing_review(*, user: AnyUser, today: date) -> QuerySet[AccountPlan]:
    """Visible plans not closed whose review is overdue for their cadence."""
    plans = with_last_review(visible_plans(user=user)).select_related("account", "owner")
    return plans.filter(overdue_q(today)).order_by("account__name", "pk")


def plan_objectives(*, plan: AccountPlan) -> QuerySet[Objective]:
    return plan.objectives.select_related("owner", "opportunity").order_by("due_on", "pk")


def plan_actions(*, plan: AccountPlan) -> QuerySet[ActionWithActivities]:
    """The plan's actions, open ones first, each with `activity_count`: the activities
    (meetings, calls...) logged against it."""
    actions = plan.actions.select_related("owner", "objective", "opportunity")
    return actions.annotate(activity_count=Count("activities")).order_by(
        _flag(Q(status__in=[ActionStatus.DONE, ActionStatus.CANCELLED])).asc(), "due_on", "pk"
    )


def plan_risks(*, plan: AccountPlan) -> QuerySet[PlanRisk]:
    return plan.risks.select_related("competitor")


def plan_reviews(*, plan: AccountPlan) -> QuerySet[PlanReview]:
    return plan.reviews.select_related("reviewer")


def account_competitors(*, user: AnyUser, account: Account) -> QuerySet[Any]:
    """Competitors recorded at the plan's account, for the plan page.

    Read through the account's reverse relation (the rows, workspace's AccountCompetitor,
    belong to the workspace app, which sits above plans), still through the visibility rule.
    """
    return account.competitors.visible_to(user).select_related("competitor")


def competitor_choices(*, user: AnyUser | None) -> QuerySet[Any]:  # workspace's Competitor
    """The competitors a threat may name: the catalogue entries `user` may see (those at
    accounts hidden from them are not offered, nor accepted). Read through the risk's
    foreign key: the catalogue belongs to the workspace app, a layer above plans."""
    competitor: Any = PlanRisk._meta.get_field("competitor").related_model
    return competitor.objects.visible_to(user).order_by("name", "pk")


def template_for_segment(segment: str) -> PlanTemplate | None:
    """The template of the account's segment, else the one for any segment."""
    templates = PlanTemplate.objects.filter(is_archived=False)
    exact = templates.filter(segment__iexact=segment).first() if segment else None
    return exact or templates.filter(segment="").first()


def template_list(*, include_archived: bool = False) -> QuerySet[PlanTemplate]:
    templates = PlanTemplate.objects.all()
    if not include_archived:
        templates = templates.filter(is_archived=False)
    return templates.annotate(plan_count=Count("plans")).order_by("name")
