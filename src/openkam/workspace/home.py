"""The KAM home page: what needs the user this week, as cards, in a fixed number of queries.

Each card reads through another app's selector (the contracts of issue 4); this module
only gathers them, cuts each list to a card's length, and adds the team overview that
heads (and senior KAMs, for their juniors) see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Max, Q

from openkam.accounts.models import Assignment, Tier
from openkam.activities import selectors as activity_selectors
from openkam.activities.models import CONTACT_KINDS, Activity, ActivityStatus
from openkam.contracts import selectors as contract_selectors
from openkam.credit import selectors as credit_selectors
from openkam.credit.services import APPROVER_ROLES
from openkam.plans import selectors as plan_selectors
from openkam.plans.models import AccountPlan, PlanAction
from openkam.proposals import selectors as proposal_selectors
from openkam.receivables import selectors as receivable_selectors
from openkam.sales import selectors as sales_selectors
from openkam.sales.models import OrderStatus
from openkam.stakeholders.coverage import coverage_alerts
from openkam.users import permissions
from openkam.users.models import KAM_ROLES, Deputy, Role, User

CARD_ROWS = 8
KEY_TIERS = (Tier.KEY, Tier.STRATEGIC)


@dataclass
class TeamMember:
    user: User
    key_accounts: int = 0
    week_done: int = 0
    week_planned: int = 0
    overdue_actions: int = 0
    plans_to_review: int = 0
    last_contact_at: object = None


@dataclass
class Card:
    """A list cut to the card's length, with how many there are in all."""

    rows: list
    total: int

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.rows))


@dataclass
class MoneyCard(Card):
    """The accounts that owe most overdue (stored aging), with the orders held for credit
    and, for those who decide them, the credit exceptions waiting."""

    held_orders: int = 0
    exceptions_to_decide: int = 0

    @property
    def anything(self) -> bool:
        return bool(self.total or self.held_orders or self.exceptions_to_decide)


def money_card(*, user: User, today: date) -> MoneyCard:
    overdue = (
        receivable_selectors.stored_summaries(user)
        .filter(overdue__gt=0)
        .order_by("-overdue", "account__name")
    )
    waiting = 0
    if user.role in APPROVER_ROLES:
        waiting = credit_selectors.pending_exceptions(user).exclude(requested_by=user).count()
    return MoneyCard(
        rows=list(overdue[:CARD_ROWS]),
        total=overdue.count(),
        held_orders=sales_selectors.orders_for(user, OrderStatus.HELD).count(),
        exceptions_to_decide=waiting,
    )


# The diary card looks this many days ahead of today, so that on a Friday or a Sunday the
# coming week's planned work is there, not only what is past.
AHEAD_DAYS = 7


@dataclass
class Home:
    week_start: date
    works_accounts: bool  # may edit account work: the personal cards apply
    week_end: date | None = None  # the last day the diary card shows
    week: list = field(default_factory=list)
    covering: list = field(default_factory=list)  # deputyships the user holds today
    overdue_activities: Card | None = None
    overdue_actions: Card | None = None
    coverage: Card | None = None
    plans_to_review: Card | None = None
    contract_alerts: Card | None = None  # notice dates and ends coming up
    money: MoneyCard | None = None  # overdue debt, held orders, exceptions to decide
    approvals_waiting: int = 0  # proposals' approval requests this user may decide
    suggestions: list = field(default_factory=list)
    team: list[TeamMember] = field(default_factory=list)


def _card(queryset, rows: int = CARD_ROWS) -> Card:
    """The first rows and the count: two queries whatever the size (no full list read)."""
    return Card(rows=list(queryset[:rows]), total=queryset.count())


