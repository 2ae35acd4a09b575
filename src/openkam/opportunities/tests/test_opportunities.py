"""Opportunities as a KAM works them: created with the stage's odds and the account's
KAM, moved with history, won and lost with a reason, and the weighted pipeline that
never adds two currencies."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from openkam.core.models import AuditEntry
from openkam.opportunities import selectors, services
from openkam.opportunities.models import Opportunity, Stage, StageChange
from openkam.opportunities.selectors import PipelineFilter


def stage(code: str) -> Stage:
    return Stage.objects.get(code=code)


@pytest.fixture
def deal(company):
    return services.opportunity_create(
        actor=company["owner"], account=company["a"], title="Flour for the new bakery line",
        value=Decimal("120000.00"), currency="pln",
        expected_close=company["today"] + timedelta(days=45), product_lines=["Mąka", " Cukier "],
    )  # fmt: skip


def test_a_new_opportunity_starts_at_the_first_stage_with_its_odds(company, deal):
    assert (deal.stage.code, deal.probability, deal.currency) == ("qualify", 10, "PLN")
    assert deal.owner == company["owner"]  # the account's KAM
    assert sorted(deal.product_lines.values_list("product_line", flat=True)) == ["Cukier", "Mąka"]
    assert deal.weighted_value == Decimal("12000.00")
    (first,) = StageChange.objects.filter(opportunity=deal)
    assert (first.from_stage, first.to_stage.code, first.by) == (None, "qualify", company["owner"])
    entry = AuditEntry.objects.get(model="opportunities.Opportunity", action="create")
    assert entry.actor == company["owner"]


def test_a_move_takes_the_stage_odds_and_is_kept_as_history(company, deal):
    services.opportunity_move(actor=company["owner"], opportunity=deal, stage=stage("propose"))
    services.opportunity_move(actor=company["owner"], opportunity=deal, stage=stage("negotiate"))
    deal.refresh_from_db()
    assert (deal.stage.code, deal.probability, deal.closed_on) == ("negotiate", 75, None)
    moves = [(c.from_stage and c.from_stage.code, c.to_stage.code, c.probability)
             for c in deal.stage_changes.all()]  # fmt: skip
    assert moves == [
        (None, "qualify", 10),
        ("qualify", "propose", 50),
        ("propose", "negotiate", 75),
    ]
    # The same stage again is no move.
    services.opportunity_move(actor=company["owner"], opportunity=deal, stage=stage("negotiate"))
    assert deal.stage_changes.count() == 3


def test_winning_closes_at_100_and_reopening_clears_the_close(company, deal):
    services.opportunity_move(actor=company["owner"], opportunity=deal, stage=stage("won"))
    deal.refresh_from_db()
    assert (deal.probability, deal.closed_on) == (100, company["today"])
    services.opportunity_move(actor=company["owner"], opportunity=deal, stage=stage("develop"))
    deal.refresh_from_db()
    assert (deal.probability, deal.closed_on) == (25, None)


def test_a_loss_needs_its_reason(company, deal):
    with pytest.raises(ValidationError) as error:
        services.opportunity_move(actor=company["owner"], opportunity=deal, stage=stage("lost"))
    assert "lost_reason" in error.value.message_dict
    services.opportunity_move(
        actor=company["owner"], opportunity=deal, stage=stage("lost"), lost_reason="price",
        lost_note="Młyn Nowak offered 6% less",
    )  # fmt: skip
    deal.refresh_from_db()
    assert (deal.probability, deal.lost_reason, deal.closed_on) == (0, "price", company["today"])


def test_a_stage_out_of_use_is_refused(company, deal):
    Stage.objects.filter(code="propose").update(is_active=False)
    with pytest.raises(ValidationError):
        services.opportunity_move(actor=company["owner"], opportunity=deal, stage=stage("propose"))


@pytest.mark.parametrize("persona", ["other_kam", "finance", "viewer"])
def test_only_who_may_change_the_account_work_may_sell(company, deal, persona):
    with pytest.raises(PermissionDenied) as error:
        services.opportunity_move(actor=company[persona], opportunity=deal, stage=stage("propose"))
    assert str(error.value) == "You may not change the opportunities of this account."


def test_people_and_competitors_must_be_the_accounts(company, deal):
    from openkam.stakeholders.models import Contact
    from openkam.workspace.services import account_competitor_add, competitor_create

    stranger = Contact.objects.create(account=company["b"], last_name="Obcy")
    with pytest.raises(ValidationError) as error:
        services.opportunity_update(
            actor=company["owner"], opportunity=deal, stakeholders=[stranger]
        )
    assert error.value.message_dict == {"stakeholders": ["Choose people of this account."]}
    rival = competitor_create(actor=company["head"], name="Młyn Nowak")
    with pytest.raises(ValidationError) as error:
        services.opportunity_update(actor=company["owner"], opportunity=deal, competitors=[rival])
    assert error.value.message_dict == {
        "competitors": ["Choose competitors recorded at this account."]
    }
    account_competitor_add(actor=company["head"], account=company["a"], competitor=rival)
    ours = Contact.objects.create(account=company["a"], last_name="Nasz")
    services.opportunity_update(
        actor=company["owner"], opportunity=deal, stakeholders=[ours], competitors=[rival]
    )
    assert list(deal.stakeholders.all()) == [ours] and list(deal.competitors.all()) == [rival]


def _create(company, account, value, currency, owner=None, **fields):
    return services.opportunity_create(
        actor=None, account=account, title=f"{account.name} {value}", value=Decimal(value),
        currency=currency, expected_close=company["today"] + timedelta(days=10),
        **({"owner": owner} if owner else {}), **fields,
    )  # fmt: skip


def test_the_weighted_pipeline_is_per_owner_and_currency(company):
    _create(company, company["a"], "1000", "PLN")  # owner's, 10%
    _create(company, company["a1"], "3000", "PLN", company["owner"], stage=stage("propose"))
    _create(company, company["a"], "500", "EUR")
    _create(company, company["b"], "7000", "PLN")  # other KAM's
    won = _create(company, company["a"], "9999", "PLN")
    services.opportunity_move(actor=None, opportunity=won, stage=stage("won"))
    rows = selectors.weighted_by(company["head"], "owner")
    got = {(row["key"], row["currency"]): (row["count"], row["value"], row["weighted"])
           for row in rows}  # fmt: skip
    owner, other = company["owner"].pk, company["other_kam"].pk
    assert got == {
        (owner, "EUR"): (1, Decimal("500.00"), Decimal("50.00")),
        (owner, "PLN"): (2, Decimal("4000.00"), Decimal("1600.00")),
        (other, "PLN"): (1, Decimal("7000.00"), Decimal("700.00")),
    }
    # A KAM's pipeline holds only what they may see.
    mine = selectors.weighted_by(company["owner"], "owner")
    assert {(row["key"], row["name"]) for row in mine} == {
        (owner, company["owner"].get_full_name())
    }


def test_the_board_columns_hold_open_opportunities_in_stage_order(company):
    _create(company, company["a"], "1000", "PLN")
    _create(company, company["a"], "2000", "PLN", stage=stage("negotiate"))
    _create(company, company["b"], "3000", "PLN")
    columns = selectors.board(company["owner"])
    assert [column.stage.code for column in columns] == [
        "qualify",
        "develop",
        "propose",
        "negotiate",
    ]
    assert [[card.value for card in column.cards] for column in columns] == [
        [Decimal("1000.00")], [], [], [Decimal("2000.00")],
    ]  # fmt: skip
    assert columns[0].totals() == [
        {"currency": "PLN", "count": 1, "value": Decimal("1000.00"), "weighted": Decimal("100.00")}
    ]
    assert selectors.board(company["owner"], PipelineFilter(kind="renewal"))[0].cards == []


def test_the_board_moves_a_card_by_htmx(client, company, deal):
    client.force_login(company["owner"])
    response = client.post(
        reverse("opportunities:move", args=[deal.pk]), {"stage": stage("propose").pk},
        HTTP_HX_REQUEST="true",
    )  # fmt: skip
    assert response.status_code == 200
    assert b'id="board"' in response.content and b"<html" not in response.content
    assert Opportunity.objects.get(pk=deal.pk).stage.code == "propose"


def test_the_account_page_adds_an_opportunity(client, company):
    client.force_login(company["owner"])
    url = reverse("account_opportunities:create", args=[company["a"].pk])
    response = client.post(url, {
        "title": "Sugar for Q2", "kind": "cross_sell", "value": "5000", "currency": "pln",
        "expected_close": "2027-03-31", "probability": "", "stage": "",
    })  # fmt: skip
    opportunity = Opportunity.objects.get(title="Sugar for Q2")
    assert response.url == reverse("opportunities:detail", args=[opportunity.pk])
    assert (opportunity.stage.code, opportunity.probability, opportunity.kind) == (
        "qualify", 10, "cross_sell",
    )  # fmt: skip
    page = client.get(reverse("opportunities:detail", args=[opportunity.pk]))
    assert b"Sugar for Q2" in page.content


def test_the_list_exports_xlsx(client, company, deal):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(company["head"])
    response = client.get(reverse("pipeline:list"), {"format": "xlsx"})
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:4] == (company["a"].name, "Flour for the new bakery line", "upsell", "Qualify")
    assert rows[1][10] == "Cukier, Mąka"


def test_the_api_creates_patches_and_moves(client, company):
    client.force_login(company["owner"])
    created = client.post("/api/opportunities/", {
        "account_id": company["a"].pk, "title": "API deal", "value": "800.00",
        "currency": "EUR", "expected_close": "2027-01-31", "stage": "develop",
        "product_lines": ["Mąka"],
    }, content_type="application/json")  # fmt: skip
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["stage"], body["probability"], body["weighted_value"]) == ("develop", 25, "200.00")
    url = f"/api/opportunities/{body['id']}"
    patched = client.patch(url, {"value": "1000.00"}, content_type="application/json")
    assert patched.json()["value"] == "1000.00"
    moved = client.post(f"{url}/move", {"stage": "lost"}, content_type="application/json")
    assert moved.status_code == 422
    moved = client.post(f"{url}/move", {"stage": "lost", "lost_reason": "timing"},
                        content_type="application/json")  # fmt: skip
    assert (moved.json()["stage"], moved.json()["probability"]) == ("lost", 0)
    assert client.post(f"{url}/move", {"stage": "nope"},
                       content_type="application/json").status_code == 422  # fmt: skip


def test_each_move_keeps_the_value_it_was_made_at(company, deal):
    services.opportunity_update(actor=company["owner"], opportunity=deal, value=Decimal("90000"))
    services.opportunity_move(actor=company["owner"], opportunity=deal, stage=stage("propose"))
    values = [change.value for change in deal.stage_changes.all()]
    assert values == [Decimal("120000.00"), Decimal("90000.00")]


def test_a_competitor_recorded_at_the_account_is_accepted_whoever_else_is_known(company, deal):
    from openkam.workspace.services import account_competitor_add, competitor_create

    competitor_create(actor=company["head"], name="Młyn Nowak")  # known, not at this account
    rival = competitor_create(actor=company["head"], name="Cukrownia Kowalski")
    account_competitor_add(actor=company["head"], account=company["a"], competitor=rival)
    services.opportunity_update(actor=company["owner"], opportunity=deal, competitors=[rival])
    assert list(deal.competitors.all()) == [rival]
