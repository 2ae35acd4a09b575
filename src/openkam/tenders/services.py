"""Writes of tenders: create, edit, move between statuses, the documents checklist; each
checked (the actor may change the issuer's work) and audited.

Status moves set the dates: submitted sets `submitted_on`, a decision (won, lost,
cancelled) sets `decided_on`; moving back reopens (a decided tender back to preparing or
submitted loses its decision, back to preparing also its submission). A tender is
submitted only with every required document done; lost and cancelled need their reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.accounts import access
from openkam.accounts.models import Account, Assignment, AssignmentRole
from openkam.core import audit
from openkam.tenders.models import (
    DECIDED_STATUSES,
    REASON_REQUIRED,
    Status,
    Tender,
    TenderDocument,
    TenderLine,
)
from openkam.users import permissions
from openkam.users.models import User
from openkam.users.permissions import Actor, AnyUser

EDITABLE = (
    "title", "reference", "published_on", "deadline", "estimated_value", "currency", "owner",
    "our_total", "winning_total", "winner_name", "outcome_reason", "outcome_note", "notes",
)  # fmt: skip


@dataclass(frozen=True)
class LineIn:
    product_line: str
    quantity: Decimal | None = None
    our_price: Decimal | None = None
    winning_price: Decimal | None = None


def may_edit(user: AnyUser | None, account: Account) -> bool:
    return access.may_edit(user, account)


def _require(actor: Actor, account: Account) -> None:
    if actor is not None:
        access.require_edit(actor, account, _("You may not change the tenders of this account."))


def default_owner(account: Account, on: date) -> User | None:
    """The account's KAM (its owner assignment) on the day."""
    owner = (
        Assignment.objects.active(on)
        .filter(account=account, role=AssignmentRole.OWNER)
        .select_related("user")
        .order_by("starts_on", "pk")
        .first()
    )
    return owner.user if owner else None


@transaction.atomic
def tender_create(
    *,
    actor: Actor,
    account: Account,
    title: str,
    deadline: datetime,
    currency: str,
    lines: Iterable[LineIn] = (),
    documents: Iterable[str] = (),
    competitors: Iterable[Any] = (),
    winner: Any = None,
    via: str = "web",
    **fields: Any,
) -> Tender:
    _require(actor, account)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not settable here: {', '.join(sorted(unknown))}")
    tender = Tender(
        account=account, title=title, deadline=deadline, currency=currency.upper(), **fields
    )
    if tender.owner_id is None:
        tender.owner = default_owner(account, permissions.today())
    tender.full_clean()
    tender.save()
    _set_lines(tender, lines)
    _set_competitors(tender, competitors, winner)
    for name in documents:
        if name.strip():
            TenderDocument.objects.create(tender=tender, name=name.strip()[:200])
    audit.record_create(actor=actor, instance=tender, via=via)
    return tender


def _set_lines(tender: Tender, lines: Iterable[LineIn]) -> None:
    """Replace the lines; one row per product line."""
    wanted: dict[str, LineIn] = {}
    for line in lines:
        name = line.product_line.strip()
        if not name:
            continue
        if name in wanted:
            raise ValidationError(
                {"lines": _("The product line %(line)s is given twice.") % {"line": name}}
            )
        wanted[name] = line
    tender.lines.all().delete()
    rows = [
        TenderLine(
            tender=tender,
            product_line=name,
            quantity=line.quantity,
            our_price=line.our_price,
            winning_price=line.winning_price,
        )  # fmt: skip
        for name, line in wanted.items()
    ]
    for row in rows:
        row.full_clean(exclude=["tender"])
    TenderLine.objects.bulk_create(rows)


def _set_competitors(tender: Tender, competitors: Iterable[Any] | None, winner: Any) -> None:
    """Competitors and the winner: only those recorded at the issuer."""
    present = set(tender.account.competitors.values_list("competitor_id", flat=True))
    if competitors is not None:
        rivals = list(competitors)
        if any(rival.pk not in present for rival in rivals):
            raise ValidationError(
                {"competitors": _("Choose competitors recorded at this account.")}
            )
        tender.competitors.set(rivals)
    if winner is not None and winner.pk not in present:
        raise ValidationError({"winner": _("Choose a competitor recorded at this account.")})
    if winner is not None and winner.pk != tender.winner_id:
        tender.winner = winner
        tender.save(update_fields=["winner"])


def _checked_save(tender: Tender) -> None:
    """Save a changed tender, or refuse and leave the caller's object as stored."""
    try:
        _check_outcome(tender)
        tender.full_clean()
    except ValidationError:
        tender.refresh_from_db()
        raise
    tender.save()


