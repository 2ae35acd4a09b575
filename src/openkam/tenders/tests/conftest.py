"""Shared records of the tender tests: a competitor at account A and a tender factory."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from openkam.tenders import services
from openkam.tenders.services import LineIn


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def rival(company):
    from openkam.workspace.services import account_competitor_add, competitor_create

    competitor = competitor_create(actor=company["head"], name="Młyn Nowak")
    account_competitor_add(actor=company["head"], account=company["a"], competitor=competitor)
    return competitor


@pytest.fixture
def make_tender(company, now):
    def make(
        account=None,
        *,
        days: float = 10,
        lines=(("Mąka", "1000", "2.50", None),),
        documents=(),
        actor=None,
        **fields,
    ):
        return services.tender_create(
            actor=actor, account=account or company["a"],
            title=fields.pop("title", "Flour for the school kitchens"),
            deadline=fields.pop("deadline", now + timedelta(days=days)),
            currency=fields.pop("currency", "pln"),
            lines=[LineIn(name, _d(qty), _d(ours), _d(winning))
                   for name, qty, ours, winning in lines],
            documents=documents, **fields,
        )  # fmt: skip

    return make


def _d(value):
    return None if value is None else Decimal(value)


def at(day: str) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(day))
