"""Writes of opportunities: create, edit, move between stages, each checked and audited.

A move is a row of history (`StageChange`); winning or losing closes the opportunity on
the day (a loss needs its reason), and moving it back to an open stage reopens it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.accounts import access
from openkam.accounts.models import Account, Assignment, AssignmentRole
from openkam.core import audit
from openkam.opportunities.models import Opportunity, OpportunityLine, Outcome, Stage, StageChange
from openkam.stakeholders.models import Contact
from openkam.users import permissions
from openkam.users.models import User
from openkam.users.permissions import Actor, AnyUser

EDITABLE = (
    "title", "kind", "value", "currency", "probability", "expected_close", "owner",
    "description", "lost_reason", "lost_note", "closed_on",
)  # fmt: skip


def may_sell(user: AnyUser | None, account: Account) -> bool:
    return access.may_edit(user, account)


def _require(actor: Actor, account: Account) -> None:
    if actor is not None:
        access.require_edit(
            actor, account, _("You may not change the opportunities of this account.")
        )


def default_owner(account: Account, on: date) -> User | None:
    owner = (
        Assignment.objects.active(on)
        .filter(account=account, role=AssignmentRole.OWNER)
        .select_related("user")
        .order_by("starts_on", "pk")
        .first()
    )
    return owner.user if owner else None


def first_stage() -> Stage:
    stage = Stage.objects.filter(is_active=True, outcome=Outcome.OPEN).first()
    if stage is None:
        raise ValidationError({"stage": _("No open stage is in use: add one in the back office.")})
    return stage


@transaction.atomic
def opportunity_create(
    *,
    actor: Actor,
    account: Account,
    title: str,
    value: Decimal,
    currency: str,
    expected_close: date,
    stage: Stage | None = None,
    probability: int | None = None,
    product_lines: Iterable[str] = (),
    stakeholders: Iterable[Contact] = (),
    competitors: Iterable[Any] = (),
    via: str = "web",
    **fields: Any,
) -> Opportunity:
    _require(actor, account)
    stage = stage or first_stage()
    opportunity = Opportunity(
        account=account, title=title, value=value, currency=currency.upper(),
        expected_close=expected_close, stage=stage,
        probability=stage.probability if probability is None else probability,
        **fields,
    )  # fmt: skip
    if opportunity.owner_id is None:
        opportunity.owner = default_owner(account, permissions.today())
    _close_or_open(opportunity, stage)
    opportunity.full_clean()
    opportunity.save()
    _set_lines(opportunity, product_lines)
    _set_people(opportunity, stakeholders, competitors)
    _record_move(opportunity, None, actor)
    audit.record_create(actor=actor, instance=opportunity, via=via)
    return opportunity


def _close_or_open(opportunity: Opportunity, stage: Stage) -> None:
    if stage.outcome == Outcome.LOST and not opportunity.lost_reason:
        raise ValidationError({"lost_reason": _("Say why the opportunity was lost.")})
    if stage.is_open:
        opportunity.closed_on = None
        opportunity.lost_reason, opportunity.lost_note = "", ""
    elif opportunity.closed_on is None:
        opportunity.closed_on = permissions.today()
    if stage.outcome == Outcome.WON:
        opportunity.probability = 100
        opportunity.lost_reason, opportunity.lost_note = "", ""
    elif stage.outcome == Outcome.LOST:
        opportunity.probability = 0


def _checked_save(opportunity: Opportunity) -> None:
    """Save a changed opportunity, or refuse and leave the caller's object as stored (a
    page or script that tries again must not start from the refused values)."""
    try:
        _close_or_open(opportunity, opportunity.stage)
        opportunity.full_clean()
    except ValidationError:
        opportunity.refresh_from_db()
        raise
    opportunity.save()


def _set_lines(opportunity: Opportunity, product_lines: Iterable[str]) -> None:
    wanted = {line.strip() for line in product_lines if line.strip()}
    opportunity.product_lines.exclude(product_line__in=wanted).delete()
    have = set(opportunity.product_lines.values_list("product_line", flat=True))
    OpportunityLine.objects.bulk_create(
        OpportunityLine(opportunity=opportunity, product_line=line)
        for line in sorted(wanted - have)
    )


def _set_people(
    opportunity: Opportunity, stakeholders: Iterable[Contact], competitors: Iterable[Any]
) -> None:
    """People of the account only, competitors present at it only."""
    contacts = list(stakeholders)
    if any(contact.account_id != opportunity.account_id for contact in contacts):
        raise ValidationError({"stakeholders": _("Choose people of this account.")})
    rivals = list(competitors)
    present = set(opportunity.account.competitors.values_list("competitor_id", flat=True))
    if any(rival.pk not in present for rival in rivals):
        raise ValidationError({"competitors": _("Choose competitors recorded at this account.")})
    opportunity.stakeholders.set(contacts)
    opportunity.competitors.set(rivals)


def _record_move(opportunity: Opportunity, from_stage: Stage | None, actor: Actor) -> None:
    StageChange.objects.create(
        opportunity=opportunity, from_stage=from_stage, to_stage=opportunity.stage,
        at=timezone.now(), by=actor, value=opportunity.value,
        probability=opportunity.probability,
    )  # fmt: skip


@transaction.atomic
def opportunity_update(
    *,
    actor: Actor,
    opportunity: Opportunity,
    product_lines: Iterable[str] | None = None,
    stakeholders: Iterable[Contact] | None = None,
    competitors: Iterable[Any] | None = None,
    via: str = "web",
    **changes: Any,
) -> Opportunity:
    _require(actor, opportunity.account)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable here: {', '.join(sorted(unknown))}")
    before = audit.snapshot(opportunity)
    for name, value in changes.items():
        setattr(opportunity, name, value)
    opportunity.currency = opportunity.currency.upper()
    _checked_save(opportunity)
    if product_lines is not None:
        _set_lines(opportunity, product_lines)
    if stakeholders is not None or competitors is not None:
        _set_people(
            opportunity,
            opportunity.stakeholders.all() if stakeholders is None else stakeholders,
            opportunity.competitors.all() if competitors is None else competitors,
        )
    audit.record_update(actor=actor, instance=opportunity, before=before, via=via)
    return opportunity


@transaction.atomic
def opportunity_move(
    *,
    actor: Actor,
    opportunity: Opportunity,
    stage: Stage,
    lost_reason: str = "",
    lost_note: str = "",
    via: str = "web",
) -> Opportunity:
    """To another stage, at the stage's default probability (100 when won, 0 when lost)."""
    _require(actor, opportunity.account)
    if stage.pk == opportunity.stage_id:
        return opportunity
    if not stage.is_active:
        raise ValidationError({"stage": _("That stage is no longer in use.")})
    before = audit.snapshot(opportunity)
    from_stage = opportunity.stage
    opportunity.stage, opportunity.probability = stage, stage.probability
    opportunity.lost_reason, opportunity.lost_note = lost_reason, lost_note
    _checked_save(opportunity)
    _record_move(opportunity, from_stage, actor)
    audit.record_update(actor=actor, instance=opportunity, before=before, via=via)
    return opportunity
