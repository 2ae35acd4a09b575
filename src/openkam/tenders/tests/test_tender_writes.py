"""Writes of tenders in detail: what creation and editing accept and keep, the outcome
fields each status keeps, moves that change nothing, and the documents checklist."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from openkam.core.models import AuditEntry
from openkam.tenders import services
from openkam.tenders.models import Tender, TenderDocument
from openkam.tenders.services import LineIn


def _audit(instance, action):
    return AuditEntry.objects.filter(
        model=instance._meta.label, object_id=str(instance.pk), action=action
    )


def test_creation_refuses_unknown_fields_and_keeps_a_chosen_owner(company, make_tender):
    with pytest.raises(ValueError, match="status"):
        make_tender(status="won")
    assert not Tender.objects.exists()
    chosen = make_tender(owner=company["senior"], via="api",
                         documents=[" Offer form ", "x" * 250],
                         lines=(("  Mąka ", "10", "2.50", None), (" ", "1", "1", None)))  # fmt: skip
    assert chosen.owner == company["senior"]
    assert list(chosen.documents.values_list("name", flat=True)) == ["Offer form", "x" * 200]
    assert list(chosen.lines.values_list("product_line", flat=True)) == ["Mąka"]
    assert _audit(chosen, "create").get().via == "api"
    # C has a junior KAM and no owner: nobody by default.
    assert make_tender(company["c"], title="Of C").owner is None


def test_the_default_owner_is_the_kam_on_the_day(company):
    from openkam.accounts import services as accounts

    today = company["today"]
    assert services.default_owner(company["a"], today) == company["owner"]
    assert services.default_owner(company["a"], today - timedelta(days=401)) is None
    assert services.default_owner(company["c"], today) is None
    accounts.assignment_start(actor=company["head"], account=company["c"],
                              user=company["senior"], starts_on=today)  # fmt: skip
    assert services.default_owner(company["c"], today) == company["senior"]


def test_with_two_owners_on_the_day_the_tender_goes_to_the_one_who_started_first(company):
    from openkam.accounts import services as accounts

    # A back-dated owner assignment before the current KAM's start hands nothing over:
    # both are owners today, and the earlier start is the default owner.
    accounts.assignment_start(actor=company["head"], account=company["a"],
                              user=company["senior"],
                              starts_on=company["today"] - timedelta(days=600))  # fmt: skip
    assert services.default_owner(company["a"], company["today"]) == company["senior"]


def test_an_update_keeps_the_lines_unless_given_and_audits_its_channel(company, make_tender):
    tender = make_tender()
    with pytest.raises(ValueError, match="status"):
        services.tender_update(actor=company["owner"], tender=tender, status="won")
    services.tender_update(actor=company["owner"], tender=tender, currency="eur", via="api",
                           notes="Call the buyer")  # fmt: skip
    tender.refresh_from_db()
    assert (tender.currency, tender.notes) == ("EUR", "Call the buyer")
    assert services.lines_of(tender) == [
        LineIn("Mąka", Decimal("1000.000"), Decimal("2.50"), None)
    ]
    assert _audit(tender, "update").get().via == "api"
    services.tender_update(actor=company["owner"], tender=tender, lines=[])
    assert services.lines_of(tender) == []


def test_an_open_tender_keeps_no_outcome_and_a_refused_edit_changes_nothing(
    company, make_tender, rival
):
    tender = make_tender()
    services.tender_update(actor=company["owner"], tender=tender, outcome_reason="price",
                           outcome_note="Too dear", winner_name="Someone",
                           winner=rival)  # fmt: skip
    tender.refresh_from_db()
    assert (tender.outcome_reason, tender.outcome_note, tender.winner_name, tender.winner) == (
        "", "", "", None,
    )  # fmt: skip
    services.tender_move(actor=company["owner"], tender=tender, status="lost",
                         outcome_reason="price", winner=rival)  # fmt: skip
    with pytest.raises(ValidationError):
        services.tender_update(actor=company["owner"], tender=tender, title="New title",
                               outcome_reason="")  # fmt: skip
    # The caller's object is as stored again.
    assert (tender.title, tender.outcome_reason) == ("Flour for the school kitchens", "price")
    assert Tender.objects.get(pk=tender.pk).title == "Flour for the school kitchens"


def test_a_lost_tenders_winner_and_competitors_are_edited(company, make_tender, rival):
    from openkam.workspace.services import account_competitor_add, competitor_create

    other = competitor_create(actor=company["head"], name="Piekarnia Zając")
    account_competitor_add(actor=company["head"], account=company["a"], competitor=other)
    tender = make_tender()
    services.tender_update(actor=company["owner"], tender=tender, competitors=[rival, other])
    assert set(tender.competitors.all()) == {rival, other}
    services.tender_move(actor=company["owner"], tender=tender, status="lost",
                         outcome_reason="price", winner=rival)  # fmt: skip
    services.tender_update(actor=company["owner"], tender=tender, winner=other)
    assert Tender.objects.get(pk=tender.pk).winner == other
    services.tender_update(actor=company["owner"], tender=tender, clear_winner=True,
                           winner_name="Unknown bakery")  # fmt: skip
    stored = Tender.objects.get(pk=tender.pk)
    assert (stored.winner, stored.winner_label) == (None, "Unknown bakery")
    # A won tender has no winner but us, whatever is given.
    services.tender_move(actor=company["owner"], tender=tender, status="won")
    services.tender_update(actor=company["owner"], tender=tender, winner=rival)
    assert Tender.objects.get(pk=tender.pk).winner is None


def test_a_move_to_the_same_status_changes_nothing(company, make_tender):
    tender = make_tender(documents=["Offer form"])
    with pytest.raises(ValidationError) as error:
        services.tender_move(actor=company["owner"], tender=tender, status="archived")
    assert "status" in error.value.message_dict
    services.tender_move(actor=company["owner"], tender=tender, status="preparing")
    assert not _audit(tender, "update").exists()


def test_a_decision_keeps_the_submission_day_and_the_winning_total(company, make_tender):
    tender = make_tender(documents=["Offer form"], winning_total=Decimal("900.00"))
    services.document_toggle(actor=None, document=tender.documents.get(), done=True)
    services.tender_move(actor=company["owner"], tender=tender, status="submitted")
    Tender.objects.filter(pk=tender.pk).update(submitted_on=date(2026, 11, 20))
    tender.refresh_from_db()
    services.tender_move(actor=company["owner"], tender=tender, status="lost",
                         outcome_reason="price", winner_name="  Młyn Kowalski  ")  # fmt: skip
    tender.refresh_from_db()
    assert (tender.submitted_on, tender.decided_on) == (date(2026, 11, 20), company["today"])
    assert (tender.winner_name, tender.winning_total) == ("Młyn Kowalski", Decimal("900.00"))
    # Back to submitted: the decision goes, the submission day stays.
    services.tender_move(actor=company["owner"], tender=tender, status="submitted")
    tender.refresh_from_db()
    assert (tender.submitted_on, tender.decided_on) == (date(2026, 11, 20), None)
    # A reopened document does not hold back a tender decided and submitted again.
    services.document_toggle(actor=None, document=tender.documents.get(), done=False)
    services.tender_move(actor=company["owner"], tender=tender, status="won")
    services.tender_move(actor=company["owner"], tender=tender, status="submitted")
    assert Tender.objects.get(pk=tender.pk).status == "submitted"


def test_the_documents_checklist(company, make_tender):
    tender = make_tender()
    document = services.document_add(actor=company["owner"], tender=tender, name="  Offer  ",
                                      responsible=company["junior"],
                                      due_on=date(2026, 12, 5), via="api")  # fmt: skip
    stored = TenderDocument.objects.get(pk=document.pk)
    assert (stored.name, stored.responsible, stored.due_on, stored.is_done) == (
        "Offer", company["junior"], date(2026, 12, 5), False,
    )  # fmt: skip
    assert _audit(document, "create").get().via == "api"
    with pytest.raises(ValidationError):
        services.document_add(actor=company["owner"], tender=tender, name="   ")
    services.document_toggle(actor=company["owner"], document=document, done=False)
    assert TenderDocument.objects.get(pk=document.pk).is_done is False
    services.document_toggle(actor=company["owner"], document=document, done=True)
    services.document_toggle(actor=company["owner"], document=document, done=True, via="api")
    stored = TenderDocument.objects.get(pk=document.pk)
    assert (stored.is_done, stored.done_by) == (True, company["owner"])
    assert _audit(document, "update").filter(via="api").exists()
    pk = document.pk
    services.document_delete(actor=company["owner"], document=document, via="api")
    assert not TenderDocument.objects.filter(pk=pk).exists()
    deleted = AuditEntry.objects.get(model="tenders.TenderDocument", object_id=str(pk),
                                     action="delete")  # fmt: skip
    assert deleted.via == "api"
    assert services.open_documents(tender) == []


def test_who_may_edit(company, make_tender):
    assert services.may_edit(company["owner"], company["a"])
    assert not services.may_edit(company["other_kam"], company["a"])
    assert not services.may_edit(None, company["a"])
