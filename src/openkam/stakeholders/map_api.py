"""JSON API for the stakeholder map (mounted at /api/stakeholders in openkam.api).

Reads follow the visibility of the account (invisible: 404); writes refuse read-only
roles with 403 and bad input with 422.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from openkam.accounts import access
from openkam.accounts.models import Account
from openkam.core import bounds
from openkam.core.schemas import WRITE_ERRORS, ErrorOut
from openkam.stakeholders import selectors, services
from openkam.stakeholders.coverage import CoverageAlert, coverage_alerts
from openkam.stakeholders.models import Attitude, Contact, ContactLink, LinkKind
from openkam.users import permissions

router = Router(tags=["stakeholders"])


class PersonOut(Schema):
    id: int
    account_id: int
    first_name: str
    last_name: str
    position: str
    email: str
    buying_role: str = Field(description="decision_maker, economic_buyer, ... or empty")
    influence: int | None
    attitude: Attitude
    relationship_strength: int | None
    relationship_owner_id: int | None
    left_on: date | None
    last_contact_on: date | None = Field(
        None, description="Day of the latest done meeting, visit, call or e-mail with them"
    )


class LinkOut(Schema):
    id: int
    source_id: int
    target_id: int
    kind: LinkKind
    note: str


class AlertOut(Schema):
    account_id: int
    account_name: str
    contact_id: int | None
    kind: str
    days: int | None
    message: str


class MapOut(Schema):
    account_id: int
    account_name: str
    people: list[PersonOut]
    others: list[PersonOut] = Field(description="People of other group accounts linked to them")
    links: list[LinkOut]
    alerts: list[AlertOut]


class AttitudeIn(Schema):
    attitude: Attitude
    note: str = ""


class AttitudeChangeOut(Schema):
    id: int
    contact_id: int
    attitude: Attitude
    previous_attitude: Attitude
    note: str
    changed_by_id: int | None
    changed_at: datetime


class LinkIn(Schema):
    target_id: bounds.Id | None = None
    kind: str = LinkKind.REPORTS_TO.value
    note: str = ""


def _alert_out(alert: CoverageAlert) -> dict:
    return {
        "account_id": alert.account.pk,
        "account_name": alert.account.name,
        "contact_id": alert.contact.pk if alert.contact else None,
        "kind": alert.kind,
        "days": alert.days,
        "message": alert.message,
    }


def _people():
    return Contact.objects.select_related("account")


@router.get("/accounts/{id:account_id}/map", response=MapOut, url_name="stakeholder_map")
def account_map(request, account_id: int):
    """An account's people with their roles, attitude and last contact, links, and gaps."""
    user = request.auth
    account = access.visible_or_404(Account, user, pk=account_id)
    stake_map = selectors.stakeholder_map(user=user, account=account)
    alerts = coverage_alerts(user=user, today=permissions.today(), accounts=[account])
    return {
        "account_id": account.pk,
        "account_name": account.name,
        "people": stake_map.contacts,
        "others": stake_map.outside,
        "links": stake_map.links,
        "alerts": [_alert_out(a) for a in alerts],
    }


@router.get("/coverage", response=list[AlertOut], url_name="stakeholder_coverage")
def coverage(request):
    """Coverage gaps on the key accounts the user works, most serious first."""
    alerts = coverage_alerts(user=request.auth, today=permissions.today())
    return [_alert_out(a) for a in alerts]


@router.get(
    "/contacts/{id:contact_id}/attitudes",
    response=list[AttitudeChangeOut],
    url_name="stakeholder_attitudes",
)
def attitude_history(request, contact_id: int):
    contact = access.visible_or_404(_people(), request.auth, pk=contact_id)
    return selectors.attitude_history(user=request.auth, contact=contact)


@router.post(
    "/contacts/{id:contact_id}/attitudes",
    response={201: AttitudeChangeOut, **WRITE_ERRORS},
    url_name="stakeholder_attitudes",
)
def attitude_set(request, contact_id: int, payload: AttitudeIn):
    """Record a person's attitude to us now (kept as history)."""
    contact = access.api_editable_or_404(_people(), request.auth, pk=contact_id)
    change = services.attitude_set(
        actor=request.auth,
        contact=contact,
        attitude=payload.attitude,
        note=payload.note,
        via="api",
    )
    return Status(201, change)


@router.post(
    "/contacts/{id:contact_id}/links",
    response={201: LinkOut, **WRITE_ERRORS},
    url_name="stakeholder_links",
)
def link_create(request, contact_id: int, payload: LinkIn):
    """Link this person to another of the same customer: this person <kind> target."""
    user = request.auth
    source = access.api_editable_or_404(_people(), user, pk=contact_id)
    if payload.target_id is None:
        raise ValidationError({"target_id": _("This field is required.")})
    target = access.visible_or_404(_people(), user, pk=payload.target_id)
    link = services.contact_link_create(
        actor=user,
        source=source,
        target=target,
        kind=payload.kind,
        note=payload.note,
        via="api",
    )
    return Status(201, link)


@router.delete(
    "/links/{id:link_id}",
    response={204: None, 403: ErrorOut, 404: ErrorOut},
    url_name="stakeholder_link",
)
def link_delete(request, link_id: int):
    user = request.auth
    visible = Contact.objects.visible_to(user)
    links = ContactLink.objects.filter(target__in=visible).select_related("source")
    link = access.api_editable_or_404(links, user, pk=link_id)
    services.contact_link_delete(actor=user, link=link, via="api")
    return Status(204, None)
