"""Who may change credit, and the exception flow with its audit."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openkam.core.models import AuditEntry
from openkam.credit.models import CreditException, CreditLimit, ExceptionStatus, RiskClass
from openkam.credit.services import (
    check_record,
    exception_decide,
    exception_request,
    exception_withdraw,
    limit_set,
    next_check_due,
)
from openkam.receivables.models import PromiseToPay
from openkam.receivables.tests.ledgers import invoice

D = Decimal


@pytest.mark.parametrize("persona", ["finance", "head", "admin"])
def test_money_keepers_set_limits(company, persona):
    limit = limit_set(actor=company[persona], account=company["b"], amount=D("10"),
                      currency="PLN", valid_from=company["today"])  # fmt: skip
    assert AuditEntry.objects.filter(
        model="credit.CreditLimit", object_id=str(limit.pk), action="create"
    ).exists()


@pytest.mark.parametrize("persona", ["owner", "senior", "viewer", "deputy"])
def test_others_may_not_set_limits(company, persona):
    with pytest.raises(PermissionDenied):
        limit_set(actor=company[persona], account=company["a"], amount=D("10"),
                  currency="PLN", valid_from=company["today"])  # fmt: skip
    assert not CreditLimit.objects.exists()


def test_limits_are_history_not_overwritten(company):
    a, today = company["a"], company["today"]
    for amount in ("10", "20"):
        limit_set(actor=company["finance"], account=a, amount=D(amount), currency="PLN",
                  valid_from=today)  # fmt: skip
    assert list(a.credit_limits.values_list("amount", flat=True)) == [D("20"), D("10")]


def test_a_negative_limit_is_refused(company):
    with pytest.raises(ValidationError):
        limit_set(actor=company["finance"], account=company["a"], amount=D("-1"),
                  currency="PLN", valid_from=company["today"])  # fmt: skip


@pytest.mark.parametrize(
    ("risk", "checked", "due"),
    [("A", date(2026, 1, 31), date(2027, 1, 31)), ("B", date(2026, 8, 31), date(2027, 2, 28)),
     ("C", date(2026, 11, 30), date(2027, 2, 28)), ("D", date(2026, 12, 2), date(2027, 1, 2))],
)  # fmt: skip
def test_the_next_check_falls_due_by_risk_class(db, risk, checked, due):
    assert next_check_due(checked, risk) == due


def test_a_check_is_recorded_with_its_review_date(company):
    check = check_record(actor=company["finance"], account=company["a"],
                         checked_on=company["today"], source="BIG InfoMonitor",
                         risk_class=RiskClass.C, rating="72/100")  # fmt: skip
    assert check.next_check_on == date(2027, 3, 2)


def test_a_check_in_the_future_is_refused(company):
    with pytest.raises(ValidationError):
        check_record(actor=company["finance"], account=company["a"], source="KRD",
                     checked_on=company["today"] + timedelta(days=1), risk_class="A")  # fmt: skip


def _request(company, **kwargs) -> CreditException:
    defaults = {"actor": company["owner"], "account": company["a"], "currency": "PLN",
                "amount": D("5000"), "subject": "Order 1", "reason": "Seasonal stock"}  # fmt: skip
    return exception_request(**(defaults | kwargs))


def test_an_exception_keeps_the_evidence_of_the_day(company):
    a, today = company["a"], company["today"]
    invoice(a, "FV/OLD", today - timedelta(days=90), "40000.00", due_days=30)
    PromiseToPay.objects.create(account=a, currency="PLN", amount=D("100"),
                                promised_on=today - timedelta(days=3),
                                given_on=today - timedelta(days=10))  # fmt: skip
    exception = _request(company)
    evidence = exception.evidence
    assert (evidence["overdue_beyond_hold"], evidence["oldest_overdue_days"]) == ("40000.00", 60)
    assert (evidence["promises_broken"], evidence["promises_kept"]) == (1, 0)
    assert evidence["on"] == today.isoformat()


def test_only_a_head_who_did_not_ask_decides(company):
    exception = _request(company, actor=company["head"])
    for persona in ("head", "owner", "finance", "senior"):
        with pytest.raises(PermissionDenied):
            exception_decide(actor=company[persona], exception=exception, approve=True)
    decided = exception_decide(actor=company["admin"], exception=exception, approve=True)
    assert decided.status == ExceptionStatus.APPROVED
    assert decided.expires_on == company["today"] + timedelta(days=14)


def test_a_rejection_says_why_and_a_decision_is_final(company):
    exception = _request(company)
    with pytest.raises(ValidationError):
        exception_decide(actor=company["head"], exception=exception, approve=False)
    exception_decide(actor=company["head"], exception=exception, approve=False, note="Too risky")
    with pytest.raises(ValidationError):
        exception_decide(actor=company["head"], exception=exception, approve=True)
    entry = AuditEntry.objects.filter(
        model="credit.CreditException", object_id=str(exception.pk), action="update"
    ).get()
    assert entry.changes["status"] == ["pending", "rejected"]
    assert entry.actor == company["head"]


def test_a_kam_asks_only_on_accounts_they_may_edit(company):
    with pytest.raises(PermissionDenied):
        _request(company, actor=company["other_kam"])
    with pytest.raises(PermissionDenied):
        _request(company, actor=company["finance"])


def test_withdrawing_a_pending_request(company):
    exception = _request(company)
    exception_withdraw(actor=company["owner"], exception=exception)
    assert exception.status == ExceptionStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        exception_decide(actor=company["head"], exception=exception, approve=True)


def test_the_evidence_reads_in_the_language_of_whoever_opens_it(company):
    from django.utils import translation

    from openkam.credit.evidence import steps_of

    limit_set(actor=company["finance"], account=company["a"], amount=D("1000"), currency="PLN",
              valid_from=company["today"])  # fmt: skip
    exception = _request(company)  # asked in English
    with translation.override("pl"):
        labels = [step.label for step in steps_of(exception.evidence)]
    assert labels[0] == "Limit kredytowy" and labels[-1] != "Recommended maximum next order"
    assert steps_of({"steps": [{"code": "unknown", "amount": "1"}, "junk"]}) == []
