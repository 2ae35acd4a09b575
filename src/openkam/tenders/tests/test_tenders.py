"""Tenders as a KAM answers them: the owner by default, the checklist that holds back a
submission, the reasons a loss needs, the dates each move sets, and reopening."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openkam.core.models import AuditEntry
from openkam.tenders import services
from openkam.tenders.models import Tender, TenderDocument


def test_a_new_tender_is_prepared_by_the_accounts_kam_with_its_lines(company, make_tender):
    tender = make_tender(documents=["Tax certificate", " ", "Bank guarantee"])
    assert (tender.status, tender.currency, tender.owner) == ("preparing", "PLN", company["owner"])
    (line,) = tender.lines.all()
    assert (line.product_line, line.quantity, line.our_price) == (
        "Mąka", Decimal("1000.000"), Decimal("2.50"),
    )  # fmt: skip
    assert list(tender.documents.values_list("name", flat=True)) == [
        "Tax certificate", "Bank guarantee",
    ]  # fmt: skip
    assert AuditEntry.objects.filter(model="tenders.Tender", action="create").exists()


def test_a_product_line_given_twice_is_refused(make_tender):
    with pytest.raises(ValidationError) as error:
        make_tender(lines=(("Mąka", None, "1", None), ("Mąka", None, "2", None)))
    assert "lines" in error.value.message_dict
    assert not Tender.objects.exists()  # nothing half-written


def test_submission_waits_for_every_required_document(company, make_tender):
    tender = make_tender(documents=["Tax certificate", "Bank guarantee"])
    with pytest.raises(ValidationError) as error:
        services.tender_move(actor=company["owner"], tender=tender, status="submitted")
    message = error.value.message_dict["status"][0]
    assert "Tax certificate" in message and "Bank guarantee" in message
    tender.refresh_from_db()
    assert (tender.status, tender.submitted_on) == ("preparing", None)
    for document in tender.documents.all():
        services.document_toggle(actor=company["owner"], document=document)
    done = TenderDocument.objects.filter(tender=tender).order_by("pk")[0]
    assert (done.is_done, done.done_by) == (True, company["owner"]) and done.done_at is not None
    services.tender_move(actor=company["owner"], tender=tender, status="submitted")
    tender.refresh_from_db()
    assert (tender.status, tender.submitted_on) == ("submitted", company["today"])
    # Unticking clears who and when.
    services.document_toggle(actor=company["owner"], document=done)
    undone = TenderDocument.objects.get(pk=done.pk)
    assert (undone.is_done, undone.done_by, undone.done_at) == (False, None, None)


def test_a_loss_needs_its_reason_and_keeps_the_winner(company, make_tender, rival):
    tender = make_tender()
    services.tender_move(actor=company["owner"], tender=tender, status="submitted")
    with pytest.raises(ValidationError) as error:
        services.tender_move(actor=company["owner"], tender=tender, status="lost")
    assert "outcome_reason" in error.value.message_dict
    services.tender_move(
        actor=company["owner"], tender=tender, status="lost", outcome_reason="price",
        outcome_note="4% below us", winner=rival, winning_total=Decimal("2400.00"),
    )  # fmt: skip
    tender.refresh_from_db()
    assert (tender.status, tender.decided_on, tender.winner, tender.outcome_reason) == (
        "lost", company["today"], rival, "price",
    )  # fmt: skip
    assert tender.winning_total == Decimal("2400.00")


def test_cancelled_needs_a_reason_too_and_won_has_no_rival_winner(company, make_tender):
    tender = make_tender()
    with pytest.raises(ValidationError):
        services.tender_move(actor=company["owner"], tender=tender, status="cancelled")
    services.tender_move(actor=company["owner"], tender=tender, status="won", winner_name="Someone")
    tender.refresh_from_db()
    assert (tender.decided_on, tender.winner_name, tender.winner_label) == (
        company["today"], "", "we did",
    )  # fmt: skip


def test_a_winner_must_be_recorded_at_the_issuer(company, make_tender):
    from openkam.workspace.services import competitor_create

    stranger = competitor_create(actor=company["head"], name="Elsewhere Ltd")
    tender = make_tender()
    with pytest.raises(ValidationError) as error:
        services.tender_move(
            actor=company["owner"], tender=tender, status="lost", outcome_reason="price",
            winner=stranger,
        )  # fmt: skip
    assert "winner" in error.value.message_dict
    assert Tender.objects.get(pk=tender.pk).status == "preparing"


def test_reopening_clears_the_decision_and_back_to_preparing_the_submission(company, make_tender):
    tender = make_tender()
    services.tender_move(actor=company["owner"], tender=tender, status="submitted")
    services.tender_move(
        actor=company["owner"], tender=tender, status="lost", outcome_reason="quality",
        winner_name="Młyn Kowalski",
    )  # fmt: skip
    services.tender_move(actor=company["owner"], tender=tender, status="submitted")
    tender.refresh_from_db()
    assert (tender.status, tender.decided_on, tender.outcome_reason, tender.winner_name) == (
        "submitted", None, "", "",
    )  # fmt: skip
    assert tender.submitted_on == company["today"]
    services.tender_move(actor=company["owner"], tender=tender, status="preparing")
    tender.refresh_from_db()
    assert (tender.submitted_on, tender.decided_on) == (None, None)
    changes = AuditEntry.objects.filter(model="tenders.Tender", action="update").count()
    assert changes == 4


@pytest.mark.parametrize("persona", ["other_kam", "finance", "viewer"])
def test_only_who_may_change_the_issuers_work_may_change_its_tenders(company, make_tender, persona):
    tender = make_tender(documents=["Offer form"])
    with pytest.raises(PermissionDenied):
        services.tender_move(actor=company[persona], tender=tender, status="cancelled",
                             outcome_reason="other")  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.document_toggle(actor=company[persona], document=tender.documents.get())
    with pytest.raises(PermissionDenied):
        services.tender_update(actor=company[persona], tender=tender, title="x")


def test_edits_are_audited_and_lines_replaced(company, make_tender):
    tender = make_tender()
    services.tender_update(
        actor=company["owner"], tender=tender, title="Flour 2027", our_total=Decimal("2500"),
        lines=[services.LineIn("Cukier", None, Decimal("3.10"))],
    )  # fmt: skip
    assert list(tender.lines.values_list("product_line", flat=True)) == ["Cukier"]
    entry = AuditEntry.objects.get(model="tenders.Tender", action="update")
    assert entry.changes["title"][1] == "Flour 2027"
    assert entry.account_id == company["a"].pk
