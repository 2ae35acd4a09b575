"""The demo's tenders: every status on the key accounts, prices with winners a few percent
below us on the price losses, two due within the week, past prices at hand; gone with
the demo."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from openkam.demo.build import build_demo
from openkam.demo.reset import delete_demo
from openkam.demo.tenders import build_tenders
from openkam.demo.workspace.build import build_workspace
from openkam.tenders import selectors
from openkam.tenders.models import Tender
from openkam.users.models import User

TODAY = date(2026, 11, 23)
SEED = 11

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        build_demo(lines=20_000, accounts=300, seed=SEED, today=TODAY)
        build_workspace(today=TODAY, seed=SEED)
        counts = build_tenders(today=TODAY, seed=SEED)
        yield counts
        delete_demo()
        assert not Tender.objects.exists()


def test_the_demo_has_tenders_in_every_status(demo):
    assert demo["tenders"] == Tender.objects.count() == 20
    statuses = set(Tender.objects.values_list("status", flat=True))
    assert statuses == {"preparing", "submitted", "won", "lost", "cancelled"}
    for tender in Tender.objects.filter(status__in=["won", "lost", "cancelled"]):
        decided, submitted = tender.decided_on, tender.submitted_on
        assert decided is not None and submitted is not None
        assert decided < TODAY and submitted < decided
        assert not tender.documents.filter(is_done=False).exists()
    price_losses = Tender.objects.filter(status="lost", outcome_reason="price")
    assert price_losses.count() >= 2
    for tender in price_losses:
        assert tender.winner_label
        gap = tender.price_gap
        assert gap is not None and 1 <= gap <= 7  # the winner a few percent below us


def test_two_tenders_are_due_within_the_week_with_documents_missing(demo):
    now = timezone.make_aware(datetime.combine(TODAY, time(9)))
    head = User.objects.get(username="head")
    alerts = selectors.deadline_alerts(head, now)
    assert len(alerts) == 2 and all(alert.open_documents for alert in alerts)


def test_an_open_tender_has_its_issuers_past_prices(demo):
    tender = Tender.objects.filter(status="preparing").order_by("pk").first()
    owner = tender.owner
    assert owner is not None
    lines = tender.lines.values_list("product_line", flat=True)
    past = selectors.past_prices(owner, tender.account, lines, exclude=tender)
    assert past and all(row.tender.account_id == tender.account_id for row in past)
