"""The audit trail records what changed (not how a value was written) and the account
page's history reads it as a person would: names, local times, labels, their language."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openkam.accounts import services as accounts
from openkam.activities import services as activities
from openkam.activities.models import Activity
from openkam.core import audit
from openkam.core.models import AuditEntry
from openkam.plans import services as plans
from openkam.plans.models import Objective
from openkam.plans.tests.factories import make_plan
from openkam.stakeholders.services import contact_create
from openkam.users.models import Role

WARSAW = ZoneInfo("Europe/Warsaw")
NINE_UTC = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _warsaw(settings):
    settings.TIME_ZONE = "Europe/Warsaw"


def meeting(company, account="a", **fields) -> Activity:
    created = activities.activity_create(
        actor=company["owner"] if account == "a" else company["head"],
        account=company[account],
        kind="meeting",
        subject="Quarterly review",
        starts_at=NINE_UTC,
        **fields,
    )
    return Activity.objects.get(pk=created.pk)  # as stored: its time comes back in UTC


def updates(model: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(model=model, action="update").order_by("id"))


def history_html(client, user, account, language: str = "en") -> str:
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    body = client.get(f"/accounts/{account.pk}/").content.decode()
    return body[body.index('id="history"') :]


def history(client, user, account) -> list[AuditEntry]:
    client.force_login(user)
    return client.get(f"/accounts/{account.pk}/").context["history"]


def stored_entry(company, model: str, changes: dict, account="a", **fields) -> AuditEntry:
    """An entry as an older version (or another writer) left it in the database."""
    fields = {"object_id": "1", "object_repr": "", **fields}
    return AuditEntry.objects.create(
        actor=company["owner"],
        action=fields.pop("action", "update"),
        model=model,
        account=company[account],
        changes=changes,
        **fields,
    )


# --- what is recorded --------------------------------------------------------------------


def test_the_same_instant_in_another_time_zone_is_no_change(company):
    activity = meeting(company)
    activities.activity_update(
        actor=company["owner"],
        activity=activity,
        subject="Quarterly review",
        starts_at=datetime(2026, 12, 8, 10, 0, tzinfo=WARSAW),
    )
    assert updates("activities.Activity") == []


def test_a_changed_time_is_recorded_as_utc_iso(company):
    activity = meeting(company)
    activities.activity_update(
        actor=company["owner"],
        activity=activity,
        starts_at=datetime(2026, 12, 8, 11, 0, tzinfo=WARSAW),
    )
    (entry,) = updates("activities.Activity")
    assert entry.changes == {
        "starts_at": ["2026-12-08T09:00:00+00:00", "2026-12-08T10:00:00+00:00"]
    }


def test_a_decimal_with_other_trailing_zeros_is_no_change(company):
    plan = make_plan(company)
    created = plans.objective_create(
        actor=company["head"],
        plan=plan,
        title="Grow",
        metric="revenue",
        target=Decimal("1.5"),
        due_on=plan.period_end,
    )
    objective = Objective.objects.get(pk=created.pk)  # stored: 1.50
    plans.objective_update(actor=company["head"], objective=objective, target=Decimal("1.5"))
    assert updates("plans.Objective") == []
    plans.objective_update(actor=company["head"], objective=objective, target=Decimal("2"))
    assert [e.changes["target"] for e in updates("plans.Objective")] == [["1.5", "2"]]


def test_values_written_differently_are_no_change_and_real_changes_still_are(company):
    account = company["a1"]
    before = audit.snapshot(account, ["parent_id", "is_archived", "tier"])
    account.parent_id = str(account.parent_id)  # an id as text, as a form may give it
    account.is_archived = 0
    assert audit.diff(before, audit.snapshot(account, before.keys())) == {}
    account.is_archived, account.tier = True, "key"
    assert audit.diff(before, audit.snapshot(account, before.keys())) == {
        "is_archived": [False, True],
        "tier": ["standard", "key"],
    }


def test_dates_and_datetimes_have_one_recorded_form(company):
    assignment = company["a"].assignments.get()
    assignment.ends_on = datetime(2026, 12, 8, 0, 0)  # a date given as a datetime
    activity = Activity(starts_at=datetime(2026, 12, 8, 10, 0, 0, 720498, tzinfo=WARSAW))
    assert audit.snapshot(assignment, ["ends_on"]) == {"ends_on": "2026-12-08"}
    assert (
        audit.diff(
            {"ends_on": "2026-12-08"},
            audit.snapshot(assignment, ["ends_on"]),
            model=type(assignment),
        )
        == {}
    )
    assert audit.snapshot(activity, ["starts_at"]) == {
        "starts_at": "2026-12-08T09:00:00.720498+00:00"
    }


# --- how the history reads ---------------------------------------------------------------


def test_history_names_participants_instead_of_their_ids(client, company):
    jan = contact_create(
        actor=company["owner"], account=company["a"], last_name="Kowalski", first_name="Jan"
    )
    ewa = contact_create(
        actor=company["owner"], account=company["a"], last_name="Nowak", first_name="Ewa"
    )
    activity = meeting(company, contacts=[jan])
    activities.activity_update(actor=company["owner"], activity=activity, contacts=[jan, ewa])
    page = history_html(client, company["owner"], company["a"])
    assert "Jan Kowalski, Ewa Nowak" in page and f"[{jan.pk}, {ewa.pk}]" not in page
    polish = history_html(client, company["owner"], company["a"], "pl")
    assert "interesariusze" in polish


def test_history_keeps_ids_of_people_the_viewer_may_not_see(client, company, make_user):
    sub_kam = make_user("subkam", Role.KAM)
    accounts.assignment_start(actor=company["head"], account=company["a1"], user=sub_kam)
    parent_contact = contact_create(actor=company["head"], account=company["a"], last_name="Ukryty")
    own_contact = contact_create(actor=company["head"], account=company["a1"], last_name="Widoczny")
    meeting(company, "a1", contacts=[parent_contact, own_contact])
    created = next(
        e for e in history(client, sub_kam, company["a1"]) if e.model == "activities.Activity"
    )
    shown = next(c for c in created.field_changes if c.field == "contacts")
    assert shown.new == f"{parent_contact.pk}, Widoczny"
    assert "Ukryty" not in history_html(client, sub_kam, company["a1"])


def test_history_shows_times_in_local_time_without_microseconds(client, company):
    stored_entry(
        company,
        "activities.Activity",
        {
            "done_at": [None, "2026-12-05 21:38:02.720498+00:00"],  # as older versions wrote it
            "starts_at": ["2026-12-08T09:00:00+00:00", "2026-12-08T10:30:00+00:00"],
        },
    )
    page = history_html(client, company["owner"], company["a"])
    assert "2026-12-05 22:38" in page and "720498" not in page
    assert "2026-12-08 10:00" in page and "2026-12-08 11:30" in page and "+00:00" not in page


def test_an_old_entry_with_one_instant_in_two_zones_is_not_shown(client, company):
    stored_entry(
        company,
        "activities.Activity",
        {"starts_at": ["2026-12-08 09:00:00+00:00", "2026-12-08 10:00:00+01:00"]},
        object_repr="Quarterly review",
    )
    stored_entry(
        company,
        "plans.Objective",
        {"target": ["1.50", "1.5"], "title": ["Grow", "Grow more"]},
        object_repr="Grow more",
    )
    entries = [e for e in history(client, company["owner"], company["a"]) if e.action == "update"]
    assert [e.object_repr for e in entries] == ["Grow more"]
    assert [c.field for c in entries[0].field_changes] == ["title"]


def test_history_shows_choices_by_their_label_in_the_language_chosen(client, company):
    activity = meeting(company)
    activities.activity_complete(actor=company["owner"], activity=activity, outcome="Signed")
    polish = history_html(client, company["owner"], company["a"], "pl")
    assert "<del>zaplanowane</del> → <ins>wykonane</ins>" in polish
    russian = history_html(client, company["owner"], company["a"], "ru")
    assert "<del>запланировано</del> → <ins>выполнено</ins>" in russian


def test_history_shows_yes_and_no(client, company):
    accounts.account_set_archived(actor=company["head"], account=company["a"], archived=True)
    english = history_html(client, company["head"], company["a"])
    assert "<del>no</del> → <ins>yes</ins>" in english
    polish = history_html(client, company["head"], company["a"], "pl")
    assert "<del>nie</del> → <ins>tak</ins>" in polish and "zarchiwizowany" in polish


def test_history_shows_dates_as_iso(client, company):
    stored_entry(
        company,
        "accounts.Assignment",
        {"starts_on": ["2026-12-01", "2026-12-02"], "ends_on": [None, "2026-12-08 00:00:00"]},
    )
    changes = history(client, company["owner"], company["a"])[0].field_changes
    assert [(c.label, c.old, c.new) for c in changes] == [
        ("to", None, "2026-12-08"),
        ("from", "2026-12-01", "2026-12-02"),
    ]


def test_field_names_follow_the_language_and_internal_record_text_is_not_shown(client, company):
    account = company["a"]
    stored_entry(
        company,
        "portfolio.ReviewItem",
        {"decision": ["pending", "accepted"], "final_tier": ["", "key"]},
        object_repr=f"{account.pk} keep",  # what a review item's text is made of
    )
    english = history_html(client, company["head"], account)
    assert "decision</span>: <del>pending</del> → <ins>accepted</ins>" in english
    assert f"{account.pk} keep" not in english and "updated review item" in english
    polish = history_html(client, company["head"], account, "pl")
    assert "decyzja</span>: <del>oczekuje</del> → <ins>zaakceptowano</ins>" in polish
    assert "poziom końcowy</span>: <del>—</del> → <ins>Kluczowy</ins>" in polish
    russian = history_html(client, company["head"], account, "ru")
    assert "решение</span>: <del>ожидает</del> → <ins>принято</ins>" in russian


def test_unknown_models_and_fields_keep_their_raw_names(client, company):
    stored_entry(company, "gone.Model", {"old_field": ["a", "b"]}, object_repr="Something")
    stored_entry(company, "activities.Activity", {"retired_field": ["x", "y"]}, object_repr="Call")
    entries = history(client, company["owner"], company["a"])
    labels = {c.label for e in entries[:2] for c in e.field_changes}
    assert labels == {"old_field", "retired_field"}


def _queries_of_page(client, account) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/accounts/{account.pk}/").status_code == 200
    return len(queries)


def _more_activities(company, round_: int) -> None:
    people = [
        contact_create(actor=company["owner"], account=company["a"], last_name=f"Osoba{round_}{i}")
        for i in range(3)
    ]
    for person in people:
        activity = meeting(company, contacts=[person])
        activities.activity_update(actor=company["owner"], activity=activity, contacts=people)
        activities.activity_complete(actor=company["owner"], activity=activity, outcome="Done")


def test_naming_related_records_costs_the_same_queries_for_more_entries(client, company):
    client.force_login(company["owner"])
    _more_activities(company, 1)
    before = _queries_of_page(client, company["a"])
    _more_activities(company, 2)
    assert _queries_of_page(client, company["a"]) == before


def test_history_says_where_a_change_was_made_in_the_language_chosen(client, company):
    for via in ("admin", "api", "import", "vcard", "erp-sync"):
        stored_entry(
            company, "activities.Activity", {"subject": ["a", via]}, via=via, object_repr="Call"
        )
    english = history_html(client, company["owner"], company["a"])
    for label in ("web interface", "back office", "API", "vCard import"):
        assert f"· {label}</span>" in english
    assert "· import</span>" in english and "· admin</span>" not in english
    assert "· erp-sync</span>" in english  # a value this version does not know, as written
    polish = history_html(client, company["owner"], company["a"], "pl")
    assert "· panel administracyjny</span>" in polish and "· interfejs WWW</span>" in polish
    russian = history_html(client, company["owner"], company["a"], "ru")
    assert "· панель администратора</span>" in russian and "· импорт vCard</span>" in russian


def test_review_fields_are_named_by_their_own_verbose_name(client, company):
    stored_entry(
        company,
        "portfolio.Review",
        {"previous": [None, 7], "closed_at": [None, "2026-12-08T09:00:00+00:00"]},
        object_repr="Revenue only 2026-12-01",
    )
    labels = [c.label for c in history(client, company["head"], company["a"])[0].field_changes]
    assert labels == ["closed at", "previous review"]
    polish = history_html(client, company["head"], company["a"], "pl")
    assert "poprzedni przegląd</span>" in polish and "data zamknięcia</span>" in polish


def test_unnamed_field_labels_only_name_fields_without_a_verbose_name():
    from django.apps import apps
    from django.utils.functional import Promise

    unnamed = {
        field.name
        for model in apps.get_models()
        for field in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if not isinstance(field.verbose_name, Promise)
    }
    assert set(audit.UNNAMED_FIELD_LABELS) - unnamed == set()
