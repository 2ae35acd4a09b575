"""Changes to credit: limits, checks and exceptions. Every one is audited.

Finance, heads and administrators keep the money: they set limits and record checks on
any account they see. A KAM asks for an exception on an account they may edit; a head or
an administrator (never the one who asked) approves or rejects it.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.accounts import access
from openkam.accounts.models import Account
from openkam.core import audit
from openkam.credit import evidence
from openkam.credit.assessment import assess
from openkam.credit.models import (
    CreditCheck,
    CreditException,
    CreditLimit,
    CreditPolicy,
    ExceptionStatus,
    LimitScope,
)
from openkam.ledger.periods import shift_months
from openkam.users import permissions
from openkam.users.models import Role
from openkam.users.permissions import Actor, AnyUser

# Sent after an exception is approved (sender: CreditException, exception=...), so the
# app that asked for it (sales) can let its order go ahead.
exception_approved = Signal()

APPROVER_ROLES = frozenset({Role.HEAD, Role.ADMIN})


def may_keep_credit(user: AnyUser, account: Account) -> bool:
    """May set limits and record checks on this account."""
    return (
        permissions.keeps_receivables(user)
        and access.visible(Account, user).filter(pk=account.pk).exists()
    )


def may_decide(user: AnyUser, exception: CreditException) -> bool:
    return (
        permissions.is_active_user(user)
        and user.role in APPROVER_ROLES
        and exception.requested_by_id != user.pk
        and access.visible(Account, user).filter(pk=exception.account_id).exists()
    )


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _positive_money(value: Decimal, field: str, *, zero: bool = False) -> None:
    if value < 0 or (value == 0 and not zero) or value != value.quantize(Decimal("0.01")):
        raise ValidationError({field: _("Enter an amount in cents, more than zero.")})


@transaction.atomic
def limit_set(
    *,
    actor: Actor,
    account: Account,
    amount: Decimal,
    currency: str,
    valid_from: date,
    scope: str = LimitScope.ACCOUNT,
    note: str = "",
    via: str = "web",
) -> CreditLimit:
    """A new limit from a day (the history keeps the earlier ones); 0 allows no credit."""
    if actor is not None:
        _require(
            may_keep_credit(actor, account), _("Only finance or a head may set credit limits.")
        )
    _positive_money(amount, "amount", zero=True)
    if scope == LimitScope.GROUP and account.group_root_id not in (None, account.pk):
        raise ValidationError(
            {"scope": _("A group limit is set on the group's head company, %(name)s.")
             % {"name": account.group_root}}
        )  # fmt: skip
    limit = CreditLimit(
        account=account, scope=scope, currency=currency, amount=amount,
        valid_from=valid_from, note=note, set_by=actor,
    )  # fmt: skip
    limit.full_clean()
    limit.save()
    audit.record_create(actor=actor, instance=limit, via=via)
    return limit


def next_check_due(checked_on: date, risk_class: str) -> date:
    return shift_months(checked_on, CreditPolicy.current().review_months(risk_class))


@transaction.atomic
def check_record(
    *,
    actor: Actor,
    account: Account,
    checked_on: date,
    source: str,
    risk_class: str,
    rating: str = "",
    note: str = "",
    next_check_on: date | None = None,
    via: str = "web",
) -> CreditCheck:
    """A credit check; the next one falls due by the risk class unless a day is given."""
    if actor is not None:
        _require(
            may_keep_credit(actor, account), _("Only finance or a head may record credit checks.")
        )
    if checked_on > permissions.today():
        raise ValidationError({"checked_on": _("A check cannot be dated in the future.")})
    check = CreditCheck(
        account=account, checked_on=checked_on, source=source, risk_class=risk_class,
        rating=rating, note=note, recorded_by=actor,
        next_check_on=next_check_on or next_check_due(checked_on, risk_class or "A"),
    )  # fmt: skip
    check.full_clean()
    if check.next_check_on <= checked_on:
        raise ValidationError({"next_check_on": _("The next check is due after this one.")})
    check.save()
    audit.record_create(actor=actor, instance=check, via=via)
    return check


@transaction.atomic
def exception_request(
    *,
    actor: Actor,
    account: Account,
    currency: str,
    amount: Decimal,
    subject: str,
    reason: str,
    via: str = "web",
) -> CreditException:
    """Ask for leave to go beyond the credit rule once, with today's evidence."""
    if actor is not None:
        _require(access.may_edit(actor, account), _("You may not ask for credit on this account."))
    _positive_money(amount, "amount")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the order should go ahead.")})
    today = permissions.today()
    exception = CreditException(
        account=account, currency=currency, amount=amount, subject=subject[:200],
        reason=reason, requested_by=actor, evidence=evidence.gather(assess(account, currency, today)),
    )  # fmt: skip
    exception.full_clean()
    exception.save()
    audit.record_create(actor=actor, instance=exception, via=via)
    return exception


@transaction.atomic
def exception_decide(
    *,
    actor: Actor,
    exception: CreditException,
    approve: bool,
    note: str = "",
    via: str = "web",
) -> CreditException:
    """Approve (valid for the policy's days) or reject, with a note; audited."""
    exception = CreditException.objects.select_for_update().get(pk=exception.pk)
    if actor is not None:
        _require(may_decide(actor, exception), _("Only a head who did not ask may decide."))
    if exception.status != ExceptionStatus.PENDING:
        raise ValidationError(_("This exception is already decided."))
    if not approve and not note.strip():
        raise ValidationError({"note": _("Say why the exception is rejected.")})
    fields = ["status", "decided_by", "decided_at", "decision_note", "expires_on"]
    before = audit.snapshot(exception, fields)
    exception.status = ExceptionStatus.APPROVED if approve else ExceptionStatus.REJECTED
    exception.decided_by = actor
    exception.decided_at = timezone.now()
    exception.decision_note = note
    if approve:
        days = CreditPolicy.current().exception_days
        exception.expires_on = permissions.today() + timedelta(days=days)
    exception.save(update_fields=fields)
    audit.record_update(actor=actor, instance=exception, before=before, via=via)
    if approve:
        exception_approved.send(sender=CreditException, exception=exception, actor=actor, via=via)
    return exception


@transaction.atomic
def exception_withdraw(
    *, actor: Actor, exception: CreditException, via: str = "web"
) -> CreditException:
    if actor is not None:
        _require(access.may_edit(actor, exception.account), _("You may not withdraw this request."))
    if exception.status != ExceptionStatus.PENDING:
        raise ValidationError(_("Only a request awaiting a decision can be withdrawn."))
    before = audit.snapshot(exception, ["status"])
    exception.status = ExceptionStatus.WITHDRAWN
    exception.save(update_fields=["status"])
    audit.record_update(actor=actor, instance=exception, before=before, via=via)
    return exception
