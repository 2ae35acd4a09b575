"""Writes to receivables: payment splits, promises to pay, disputes, collection steps.

Keyword-only, atomic, validated, audited. Who may write: finance, heads and
administrators on every account they see (they keep the money side), and the KAMs who
may change the account's work (they chase their own customers); a split of a payment
only the money keepers. Every write refreshes the account's stored receivables, so the
lists agree with the account page at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from openkam.accounts import access
from openkam.accounts.models import Account
from openkam.core import audit
from openkam.core.models import AuditEntry
from openkam.ledger.models import Invoice, Payment
from openkam.receivables.models import (
    Allocation,
    CollectionStep,
    Dispute,
    DunningLevel,
    PromiseToPay,
)
from openkam.receivables.refresh import refresh
from openkam.stakeholders.models import Contact
from openkam.users import permissions
from openkam.users.permissions import Actor, AnyUser

CENT = Decimal("0.01")


def may_record_collection(user: AnyUser, account: Account) -> bool:
    """May record promises, disputes and steps on this account."""
    if permissions.keeps_receivables(user):
        return Account.objects.visible_to(user).filter(pk=account.pk).exists()
    return access.may_edit(user, account)


def _require_collection(actor: Actor, account: Account) -> None:
    if actor is not None and not may_record_collection(actor, account):
        raise PermissionDenied(_("You may not record collection work on this account."))


def _require_money_keeper(actor: Actor, payment: Payment) -> None:
    if actor is None:
        return
    visible = Payment.objects.visible_to(actor).filter(pk=payment.pk).exists()
    if not (permissions.keeps_receivables(actor) and visible):
        raise PermissionDenied(_("Only finance, a head or an administrator may split payments."))


def _contact_of(account: Account, contact: Contact | None) -> Contact | None:
    if contact is not None and contact.account_id != account.pk:
        raise ValidationError({"contact": _("This person is not at this account.")})
    return contact


def _refresh(account: Account) -> None:
    refresh(permissions.today(), [account.pk])


@transaction.atomic
def allocation_set(
    *, actor: Actor, payment: Payment, shares: Mapping[Invoice, Decimal], via: str = "web"
) -> list[Allocation]:
    """Split a payment across chosen invoices by hand, replacing any earlier split; an
    empty `shares` returns the payment to its own reference or to the oldest invoices."""
    _require_money_keeper(actor, payment)
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    _check_shares(payment, shares)
    before = _split_text(payment.allocations.select_related("invoice"))
    payment.allocations.all().delete()
    made = Allocation.objects.bulk_create(
        Allocation(payment=payment, invoice=invoice, amount=amount, created_by=actor)
        for invoice, amount in shares.items()
    )
    after = _split_text(made)
    if before != after:
        audit.build_entry(
            actor=actor,
            instance=payment,
            action=AuditEntry.Action.UPDATE,
            changes={"allocations": [before, after]},
            via=via,
        ).save()
    _refresh(payment.account)
    return made


def _check_shares(payment: Payment, shares: Mapping[Invoice, Decimal]) -> None:
    if payment.amount <= 0 and shares:
        raise ValidationError(_("Only a payment received can be split across invoices."))
    total = Decimal(0)
    for invoice, amount in shares.items():
        if invoice.account_id != payment.account_id or invoice.currency != payment.currency:
            raise ValidationError(
                _("Invoice %(number)s is not this customer's in %(currency)s.")
                % {"number": invoice.number, "currency": payment.currency}
            )
        if amount <= 0 or amount != amount.quantize(CENT):
            raise ValidationError(
                _("The share of invoice %(number)s must be a positive amount in cents.")
                % {"number": invoice.number}
            )
        if amount > invoice.amount_due:
            raise ValidationError(
                _("Invoice %(number)s is for %(due)s; it cannot take %(amount)s.")
                % {"number": invoice.number, "due": invoice.amount_due, "amount": amount}
            )
        total += amount
    if total > payment.amount:
        raise ValidationError(
            _("The shares add up to %(total)s, more than the payment's %(amount)s.")
            % {"total": total, "amount": payment.amount}
        )


def _split_text(allocations: Iterable[Allocation]) -> str:
    return "; ".join(
        f"{allocation.invoice.number}: {allocation.amount}"
        for allocation in sorted(allocations, key=lambda a: a.invoice.number)
    )


@transaction.atomic
def promise_create(
    *,
    actor: Actor,
    account: Account,
    amount: Decimal,
    currency: str,
    promised_on: date,
    contact: Contact | None = None,
    note: str = "",
    via: str = "web",
) -> PromiseToPay:
    _require_collection(actor, account)
    today = permissions.today()
    if promised_on < today:
        raise ValidationError({"promised_on": _("A promise is for today or a later day.")})
    promise = PromiseToPay(
        account=account,
        amount=amount,
        currency=currency,
        promised_on=promised_on,
        given_on=today,
        contact=_contact_of(account, contact),
        note=note,
        recorded_by=actor,
    )
    if amount <= 0:
        raise ValidationError({"amount": _("A promise is for a positive amount.")})
    promise.full_clean()
    promise.save()
    audit.record_create(actor=actor, instance=promise, via=via)
    return promise


@transaction.atomic
def promise_withdraw(*, actor: Actor, promise: PromiseToPay, via: str = "web") -> PromiseToPay:
    _require_collection(actor, promise.account)
    if promise.cancelled_on is None:
        before = audit.snapshot(promise, ["cancelled_on"])
        promise.cancelled_on = permissions.today()
        promise.save(update_fields=["cancelled_on"])
        audit.record_update(actor=actor, instance=promise, before=before, via=via)
    return promise


@transaction.atomic
def dispute_open(
    *, actor: Actor, invoice: Invoice, reason: str, note: str = "", via: str = "web"
) -> Dispute:
    _require_collection(actor, invoice.account)
    if invoice.disputes.filter(resolved_on__isnull=True).exists():
        raise ValidationError(_("This invoice is already disputed."))
    dispute = Dispute(
        invoice=invoice, reason=reason, note=note, opened_on=permissions.today(), opened_by=actor
    )
    dispute.full_clean()
    dispute.save()
    audit.record_create(actor=actor, instance=dispute, via=via)
    return dispute


@transaction.atomic
def dispute_resolve(
    *, actor: Actor, dispute: Dispute, resolution: str, via: str = "web"
) -> Dispute:
    _require_collection(actor, dispute.invoice.account)
    if dispute.resolved_on is not None:
        raise ValidationError(_("This dispute is already resolved."))
    if not resolution.strip():
        raise ValidationError({"resolution": _("Say how the dispute was resolved.")})
    before = audit.snapshot(dispute, ["resolved_on", "resolution"])
    dispute.resolved_on = permissions.today()
    dispute.resolution = resolution.strip()
    dispute.save(update_fields=["resolved_on", "resolution"])
    audit.record_update(actor=actor, instance=dispute, before=before, via=via)
    return dispute


@transaction.atomic
def step_record(
    *,
    actor: Actor,
    account: Account,
    currency: str,
    action: str,
    done_on: date,
    level: DunningLevel | None = None,
    contact: Contact | None = None,
    note: str = "",
    next_on: date | None = None,
    via: str = "web",
) -> CollectionStep:
    _require_collection(actor, account)
    if done_on > permissions.today():
        raise ValidationError({"done_on": _("A step is recorded once it is done.")})
    if next_on is None and level is not None:
        next_on = date.fromordinal(done_on.toordinal() + level.repeat_days)
    if next_on is not None and next_on < done_on:
        raise ValidationError({"next_on": _("The next step cannot come before this one.")})
    step = CollectionStep(
        account=account,
        currency=currency,
        action=action,
        done_on=done_on,
        level=level,
        contact=_contact_of(account, contact),
        note=note,
        next_on=next_on,
        done_by=actor,
    )
    step.full_clean()
    step.save()
    audit.record_create(actor=actor, instance=step, via=via)
    return step
