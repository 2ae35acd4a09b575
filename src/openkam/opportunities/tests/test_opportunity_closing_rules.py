"""How an opportunity's stage sets its odds and its close: given odds and owner are kept, a
won one is at 100 % and forgets any loss reason, a lost one at 0 % keeps the day it first
closed, an open one carries no loss reason; and what an edit may change."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from openkam.opportunities import services
from openkam.opportunities.models import Opportunity, Stage, StageChange


def stage(code: str) -> Stage:
    return Stage.objects.get(code=code)


def _new(company, **fields):
    values = {
        "actor": company["owner"], "account": company["a"], "title": "Sugar for the bakery",
        "value": Decimal("10000"), "currency": "PLN",
        "expected_close": company["today"] + timedelta(days=20),
    }  # fmt: skip
    return services.opportunity_create(**{**values, **fields})


def test_with_no_open_stage_in_use_nothing_is_created(company):
    Stage.objects.filter(outcome="open").update(is_active=False)
    with pytest.raises(ValidationError) as error:
        _new(company)
    assert error.value.message_dict == {
        "stage": ["No open stage is in use: add one in the back office."]
    }
    assert not Opportunity.objects.exists()


def test_the_first_open_stage_in_use_is_where_a_new_one_starts(company):
    Stage.objects.filter(code="qualify").update(is_active=False)
    assert _new(company).stage.code == "develop"


def test_given_odds_and_owner_are_kept(company):
    sure = _new(company, probability=40, owner=company["senior"])
    assert (sure.probability, sure.owner) == (40, company["senior"])
    assert StageChange.objects.get(opportunity=sure).probability == 40
    hopeless = _new(company, probability=0)
    hopeless.refresh_from_db()
    assert (hopeless.probability, hopeless.owner) == (0, company["owner"])


def test_created_won_it_is_closed_today_at_100_without_a_loss_reason(company):
    won = _new(company, stage=stage("won"), probability=30, lost_reason="price", lost_note="x")
    won.refresh_from_db()
    assert (won.probability, won.closed_on) == (100, company["today"])
    assert (won.lost_reason, won.lost_note) == ("", "")


def test_created_lost_it_needs_its_reason_and_is_at_0(company):
    with pytest.raises(ValidationError) as error:
        _new(company, stage=stage("lost"))
    assert error.value.message_dict == {"lost_reason": ["Say why the opportunity was lost."]}
    lost = _new(company, stage=stage("lost"), lost_reason="price", lost_note="6 % less")
    lost.refresh_from_db()
    assert (lost.probability, lost.closed_on, lost.lost_reason, lost.lost_note) == (
        0, company["today"], "price", "6 % less",
    )  # fmt: skip


def test_an_open_one_carries_no_loss_reason(company):
    deal = _new(company, lost_reason="price", lost_note="too early")
    deal.refresh_from_db()
    assert (deal.lost_reason, deal.lost_note, deal.closed_on) == ("", "", None)
    services.opportunity_update(
        actor=company["owner"], opportunity=deal, lost_reason="timing", lost_note="later"
    )
    deal.refresh_from_db()
    assert (deal.lost_reason, deal.lost_note) == ("", "")


def test_a_closed_one_keeps_its_odds_and_the_day_it_first_closed(company):
    deal = _new(company)
    services.opportunity_move(actor=company["owner"], opportunity=deal, stage=stage("won"))
    earlier = company["today"] - timedelta(days=7)
    Opportunity.objects.filter(pk=deal.pk).update(closed_on=earlier)
    deal.refresh_from_db()
    services.opportunity_update(
        actor=company["owner"], opportunity=deal, probability=60, lost_reason="price"
    )
    deal.refresh_from_db()
    assert (deal.probability, deal.closed_on, deal.lost_reason) == (100, earlier, "")
    services.opportunity_move(
        actor=company["owner"], opportunity=deal, stage=stage("lost"), lost_reason="credit",
        lost_note="No limit left",
    )  # fmt: skip
    services.opportunity_update(actor=company["owner"], opportunity=deal, probability=60)
    deal.refresh_from_db()
    assert (deal.probability, deal.closed_on) == (0, earlier)
    assert (deal.lost_reason, deal.lost_note) == ("credit", "No limit left")
    move = StageChange.objects.filter(opportunity=deal).latest("pk")
    assert (move.from_stage.code, move.to_stage.code, move.probability, move.by) == (
        "won", "lost", 0, company["owner"],
    )  # fmt: skip


def test_an_edit_names_only_editable_fields_and_a_refused_one_leaves_it_as_stored(company):
    deal = _new(company)
    with pytest.raises(ValueError, match="not editable here: account, stage"):
        services.opportunity_update(
            actor=company["owner"], opportunity=deal, stage=stage("won"), account=company["b"]
        )
    services.opportunity_update(actor=company["owner"], opportunity=deal, currency="eur")
    assert deal.currency == "EUR"
    with pytest.raises(ValidationError):
        services.opportunity_update(
            actor=company["owner"], opportunity=deal, title="Changed", probability=150
        )
    assert (deal.title, deal.probability) == ("Sugar for the bakery", 10)
    deal.refresh_from_db()
    assert (deal.title, deal.currency) == ("Sugar for the bakery", "EUR")


def test_an_edit_replaces_the_product_lines_and_keeps_the_people_it_does_not_name(company):
    from openkam.stakeholders.models import Contact
    from openkam.workspace.services import account_competitor_add, competitor_create

    deal = _new(company, product_lines=["Mąka", "Cukier", "  "])

    def lines():
        return sorted(deal.product_lines.values_list("product_line", flat=True))

    assert lines() == ["Cukier", "Mąka"]
    services.opportunity_update(
        actor=company["owner"], opportunity=deal, product_lines=[" Olej ", "Cukier", ""]
    )
    assert lines() == ["Cukier", "Olej"]
    services.opportunity_update(actor=company["owner"], opportunity=deal, title="Renamed")
    assert lines() == ["Cukier", "Olej"]  # not named: left as they are
    rival = competitor_create(actor=company["head"], name="Młyn Nowak")
    account_competitor_add(actor=company["head"], account=company["a"], competitor=rival)
    ours = Contact.objects.create(account=company["a"], last_name="Nasz")
    services.opportunity_update(actor=company["owner"], opportunity=deal, stakeholders=[ours])
    services.opportunity_update(actor=company["owner"], opportunity=deal, competitors=[rival])
    assert (list(deal.stakeholders.all()), list(deal.competitors.all())) == ([ours], [rival])
    services.opportunity_update(actor=company["owner"], opportunity=deal, stakeholders=[])
    assert (list(deal.stakeholders.all()), list(deal.competitors.all())) == ([], [rival])
