"""Coverage gaps: each rule on real activity rows, who gets which alerts, and query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from openkam.accounts import services as account_services
from openkam.accounts.models import Tier
from openkam.activities.models import ActivityStatus
from openkam.stakeholders.coverage import Gap, coverage_alerts
from openkam.stakeholders.models import Attitude, BuyingRole, Contact
from openkam.stakeholders.selectors import with_last_contact
from openkam.stakeholders.tests.factories import person, talk

EB = BuyingRole.ECONOMIC_BUYER
DM = BuyingRole.DECISION_MAKER


@pytest.fixture
def key(company):
    """Accounts A and B are key accounts; A has an economic buyer we talk to."""
    for name in ("a", "b"):
        account_services.account_set_tier(
            actor=company["head"], account=company[name], tier=Tier.KEY
        )
        company[name].refresh_from_db()
    return company


def _buyer(company, days_ago=5, **fields):
    buyer = person(company["a"], "Kupiec", buying_role=EB, relationship_strength=3, **fields)
    talk(buyer, company["today"] - timedelta(days=days_ago))
    return buyer


def _alerts(user, company, **kw):
    return coverage_alerts(user=user, today=company["today"], **kw)


def _kinds(alerts, account=None):
    return {(a.kind, a.contact.last_name if a.contact else None) for a in alerts
            if account is None or a.account == account}  # fmt: skip


def test_last_contact_is_the_latest_done_conversation(key):
    today = key["today"]
    who = person(key["a"], "Nowak")
    talk(who, today - timedelta(days=40))
    talk(who, today - timedelta(days=12), kind="call")
    talk(who, today - timedelta(days=3), kind="note")  # a note is not a conversation
    talk(who, today - timedelta(days=2), status=ActivityStatus.PLANNED)
    talk(who, today - timedelta(days=1), status=ActivityStatus.CANCELLED)
    person(key["a"], "Zieliński")
    found = {
        c.last_name: c.last_contact_on
        for c in with_last_contact(Contact.objects.all(), user=key["owner"])
    }
    assert found == {"Nowak": today - timedelta(days=12), "Zieliński": None}


def test_a_meeting_counts_on_its_day_not_when_its_outcome_was_logged(key):
    """Through the activities services: planned ten days ago, logged as done today."""
    from django.utils import timezone

    from openkam.activities import services as activity_services

    who = person(key["a"], "Nowak")
    starts = timezone.now() - timedelta(days=10)
    meeting = activity_services.activity_create(
        actor=key["owner"], account=key["a"], kind="visit", subject="Visit", starts_at=starts,
        contacts=[who],
    )  # fmt: skip
    assert (
        with_last_contact(Contact.objects.filter(pk=who.pk), user=key["owner"])
        .get()
        .last_contact_on
        is None
    )
    activity_services.activity_complete(actor=key["owner"], activity=meeting, outcome="Good")
    found = (
        with_last_contact(Contact.objects.filter(pk=who.pk), user=key["owner"])
        .get()
        .last_contact_on
    )
    assert found == timezone.localdate(starts)


def test_economic_buyer_not_contacted_for_n_days(key):
    buyer = _buyer(key, days_ago=74)
    alerts = _alerts(key["owner"], key, accounts=[key["a"]])
    assert len(alerts) == 1
    alert = alerts[0]
    assert (alert.kind, alert.contact, alert.days, alert.account) == (
        Gap.ECONOMIC_BUYER_SILENT, buyer, 74, key["a"]
    )  # fmt: skip
    assert (
        alert.message == "No contact with the economic buyer Kupiec at Alfa Hurt S.A. for 74 days"
    )


def test_contact_inside_the_window_is_no_gap_and_the_window_is_a_setting(key, settings):
    _buyer(key, days_ago=40)
    assert _alerts(key["owner"], key, accounts=[key["a"]]) == []
    settings.OPENKAM_COVERAGE_DAYS = 30
    assert _kinds(_alerts(key["owner"], key, accounts=[key["a"]])) == {
        (Gap.ECONOMIC_BUYER_SILENT, "Kupiec")
    }


def test_decision_maker_never_contacted(key):
    _buyer(key)
    boss = person(key["a"], "Prezes", buying_role=DM)
    talk(boss, key["today"] - timedelta(days=1), status=ActivityStatus.PLANNED)
    (alert,) = _alerts(key["owner"], key, accounts=[key["a"]])
    assert (alert.kind, alert.contact, alert.days) == (Gap.DECISION_MAKER_SILENT, boss, None)
    assert alert.message == "Never in contact with the decision maker Prezes at Alfa Hurt S.A."


def test_champion_by_attitude_or_by_role_gone_quiet(key):
    _buyer(key)
    fan = person(key["a"], "Fan", attitude=Attitude.CHAMPION)
    talk(fan, key["today"] - timedelta(days=61))
    coach = person(key["a"], "Coach", buying_role=BuyingRole.CHAMPION)
    talk(coach, key["today"] - timedelta(days=90), kind="email")
    lively = person(key["a"], "Lively", attitude=Attitude.CHAMPION)
    talk(lively, key["today"] - timedelta(days=59))
    alerts = _alerts(key["owner"], key, accounts=[key["a"]])
    assert [(a.kind, a.contact.last_name, a.days) for a in alerts] == [
        (Gap.CHAMPION_QUIET, "Coach", 90),
        (Gap.CHAMPION_QUIET, "Fan", 61),
    ]
    assert alerts[1].message == "Champion Fan at Alfa Hurt S.A. gone quiet: no contact for 61 days"


def test_no_economic_buyer_mapped(key):
    person(key["a"], "User", buying_role=BuyingRole.USER)
    (alert,) = _alerts(key["owner"], key, accounts=[key["a"]])
    assert (alert.kind, alert.contact, alert.days) == (Gap.NO_ECONOMIC_BUYER, None, None)
    assert alert.message == "No economic buyer mapped at Alfa Hurt S.A."


def test_no_relationship_with_the_economic_buyer(key):
    weak = person(key["a"], "Weak", buying_role=EB, relationship_strength=1)
    talk(weak, key["today"] - timedelta(days=3))
    assert _kinds(_alerts(key["owner"], key, accounts=[key["a"]])) == {
        (Gap.ECONOMIC_BUYER_NO_RELATIONSHIP, "Weak")
    }
    weak.relationship_strength = 2
    weak.save()
    assert _alerts(key["owner"], key, accounts=[key["a"]]) == []
    stranger = person(key["b"], "Stranger", buying_role=EB, relationship_strength=4)
    (alert,) = _alerts(key["other_kam"], key, accounts=[key["b"]])
    # Never contacted: no relationship, named once (not also as "never in contact").
    assert (alert.kind, alert.contact, alert.days) == (
        Gap.ECONOMIC_BUYER_NO_RELATIONSHIP, stranger, None
    )  # fmt: skip
    assert alert.message == "No relationship with the economic buyer Stranger at Beta Trade"


def test_a_key_person_who_left_until_a_successor_is_mapped(key):
    _buyer(key)
    gone = key["today"] - timedelta(days=10)
    old_boss = person(key["a"], "Odszedł", buying_role=DM, left_on=gone)
    person(key["a"], "Userka", buying_role=BuyingRole.USER, left_on=gone)  # not a key role
    alerts = _alerts(key["owner"], key, accounts=[key["a"]])
    assert [(a.kind, a.contact, a.days) for a in alerts] == [(Gap.KEY_PERSON_LEFT, old_boss, 10)]
    assert alerts[0].message.startswith("Odszedł, the decision maker at Alfa Hurt S.A., left on")
    # Someone leaving in five days is still the decision maker today: a successor.
    successor = person(
        key["a"], "Następca", buying_role=DM, left_on=key["today"] + timedelta(days=5)
    )
    talk(successor, key["today"] - timedelta(days=1))
    assert _alerts(key["owner"], key, accounts=[key["a"]]) == []


def test_a_champion_who_left_is_replaced_by_any_champion(key):
    _buyer(key)
    person(key["a"], "Fan", attitude=Attitude.CHAMPION, left_on=key["today"])
    assert _kinds(_alerts(key["owner"], key, accounts=[key["a"]])) == {(Gap.KEY_PERSON_LEFT, "Fan")}
    new = person(key["a"], "Coach", buying_role=BuyingRole.CHAMPION)
    talk(new, key["today"])
    assert _alerts(key["owner"], key, accounts=[key["a"]]) == []


def test_archived_people_are_ignored(key):
    _buyer(key)
    person(key["a"], "Archiwalny", buying_role=DM, is_archived=True)
    assert _alerts(key["owner"], key, accounts=[key["a"]]) == []


def test_who_gets_which_accounts(key):
    """KAMs: the key accounts they work (own or acting for); heads: all; read-only: none."""
    person(key["c"], "Cbuyer", buying_role=EB)  # C is a standard account: not checked
    by_user = {
        name: {a.account.name for a in _alerts(key[name], key)}
        for name in ("owner", "deputy", "past_deputy", "other_kam", "junior", "senior",
                     "head", "admin", "finance", "viewer")
    }  # fmt: skip
    assert by_user == {
        "owner": {"Alfa Hurt S.A."},
        "deputy": {"Alfa Hurt S.A."},
        "past_deputy": set(),
        "other_kam": {"Beta Trade"},
        "junior": set(),
        "senior": set(),
        "head": {"Alfa Hurt S.A.", "Beta Trade"},
        "admin": {"Alfa Hurt S.A.", "Beta Trade"},
        "finance": set(),
        "viewer": set(),
    }
    # Named accounts are checked whatever their tier, but only if visible.
    assert _kinds(_alerts(key["junior"], key, accounts=[key["c"], key["a"]])) == {
        (Gap.ECONOMIC_BUYER_NO_RELATIONSHIP, "Cbuyer")
    }


def test_alerts_take_the_same_queries_for_many_accounts(
    key, django_assert_num_queries, django_assert_max_num_queries
):
    def grow(count):
        for n in range(count):
            account = account_services.account_create(actor=key["head"], name=f"Key {n}")
            account_services.account_set_tier(actor=key["head"], account=account, tier=Tier.KEY)
            account_services.assignment_start(
                actor=key["head"], account=account, user=key["owner"], starts_on=key["today"]
            )
            boss = person(account, f"Boss{n}", buying_role=DM)
            talk(boss, key["today"] - timedelta(days=70 + n))
            person(account, f"Fan{n}", attitude=Attitude.CHAMPION)

    grow(2)
    with django_assert_max_num_queries(3) as small:
        few = _alerts(key["owner"], key)
    grow(20)
    with django_assert_num_queries(len(small.captured_queries)):
        many = _alerts(key["owner"], key)
    assert len(many) > len(few) >= 7
