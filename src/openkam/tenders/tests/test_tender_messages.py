"""What a KAM is told when a tender write is refused, and which competitors count as
recorded at the issuer (by the competitor, not by the record that links it)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openkam.tenders import services
from openkam.tenders.models import Tender


def test_a_loss_or_cancellation_without_reason_says_what_is_missing(company, make_tender):
    tender = make_tender()
    for status in ("lost", "cancelled"):
        with pytest.raises(ValidationError) as error:
            services.tender_move(actor=company["owner"], tender=tender, status=status)
        assert error.value.message_dict == {
            "outcome_reason": ["Say why the tender was lost or cancelled."]
        }


def test_competitors_and_winners_from_elsewhere_are_refused_with_their_message(
    company, make_tender
):
    from openkam.workspace.services import competitor_create

    stranger = competitor_create(actor=company["head"], name="Elsewhere Ltd")
    tender = make_tender()
    with pytest.raises(ValidationError) as error:
        services.tender_update(actor=company["owner"], tender=tender, competitors=[stranger])
    assert error.value.message_dict == {
        "competitors": ["Choose competitors recorded at this account."]
    }
    with pytest.raises(ValidationError) as error:
        services.tender_move(actor=company["owner"], tender=tender, status="lost",
                             outcome_reason="price", winner=stranger)  # fmt: skip
    assert error.value.message_dict == {"winner": ["Choose a competitor recorded at this account."]}


def test_a_competitor_recorded_at_the_issuer_is_accepted_whatever_its_number(
    company, make_tender
):
    from openkam.workspace.services import account_competitor_add, competitor_create

    # Two competitors in the catalogue, only the second recorded at A: its number is not
    # the number of the record linking it to A.
    competitor_create(actor=company["head"], name="Only in the catalogue")
    recorded = competitor_create(actor=company["head"], name="Młyn Nowak")
    account_competitor_add(actor=company["head"], account=company["a"], competitor=recorded)
    tender = make_tender()
    services.tender_update(actor=company["owner"], tender=tender, competitors=[recorded])
    services.tender_move(actor=company["owner"], tender=tender, status="lost",
                         outcome_reason="price", winner=recorded)  # fmt: skip
    stored = Tender.objects.get(pk=tender.pk)
    assert (list(stored.competitors.all()), stored.winner) == ([recorded], recorded)


def test_a_kam_of_another_account_is_told_they_may_not_change_its_tenders(
    company, make_tender
):
    tender = make_tender()
    with pytest.raises(PermissionDenied) as error:
        services.tender_update(actor=company["other_kam"], tender=tender, title="Mine now")
    assert str(error.value) == "You may not change the tenders of this account."


def test_a_blank_product_line_is_skipped_and_the_lines_after_it_are_kept(make_tender):
    tender = make_tender(lines=(("  ", "1", "1", None), ("Mąka", "10", "2.50", None)))
    assert list(tender.lines.values_list("product_line", flat=True)) == ["Mąka"]


def test_a_product_line_given_twice_is_named_in_the_refusal(make_tender):
    with pytest.raises(ValidationError) as error:
        make_tender(lines=(("Mąka", None, "1", None), (" Mąka ", None, "2", None)))
    assert error.value.message_dict == {"lines": ["The product line Mąka is given twice."]}
