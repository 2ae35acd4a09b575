"""What pages and the API read about credit, always through the visibility predicate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet

from openkam.accounts.models import Account
from openkam.credit.assessment import Assessment, assess
from openkam.credit.models import CreditCheck, CreditException, CreditLimit, ExceptionStatus
from openkam.users.permissions import AnyUser

REVIEW_HORIZON = timedelta(days=30)


@dataclass(frozen=True)
class AccountCredit:
    account: Account
    assessments: list[Assessment]
    limits: list[CreditLimit]
    checks: list[CreditCheck]
    exceptions: list[CreditException]

    @property
    def last_check(self) -> CreditCheck | None:
        return self.checks[0] if self.checks else None


def currencies_of(account: Account) -> list[str]:
    """The account's own currency first, then any other it has a limit in."""
    others = (
        CreditLimit.objects.filter(account_id__in={account.pk, account.group_root_id or account.pk})
        .exclude(currency=account.currency)
        .values_list("currency", flat=True)
        .distinct()
    )
    return [account.currency, *sorted(set(others))]


def account_credit(*, user: AnyUser, account: Account, today: date) -> AccountCredit:
    """The credit picture of an account the user sees (the caller checked that)."""
    return AccountCredit(
        account=account,
        assessments=[assess(account, currency, today) for currency in currencies_of(account)],
        limits=list(
            CreditLimit.objects.visible_to(user).filter(account=account).select_related("set_by")
        ),
        checks=list(
            CreditCheck.objects.visible_to(user)
            .filter(account=account)
            .select_related("recorded_by")
        ),
        exceptions=list(exceptions_for(user).filter(account=account)[:20]),
    )


def exceptions_for(user: AnyUser) -> QuerySet[CreditException]:
    return CreditException.objects.visible_to(user).select_related(
        "account", "requested_by", "decided_by"
    )


def pending_exceptions(user: AnyUser) -> QuerySet[CreditException]:
    return exceptions_for(user).filter(status=ExceptionStatus.PENDING).order_by("requested_at")


def reviews_due(user: AnyUser, today: date) -> list[CreditCheck]:
    """Each visible account's latest check whose next check falls due within 30 days."""
    latest: dict[int, CreditCheck] = {}
    checks = (
        CreditCheck.objects.visible_to(user)
        .select_related("account")
        .order_by("account_id", "-checked_on", "-id")
    )
    for check in checks:
        latest.setdefault(check.account_id, check)
    due = [c for c in latest.values() if c.next_check_on <= today + REVIEW_HORIZON]
    return sorted(due, key=lambda check: (check.next_check_on, check.account.name))