def _check_outcome(tender: Tender) -> None:
    if tender.status in REASON_REQUIRED and not tender.outcome_reason:
        raise ValidationError({"outcome_reason": _("Say why the tender was lost or cancelled.")})
    if tender.status not in DECIDED_STATUSES:
        tender.outcome_reason, tender.outcome_note = "", ""
    if tender.status != Status.LOST:
        # Only a lost tender has a winner other than us.
        tender.winner, tender.winner_name = None, ""


@transaction.atomic
def tender_update(
    *,
    actor: Actor,
    tender: Tender,
    lines: Iterable[LineIn] | None = None,
    competitors: Iterable[Any] | None = None,
    winner: Any = None,
    clear_winner: bool = False,
    via: str = "web",
    **changes: Any,
) -> Tender:
    _require(actor, tender.account)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable here: {', '.join(sorted(unknown))}")
    before = audit.snapshot(tender)
    for name, value in changes.items():
        setattr(tender, name, value)
    tender.currency = tender.currency.upper()
    if clear_winner:
        tender.winner = None
    _checked_save(tender)
    if lines is not None:
        _set_lines(tender, lines)
    _set_competitors(tender, competitors, winner if tender.status == Status.LOST else None)
    audit.record_update(actor=actor, instance=tender, before=before, via=via)
    return tender


def open_documents(tender: Tender) -> list[str]:
    return list(tender.documents.not_done().values_list("name", flat=True))


@transaction.atomic
def tender_move(
    *,
    actor: Actor,
    tender: Tender,
    status: str,
    outcome_reason: str = "",
    outcome_note: str = "",
    winner: Any = None,
    winner_name: str = "",
    winning_total: Decimal | None = None,
    via: str = "web",
) -> Tender:
    """To another status: the dates follow, the rules of the new status are checked."""
    _require(actor, tender.account)
    if status not in Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status == tender.status:
        return tender
    if status == Status.SUBMITTED and tender.status == Status.PREPARING:
        missing = open_documents(tender)
        if missing:
            raise ValidationError({"status": _(
                "The tender cannot be submitted: these required documents are not done: "
                "%(names)s."
            ) % {"names": ", ".join(missing)}})  # fmt: skip
    before = audit.snapshot(tender)
    today = permissions.today()
    tender.status = status
    tender.outcome_reason, tender.outcome_note = outcome_reason, outcome_note
    tender.winner_name = winner_name.strip()
    tender.winner = None
    if winning_total is not None:
        tender.winning_total = winning_total
    _dates(tender, today)
    _checked_save(tender)
    if status == Status.LOST:
        _set_competitors(tender, None, winner)
    audit.record_update(actor=actor, instance=tender, before=before, via=via)
    return tender


def _dates(tender: Tender, today: date) -> None:
    if tender.status == Status.PREPARING:
        tender.submitted_on, tender.decided_on = None, None
    elif tender.status == Status.SUBMITTED:
        tender.submitted_on = tender.submitted_on or today
        tender.decided_on = None
    else:
        tender.decided_on = today


# --- the documents checklist ---------------------------------------------------------------


@transaction.atomic
def document_add(
    *,
    actor: Actor,
    tender: Tender,
    name: str,
    responsible: User | None = None,
    due_on: date | None = None,
    via: str = "web",
) -> TenderDocument:
    _require(actor, tender.account)
    document = TenderDocument(
        tender=tender, name=name.strip(), responsible=responsible, due_on=due_on
    )
    document.full_clean()
    document.save()
    audit.record_create(actor=actor, instance=document, via=via)
    return document


@transaction.atomic
def document_toggle(
    *, actor: Actor, document: TenderDocument, done: bool | None = None, via: str = "web"
) -> TenderDocument:
    """Tick or untick a document (the opposite of now unless `done` says); who and when
    are kept."""
    _require(actor, document.tender.account)
    before = audit.snapshot(document)
    document.is_done = (not document.is_done) if done is None else done
    document.done_by = actor if document.is_done else None
    document.done_at = timezone.now() if document.is_done else None
    document.save()
    audit.record_update(actor=actor, instance=document, before=before, via=via)
    return document


@transaction.atomic
def document_delete(*, actor: Actor, document: TenderDocument, via: str = "web") -> None:
    _require(actor, document.tender.account)
    audit.record_delete(actor=actor, instance=document, via=via)
    document.delete()


def lines_of(tender: Tender) -> Sequence[LineIn]:
    return [
        LineIn(line.product_line, line.quantity, line.our_price, line.winning_price)
        for line in tender.lines.all()
    ]