def kam_home(*, user, today: date) -> Home:
    week_start = activity_selectors.monday_of(today)
    home = Home(week_start=week_start, works_accounts=permissions.can_edit_account_work(user))
    if home.works_accounts:
        home.week_end = max(week_start + timedelta(days=6), today + timedelta(days=AHEAD_DAYS))
        days = (home.week_end - week_start).days + 1
        home.week = list(
            activity_selectors.week_activities(user=user, week_start=week_start, days=days)
        )
        home.covering = list(
            Deputy.objects.active(today).filter(deputy=user).select_related("principal")
        )
        home.overdue_activities = _card(
            activity_selectors.overdue_activities(user=user, today=today)
        )
        home.overdue_actions = _card(plan_selectors.overdue_actions(user=user, today=today))
        alerts = coverage_alerts(user=user, today=today)
        home.coverage = Card(rows=alerts[:CARD_ROWS], total=len(alerts))
        home.plans_to_review = _card(plan_selectors.plans_needing_review(user=user, today=today))
        home.suggestions = activity_selectors.contact_suggestions(
            user=user, today=today, limit=CARD_ROWS
        )
    contract_alerts = contract_selectors.contract_alerts(user=user, today=today)
    home.contract_alerts = Card(rows=contract_alerts[:CARD_ROWS], total=len(contract_alerts))
    home.money = money_card(user=user, today=today)
    home.approvals_waiting = len(proposal_selectors.waiting_for(user))
    home.team = team_overview(user=user, today=today, week_start=week_start)
    return home


def team_members(user) -> list[User]:
    """Whose work a user oversees: a head the members of the teams they lead (every KAM
    when they lead none), an administrator every KAM, a senior KAM their juniors."""
    if not permissions.is_active_user(user):
        return []
    kams = User.objects.filter(is_active=True, role__in=KAM_ROLES)
    if user.role == Role.HEAD or user.is_superuser or user.role == Role.ADMIN:
        led = user.headed_teams.values("pk")
        if user.role == Role.HEAD and led.exists():
            kams = kams.filter(team__in=led)
    elif user.role == Role.SENIOR_KAM:
        kams = kams.filter(senior=user)
    else:
        return []
    return list(kams.order_by("last_name", "first_name", "username"))


def team_overview(*, user, today: date, week_start: date) -> list[TeamMember]:
    """Per team member: key accounts, this week's activities, overdue actions, plans to
    review and the last customer contact; one grouped query per figure."""
    members = {member.pk: TeamMember(user=member) for member in team_members(user)}
    if not members:
        return []
    ids = list(members)
    _key_accounts(user, today, ids, members)
    _week(user, week_start, ids, members)
    for row in (
        PlanAction.objects.visible_to(user)
        .filter(plan_selectors.OPEN_ACTION, due_on__lt=today, owner_id__in=ids)
        .order_by()
        .values("owner_id")
        .annotate(n=Count("pk"))
    ):
        members[row["owner_id"]].overdue_actions = row["n"]
    to_review = plan_selectors.plans_needing_review(user=user, today=today)
    for row in (
        AccountPlan.objects.filter(pk__in=to_review.values("pk"), owner_id__in=ids)
        .order_by()
        .values("owner_id")
        .annotate(n=Count("pk"))
    ):
        members[row["owner_id"]].plans_to_review = row["n"]
    return list(members.values())


def _key_accounts(user, today: date, ids: list[int], members: dict) -> None:
    rows = (
        Assignment.objects.visible_to(user)
        .active(today)
        .filter(user_id__in=ids, account__tier__in=KEY_TIERS, account__is_archived=False)
        .order_by()
        .values("user_id")
        .annotate(n=Count("account_id", distinct=True))
    )
    for row in rows:
        members[row["user_id"]].key_accounts = row["n"]


def _week(user, week_start: date, ids: list[int], members: dict) -> None:
    start = activity_selectors.day_start(week_start)
    end = activity_selectors.day_start(week_start + timedelta(days=7))
    in_week = Q(starts_at__gte=start, starts_at__lt=end)
    contact = Q(status=ActivityStatus.DONE, kind__in=sorted(CONTACT_KINDS))
    rows = (
        Activity.objects.visible_to(user)
        .filter(owner_id__in=ids)
        .order_by()
        .values("owner_id")
        .annotate(
            done=Count("pk", filter=in_week & Q(status=ActivityStatus.DONE)),
            planned=Count("pk", filter=in_week & Q(status=ActivityStatus.PLANNED)),
            last_contact_at=Max("starts_at", filter=contact),
        )
    )
    for row in rows:
        member = members[row["owner_id"]]
        member.week_done, member.week_planned = row["done"], row["planned"]
        member.last_contact_at = row["last_contact_at"]
