"""Orders come into being and back to life only here, and each time credit is asked.

`order_place` is the one gate: typed in, sent by the API, copied from an old order,
imported from the ERP, reopened after closing, changed in amount, or released by an
approved exception, an order goes on (open) only if credit passes it, and is held with
the reasons otherwise. Every change is audited.
"""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from openkam.accounts import access
from openkam.accounts.models import Account
from openkam.core import audit
from openkam.credit import services as credit
from openkam.credit.assessment import Verdict, check_order
from openkam.credit.models import CreditException, ExceptionStatus
from openkam.sales.models import CLOSED_STATUSES, Order, OrderStatus
from openkam.users import permissions
from openkam.users.permissions import Actor, AnyUser

PLACEMENT_FIELDS = ["status", "hold_reasons"]


def may_order(user: AnyUser, account: Account) -> bool:
    return access.may_edit(user, account)


def _require_order(actor: Actor, account: Account) -> None:
    if actor is not None and not may_order(actor, account):
        raise PermissionDenied(_("You may not take orders for this account."))


def open_order_totals(account_ids: Collection[int], currency: str) -> dict[int, Decimal]:
    """Open orders not yet invoiced, per account (the credit exposure they add)."""
    rows = (
        Order.objects.filter(account_id__in=account_ids, currency=currency, status=OrderStatus.OPEN)
        .order_by()
        .values("account_id")
        .annotate(total=Sum("amount"))
    )
    return {row["account_id"]: row["total"] for row in rows}


def order_place(*, actor: Actor, order: Order, via: str) -> Verdict:
    """Open the order if credit passes it, else hold it with the reasons. The order is
    first taken out of the open ones so that it is not counted against itself."""
    before = audit.snapshot(order, PLACEMENT_FIELDS)
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.HELD)
    verdict = check_order(
        order.account, order.currency, order.amount, permissions.today(), order.credit_exception
    )
    order.status = OrderStatus.OPEN if verdict.passed else OrderStatus.HELD
    order.hold_reasons = "" if verdict.passed else "\n".join(verdict.reasons)
    order.save(update_fields=PLACEMENT_FIELDS)
    audit.record_update(actor=actor, instance=order, before=before, via=via)
    return verdict


def _number(order: Order) -> str:
    return f"{order.ordered_on:%Y}/{order.pk:06d}"


@transaction.atomic
def order_create(
    *,
    actor: Actor,
    account: Account,
    currency: str,
    amount: Decimal,
    ordered_on: Any = None,
    number: str = "",
    note: str = "",
    source: str = "manual",
    external_id: str = "",
    copied_from: Order | None = None,
    via: str = "web",
) -> tuple[Order, Verdict]:
    _require_order(actor, account)
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("An order is for a positive amount.")})
    order = Order(
        account=account, currency=currency, amount=amount, note=note,
        ordered_on=ordered_on or permissions.today(), number=number or "-",
        source=source, external_id=external_id, copied_from=copied_from,
        created_by=actor, status=OrderStatus.HELD,
    )  # fmt: skip
    order.full_clean(exclude=["number"] if not number else None)
    order.save()
    if not number:
        order.number = _number(order)
        order.save(update_fields=["number"])
    audit.record_create(actor=actor, instance=order, via=via)
    return order, order_place(actor=actor, order=order, via=via)


@transaction.atomic
def order_copy(*, actor: Actor, order: Order, via: str = "web") -> tuple[Order, Verdict]:
    """A new order like an old one, dated today, checked afresh (an exception granted
    to the old order does not carry over)."""
    return order_create(
        actor=actor, account=order.account, currency=order.currency, amount=order.amount,
        note=order.note, copied_from=order, via=via,
    )  # fmt: skip


@transaction.atomic
def order_change(
    *, actor: Actor, order: Order, amount: Decimal, note: str, via: str = "web"
) -> tuple[Order, Verdict | None]:
    """Change an order not yet closed; a new amount is checked again."""
    _require_order(actor, order.account)
    if order.is_closed:
        raise ValidationError(_("A closed order cannot be changed; reopen it first."))
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("An order is for a positive amount.")})
    before = audit.snapshot(order, ["amount", "note"])
    changed = amount != order.amount
    order.amount, order.note = amount, note
    order.save(update_fields=["amount", "note"])
    audit.record_update(actor=actor, instance=order, before=before, via=via)
    return order, order_place(actor=actor, order=order, via=via) if changed else None


@transaction.atomic
def order_close(*, actor: Actor, order: Order, status: str, via: str = "web") -> Order:
    """Mark the order invoiced or cancelled: it no longer counts in the exposure."""
    _require_order(actor, order.account)
    if status not in CLOSED_STATUSES:
        raise ValidationError({"status": _("An order is closed as invoiced or cancelled.")})
    if order.is_closed:
        raise ValidationError(_("This order is already closed."))
    before = audit.snapshot(order, ["status"])
    order.status = status
    order.save(update_fields=["status"])
    audit.record_update(actor=actor, instance=order, before=before, via=via)
    return order


@transaction.atomic
def order_reopen(*, actor: Actor, order: Order, via: str = "web") -> Verdict:
    """Bring a closed order back: it is checked like a new one."""
    _require_order(actor, order.account)
    if not order.is_closed:
        raise ValidationError(_("Only a closed order can be reopened."))
    return order_place(actor=actor, order=order, via=via)


@transaction.atomic
def order_recheck(*, actor: Actor, order: Order, via: str = "web") -> Verdict:
    """Check a held order again (after a payment came in or a limit was raised)."""
    _require_order(actor, order.account)
    if order.status != OrderStatus.HELD:
        raise ValidationError(_("Only a held order is checked again."))
    return order_place(actor=actor, order=order, via=via)


@transaction.atomic
def order_ask_exception(
    *, actor: Actor, order: Order, reason: str, via: str = "web"
) -> CreditException:
    """Ask a head to let this held order go ahead."""
    _require_order(actor, order.account)
    if order.status != OrderStatus.HELD:
        raise ValidationError(_("Only a held order needs an exception."))
    pending = order.credit_exception
    if pending is not None and pending.status == ExceptionStatus.PENDING:
        raise ValidationError(_("An exception for this order is already awaiting a decision."))
    exception = credit.exception_request(
        actor=actor, account=order.account, currency=order.currency, amount=order.amount,
        subject=order.number, reason=reason, via=via,
    )  # fmt: skip
    before = audit.snapshot(order, ["credit_exception"])
    order.credit_exception = exception
    order.save(update_fields=["credit_exception"])
    audit.record_update(actor=actor, instance=order, before=before, via=via)
    return exception


def release_on_approval(
    sender: type, exception: CreditException, actor: Actor, via: str, **kwargs: Any
) -> None:
    """An approved exception lets the held orders it was asked for go ahead."""
    for order in Order.objects.filter(credit_exception=exception, status=OrderStatus.HELD):
        order_place(actor=actor, order=order, via=via)
