"""Planning, completing and cancelling activities: validation, permissions, audit."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openkam.activities import selectors, services
from openkam.activities.models import Activity, ActivityKind, ActivityStatus
from openkam.activities.tests.factories import at, days, meeting, person
from openkam.core.models import AuditEntry


def test_create_defaults_owner_to_actor_and_audits(company):
    jan = person(company, "a", "Nowak", email="jan@alfa.example")
    activity = services.activity_create(
        actor=company["owner"],
        account=company["a"],
        kind=ActivityKind.VISIT,
        subject="Quarterly review",
        starts_at=at(company["today"] + days(2)),
        contacts=[jan],
    )
    activity.refresh_from_db()
    assert activity.owner == company["owner"]
    assert activity.created_by == company["owner"]
    assert activity.status == ActivityStatus.PLANNED
    assert list(activity.contacts.all()) == [jan]
    entry = AuditEntry.objects.get(model="activities.Activity", object_id=str(activity.pk))
    assert entry.action == "create"
    assert entry.account_id == company["a"].pk
    assert entry.changes["contacts"] == [None, [jan.pk]]


def test_contacts_of_the_group_are_allowed_others_are_not(company):
    in_subsidiary = person(company, "a1", "Logistyk")
    at_b = person(company, "b", "Obcy")
    activity = meeting(company, "a", "Group meeting", company["today"], contacts=[in_subsidiary])
    assert list(activity.contacts.all()) == [in_subsidiary]
    with pytest.raises(ValidationError) as error:
        meeting(company, "a", "Wrong people", company["today"], contacts=[at_b])
    assert "contacts" in error.value.message_dict
    assert not Activity.objects.filter(subject="Wrong people").exists()


def test_read_only_roles_and_strangers_may_not_write(company):
    for who in ("finance", "viewer", "other_kam", "past_deputy"):
        with pytest.raises(PermissionDenied):
            services.activity_create(
                actor=company[who],
                account=company["a"],
                kind=ActivityKind.CALL,
                subject="Nope",
                starts_at=at(company["today"]),
            )
    activity = meeting(company, "a", "Kept", company["today"])
    with pytest.raises(PermissionDenied):
        services.activity_complete(actor=company["other_kam"], activity=activity, outcome="x")
    with pytest.raises(PermissionDenied):
        services.activity_cancel(actor=company["viewer"], activity=activity)
    # The deputy stands in for the owner this week and may work the account.
    services.activity_complete(actor=company["deputy"], activity=activity, outcome="Went well")
    assert not Activity.objects.filter(subject="Nope").exists()


def test_end_before_start_is_refused(company):
    with pytest.raises(ValidationError) as error:
        services.activity_create(
            actor=company["owner"],
            account=company["a"],
            kind=ActivityKind.MEETING,
            subject="Backwards",
            starts_at=at(company["today"], 12),
            ends_at=at(company["today"], 11),
        )
    assert "ends_at" in error.value.message_dict


def test_complete_sets_done_outcome_and_time(company):
    activity = meeting(company, "a", "Price talk", company["today"] - days(1))
    services.activity_complete(
        actor=company["owner"],
        activity=activity,
        outcome="Agreed 3% off for volume",
        next_steps="Send the offer",
    )
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.DONE
    assert activity.done_at is not None
    assert activity.outcome == "Agreed 3% off for volume"
    assert activity.next_steps == "Send the offer"
    entry = AuditEntry.objects.filter(object_id=str(activity.pk), action="update").get()
    assert entry.changes["status"] == ["planned", "done"]


def test_logging_a_visit_planned_for_next_week_moves_it_to_when_it_was_held(company):
    today, owner = company["today"], company["owner"]
    visit = meeting(company, "a", "Plant visit", today + days(7), kind=ActivityKind.VISIT)
    planned = visit.starts_at
    services.activity_complete(actor=owner, activity=visit, outcome="They came to us instead")
    visit.refresh_from_db()
    assert visit.status == ActivityStatus.DONE
    # It took place before it was logged: it ends then and keeps its hour.
    assert (visit.ends_at, visit.ends_at - visit.starts_at) == (visit.done_at, timedelta(hours=1))
    assert selectors.local_date(visit.done_at) == today
    next_monday = selectors.monday_of(today + days(7))
    counts = dict(selectors.week_counts(user=owner, week_start=next_monday))
    assert counts[next_monday] == 0 and sum(counts.values()) == 1  # held now, not next week
    entry = AuditEntry.objects.filter(object_id=str(visit.pk), action="update").get()
    assert datetime.fromisoformat(entry.changes["starts_at"][0]) == planned


def test_a_task_done_before_its_day_keeps_its_day(company):
    task = meeting(company, "a", "Send the offer", company["today"] + days(3), kind="task")
    due = task.starts_at
    services.activity_complete(actor=company["owner"], activity=task, outcome="Sent")
    task.refresh_from_db()
    assert (task.status, task.starts_at) == (ActivityStatus.DONE, due)


def test_a_done_activity_cannot_be_dated_after_it_was_logged(company):
    today, owner = company["today"], company["owner"]
    held = meeting(company, "a", "Held", today - days(1))
    services.activity_complete(actor=owner, activity=held, outcome="ok")
    services.activity_update(actor=owner, activity=held, subject="Held, renamed")
    with pytest.raises(ValidationError) as error:
        services.activity_update(
            actor=owner, activity=held, starts_at=at(today + days(2)), ends_at=None
        )
    assert "cannot start after it was logged" in error.value.message_dict["starts_at"][0]
    with pytest.raises(ValidationError) as error:
        services.activity_create(
            actor=owner, account=company["a"], kind=ActivityKind.CALL, subject="Future call",
            starts_at=at(today + days(2)), status=ActivityStatus.DONE, outcome="ok",
        )  # fmt: skip
    assert "starts_at" in error.value.message_dict


def test_complete_needs_an_outcome_and_not_a_cancelled_activity(company):
    activity = meeting(company, "a", "Empty", company["today"])
    with pytest.raises(ValidationError):
        services.activity_complete(actor=company["owner"], activity=activity, outcome="  ")
    services.activity_cancel(actor=company["owner"], activity=activity, reason="Client ill")
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.CANCELLED
    assert activity.outcome == "Client ill"
    with pytest.raises(ValidationError):
        services.activity_complete(actor=company["owner"], activity=activity, outcome="Late")
    with pytest.raises(ValidationError):
        services.activity_cancel(actor=company["owner"], activity=activity)


def test_update_changes_fields_and_participants_with_audit(company):
    jan = person(company, "a", "Nowak")
    ewa = person(company, "a", "Kowalska")
    activity = meeting(company, "a", "Draft", company["today"], contacts=[jan])
    services.activity_update(
        actor=company["owner"], activity=activity, subject="Final", contacts=[ewa]
    )
    activity.refresh_from_db()
    assert activity.subject == "Final"
    assert list(activity.contacts.all()) == [ewa]
    entry = AuditEntry.objects.filter(object_id=str(activity.pk), action="update").get()
    assert entry.changes["subject"] == ["Draft", "Final"]
    assert entry.changes["contacts"] == [[jan.pk], [ewa.pk]]
    with pytest.raises(TypeError):
        services.activity_update(actor=company["owner"], activity=activity, account=company["b"])


def test_plan_action_must_belong_to_the_same_account(company):
    from openkam.plans.models import AccountPlan, PlanAction

    def action_on(key):
        plan = AccountPlan.objects.create(
            account=company[key],
            title=f"Plan {key}",
            owner=company["owner"],
            period_start=company["today"],
            period_end=company["today"] + days(365),
        )
        return PlanAction.objects.create(
            plan=plan, title="Visit the plant", owner=company["owner"], due_on=company["today"]
        )

    ok = meeting(company, "a", "For the plan", company["today"], plan_action=action_on("a"))
    assert ok.plan_action.title == "Visit the plant"
    with pytest.raises(ValidationError) as error:
        meeting(company, "a", "Wrong plan", company["today"], plan_action=action_on("b"))
    assert "plan_action" in error.value.message_dict


def test_follow_up_copies_account_people_and_takes_next_steps_as_objective(company):
    jan = person(company, "a", "Nowak")
    activity = meeting(company, "a", "First", company["today"], contacts=[jan])
    services.activity_complete(
        actor=company["owner"], activity=activity, outcome="OK", next_steps="Show samples"
    )
    follow = services.activity_follow_up_create(
        actor=company["owner"],
        activity=activity,
        subject="Samples",
        starts_at=at(company["today"] + days(7)),
    )
    assert follow.account == company["a"]
    assert list(follow.contacts.all()) == [jan]
    assert follow.objective == "Show samples"
    assert follow.status == ActivityStatus.PLANNED
