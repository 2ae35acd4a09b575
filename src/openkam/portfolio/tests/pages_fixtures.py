"""Fixtures for the page, API, export and service tests: the hand-checked ledger, a
scoring model, and a recompute over them. Import the fixtures by name into a test module."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from openkam.accounts import services as account_services
from openkam.portfolio.models import ScoringCriterion, ScoringModel
from openkam.portfolio.recompute import recompute_portfolio
from openkam.portfolio.tests.conftest import TODAY
from openkam.portfolio.tests.factories import invoice


def make_model(name: str = "Standard", *, default: bool = True) -> ScoringModel:
    model = ScoringModel.objects.create(name=name, is_default=default)
    ScoringCriterion.objects.create(
        scoring_model=model, criterion="revenue_potential", weight=3, metric="revenue"
    )
    ScoringCriterion.objects.create(
        scoring_model=model, criterion="cultural_fit", weight=1, source="people"
    )
    return model


@pytest.fixture
def scored(ledger):
    """Groups A (4000 = A 3500 + A1 500), B (6000), C (0) scored under "Standard"."""
    ledger["model"] = make_model()
    ledger["run"] = recompute_portfolio(today=TODAY)
    return ledger


def add_customers(head, count: int, start: int = 0) -> None:
    """`count` more stand-alone customers, each with one invoice in the period."""
    for i in range(start, start + count):
        account = account_services.account_create(
            actor=head, name=f"Filler {i:03d}", external_id=f"F{i}"
        )
        invoice(account, date(2026, 5, 1) + timedelta(days=i % 90), ("Paper", str(100 + i), "50"))


def money(text: str) -> Decimal:
    return Decimal(text)
