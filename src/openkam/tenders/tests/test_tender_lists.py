"""Reads of tenders: the list's filters, deadline alerts in calendar days of local time,
and the past prices of a tender's issuer (order, limit, the tender itself left out)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from openkam.tenders import selectors, services
from openkam.tenders.selectors import TenderFilter
from openkam.tenders.tests.conftest import at


def _titles(rows):
    return [tender.title for tender in rows]


def test_the_list_filters_by_status_owner_account_and_deadline(company, make_tender, now):
    head = company["head"]
    soon = make_tender(title="Soon", days=3)
    later = make_tender(title="Later", days=20)
    late = make_tender(title="Late", deadline=now - timedelta(days=2))
    sent = make_tender(title="Sent", days=1)
    services.tender_move(actor=None, tender=sent, status="submitted")
    won = make_tender(title="Won", days=2)
    services.tender_move(actor=None, tender=won, status="won")
    of_b = make_tender(company["b"], title="Of B", days=4)
    everything = selectors.tenders_for(head)
    assert set(_titles(everything)) == {"Soon", "Later", "Late", "Sent", "Won", "Of B"}
    assert _titles(selectors.tenders_for(head, TenderFilter(status="submitted"))) == ["Sent"]
    by_owner = selectors.tenders_for(head, TenderFilter(owner=company["other_kam"].pk))
    assert _titles(by_owner) == ["Of B"]
    by_account = selectors.tenders_for(head, TenderFilter(account=company["b"].pk))
    assert _titles(by_account) == ["Of B"]
    # Open tenders due within 4 days or past their deadline, the decided ones left out.
    due = selectors.tenders_for(head, TenderFilter(due_within=4), now)
    assert set(_titles(due)) == {"Late", "Sent", "Soon", "Of B"}
    assert set(_titles(selectors.tenders_for(head, TenderFilter(due_within=0), now))) == {"Late"}
    # Without a clock the deadline filter cannot apply.
    assert selectors.tenders_for(head, TenderFilter(due_within=4)).count() == 6
    assert {soon, later, late, of_b} <= set(everything)


def test_alerts_count_calendar_days_in_local_time(company, make_tender):
    now = at("2026-12-02T10:30")
    make_tender(title="Tomorrow morning", deadline=at("2026-12-03T08:00"))
    make_tender(title="Tonight", deadline=at("2026-12-02T23:30"))
    make_tender(title="An hour ago", deadline=at("2026-12-02T09:30"))
    make_tender(title="Right now", deadline=now)
    make_tender(title="Last week", deadline=at("2026-11-25T12:00"))
    alerts = selectors.deadline_alerts(company["owner"], now, days=1)
    assert [(a.tender.title, a.days_left, a.overdue) for a in alerts] == [
        ("Last week", -7, True),
        ("An hour ago", 0, True),
        ("Right now", 0, False),
        ("Tonight", 0, False),
        ("Tomorrow morning", 1, False),
    ]


def test_alerts_count_the_days_from_the_moment_asked_not_from_today(company, make_tender):
    make_tender(title="Mid-December", deadline=at("2026-12-14T12:00"))
    alerts = selectors.deadline_alerts(company["owner"], at("2026-12-10T09:00"))
    assert [(a.tender.title, a.days_left, a.overdue) for a in alerts] == [
        ("Mid-December", 4, False)
    ]


def test_alerts_due_at_the_same_moment_come_in_the_order_entered(company, make_tender):
    deadline = at("2026-12-04T12:00")
    first = make_tender(title="Entered first", deadline=deadline)
    make_tender(title="Entered second", deadline=deadline)
    # Edited since: on PostgreSQL its row is rewritten behind the other one.
    services.tender_update(actor=None, tender=first, notes="Call the buyer")
    alerts = selectors.deadline_alerts(company["owner"], at("2026-12-02T10:30"))
    assert _titles(a.tender for a in alerts) == ["Entered first", "Entered second"]


def test_alerts_for_one_account_count_only_open_documents(company, make_tender, now):
    mine = make_tender(title="Mine", days=2, documents=["Offer", "Guarantee", "Certificate"])
    make_tender(company["a1"], title="Subsidiary's", days=2)
    offer = mine.documents.get(name="Offer")
    services.document_toggle(actor=None, document=offer, done=True)
    alerts = selectors.deadline_alerts(company["head"], now, account=company["a"])
    assert [(a.tender.title, a.open_documents) for a in alerts] == [("Mine", 2)]
    everyone = selectors.deadline_alerts(company["head"], now)
    assert {a.tender.title for a in everyone} == {"Mine", "Subsidiary's"}


def test_the_alert_window_defaults_to_the_setting(company, make_tender, now, settings):
    make_tender(title="In 5 days", days=5)
    make_tender(title="In 8 days", days=8)
    del settings.OPENKAM_TENDER_ALERT_DAYS
    assert selectors.alert_days() == 7
    assert _titles(a.tender for a in selectors.deadline_alerts(company["owner"], now)) == [
        "In 5 days"
    ]
    settings.OPENKAM_TENDER_ALERT_DAYS = "9"  # as an environment variable gives it
    assert len(selectors.deadline_alerts(company["owner"], now)) == 2


def _lost(make_tender, account, title, ours, winning, decided, lines=None):
    tender = make_tender(account, title=title, currency="eur",
                         lines=lines or (("Mąka", "100", ours, winning),))  # fmt: skip
    services.tender_move(actor=None, tender=tender, status="lost", outcome_reason="price",
                         winner_name=" Młyn Kowalski ")  # fmt: skip
    type(tender).objects.filter(pk=tender.pk).update(decided_on=decided)
    return tender


def test_past_prices_latest_decision_first_without_the_tender_itself(company, make_tender):
    a = company["a"]
    old = _lost(make_tender, a, "Old", "2.50", "2.40", date(2026, 3, 1))
    new = _lost(make_tender, a, "New", "2.70", "2.60", date(2026, 9, 1),
                lines=(("Mąka", "50", "2.70", "2.60"), ("Cukier", "10", "3.00", None),
                       ("Kasza", "5", "1.00", None)))  # fmt: skip
    rows = selectors.past_prices(company["owner"], a, ["Mąka", "Cukier", "", "Mąka"])
    assert [(r.tender.title, r.product_line) for r in rows] == [
        ("New", "Cukier"), ("New", "Mąka"), ("Old", "Mąka"),
    ]  # fmt: skip
    first = rows[1]
    assert (first.quantity, first.our_price, first.winning_price, first.currency) == (
        Decimal("50.000"), Decimal("2.70"), Decimal("2.60"), "EUR",
    )  # fmt: skip
    assert (first.winner, first.price_gap, first.status, first.decided_on) == (
        "Młyn Kowalski", Decimal("3.8"), "lost", date(2026, 9, 1),
    )  # fmt: skip
    assert [r.tender for r in selectors.past_prices(company["owner"], a, ["Mąka"], exclude=new)
            ] == [old]  # fmt: skip
    assert len(selectors.past_prices(company["owner"], a, ["Mąka", "Cukier"], limit=2)) == 2
    assert selectors.past_prices(company["owner"], a, ["", ""]) == []
    assert selectors.past_prices(company["owner"], a, []) == []
