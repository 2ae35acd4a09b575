"""JSON API for activities (mounted in openkam.api at /api/activities).

Reads follow the account's visibility (404 otherwise); writes also need a role that may
change account work: finance and viewer get 403 on an activity they can see.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from openkam.accounts import access
from openkam.accounts.api import OnAccountOut
from openkam.accounts.models import Account
from openkam.activities import selectors, services
from openkam.activities.models import Activity, ActivityKind, ActivityStatus
from openkam.core import bounds
from openkam.core.schemas import WRITE_ERRORS

router = Router(tags=["activities"])


class ParticipantOut(Schema):
    id: int
    name: str
    email: str


class ActivityOut(OnAccountOut):
    id: int
    kind: ActivityKind
    status: ActivityStatus
    subject: str
    starts_at: datetime
    ends_at: datetime | None
    location: str
    objective: str
    outcome: str
    next_steps: str
    done_at: datetime | None
    owner_id: int
    plan_action_id: int | None
    contacts: list[ParticipantOut]

    @staticmethod
    def resolve_contacts(obj) -> list[dict]:
        # Only the people the reader may see (loaded by selectors.with_details).
        people = selectors.participants(obj)
        return [{"id": c.pk, "name": str(c), "email": c.email} for c in people]


class ActivityFilters(Schema):
    account_id: bounds.Id | None = None
    from_: bounds.ApiDate | None = Field(
        None, alias="from", description="Starts on or after this day"
    )
    to: bounds.ApiDate | None = Field(None, description="Starts on or before this day")
    status: ActivityStatus | None = None
    kind: ActivityKind | None = None


class ActivityIn(Schema):
    model_config = ConfigDict(extra="forbid")

    account_id: bounds.Id
    kind: ActivityKind
    subject: str = Field(min_length=1, max_length=200)
    starts_at: bounds.ApiDateTime
    ends_at: bounds.ApiDateTime | None = None
    location: str = ""
    objective: str = ""
    contact_ids: list[bounds.Id] = Field([], max_length=1000)
    plan_action_id: bounds.Id | None = None


class CompleteIn(Schema):
    model_config = ConfigDict(extra="forbid")

    outcome: str
    next_steps: str = ""
    done_at: bounds.ApiDateTime | None = None


class CancelIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = ""


def _details(user):
    """Activities with their account, owner and the people `user` may see."""
    return selectors.with_details(Activity.objects.all(), user=user)


def _unknown(field: str) -> ValidationError:
    return ValidationError({field: _("Not found.")})


@router.get("", response=list[ActivityOut], url_name="activity_list")
@paginate(bounds.Pages, page_size=50)
def activity_list(request, filters: Query[ActivityFilters]):
    return selectors.activity_list(
        user=request.auth,
        account_id=filters.account_id,
        starts_from=filters.from_,
        starts_to=filters.to,
        status=filters.status or "",
        kind=filters.kind or "",
    )


@router.get("/{id:activity_id}", response=ActivityOut, url_name="activity_detail")
def activity_detail(request, activity_id: int):
    return access.visible_or_404(_details(request.auth), request.auth, pk=activity_id)


@router.post(
    "",
    response={201: ActivityOut, **WRITE_ERRORS},
    url_name="activity_list",
)
def activity_create(request, payload: ActivityIn):
    from openkam.plans.models import PlanAction
    from openkam.stakeholders.models import Contact

    user = request.auth
    account = access.api_editable_or_404(Account, user, pk=payload.account_id)
    contacts = list(Contact.objects.visible_to(user).filter(pk__in=payload.contact_ids))
    if len(contacts) != len(set(payload.contact_ids)):
        raise _unknown("contact_ids")
    plan_action = None
    if payload.plan_action_id is not None:
        plan_action = PlanAction.objects.visible_to(user).filter(pk=payload.plan_action_id).first()
        if plan_action is None:
            raise _unknown("plan_action_id")
    activity = services.activity_create(
        actor=user,
        account=account,
        kind=payload.kind,
        subject=payload.subject,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        location=payload.location,
        objective=payload.objective,
        contacts=contacts,
        plan_action=plan_action,
        via="api",
    )
    return Status(201, access.visible_or_404(_details(user), user, pk=activity.pk))


@router.post(
    "/{id:activity_id}/complete",
    response={200: ActivityOut, **WRITE_ERRORS},
    url_name="activity_complete",
)
def activity_complete(request, activity_id: int, payload: CompleteIn):
    """Log the outcome. One planned for later than `done_at` (now by default) took place
    already: it moves to end then, keeping its length (a task keeps its due day)."""
    user = request.auth
    activity = access.api_editable_or_404(_details(user), user, pk=activity_id)
    services.activity_complete(
        actor=user,
        activity=activity,
        outcome=payload.outcome,
        next_steps=payload.next_steps,
        done_at=payload.done_at,
        via="api",
    )
    return access.visible_or_404(_details(user), user, pk=activity_id)


@router.post(
    "/{id:activity_id}/cancel",
    response={200: ActivityOut, **WRITE_ERRORS},
    url_name="activity_cancel",
)
def activity_cancel(request, activity_id: int, payload: CancelIn):
    user = request.auth
    activity = access.api_editable_or_404(_details(user), user, pk=activity_id)
    services.activity_cancel(actor=user, activity=activity, reason=payload.reason, via="api")
    return access.visible_or_404(_details(user), user, pk=activity_id)
