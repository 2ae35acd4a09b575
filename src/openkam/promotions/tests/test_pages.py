"""Promotion pages and API: the catalogue for everyone signed in, per-account figures only
for accounts the reader may see (another KAM's account is 404 or absent), writes for
heads and administrators only."""

from datetime import date
from decimal import Decimal as D
from io import BytesIO

import pytest
from openpyxl import load_workbook

from openkam.accounts.tests.factories import bearer
from openkam.promotions.models import Promotion
from openkam.promotions.tests.factories import product, promotion, sell


@pytest.fixture
def running(company):
    cable = product("CAB-1")
    promo = promotion("Winter bonus", threshold_amount=D("2000"), exclusion_group="winter")
    promotion("Winter rival", bonus_pct=D("2"), exclusion_group="winter")
    sell(company["a"], date(2026, 11, 5), cable, "3", "1500.00")
    sell(company["b"], date(2026, 11, 6), cable, "1", "300.00")
    return promo


def _login(client, user):
    client.force_login(user)
    return client


def test_list_groups_running_upcoming_and_past(client, company, running):
    promotion("Spring", starts_on=date(2027, 3, 1), ends_on=date(2027, 3, 31))
    promotion("Autumn", starts_on=date(2026, 9, 1), ends_on=date(2026, 9, 30))
    page = _login(client, company["owner"]).get("/promotions/")
    assert page.status_code == 200
    sections = {str(title): [p.name for p in rows] for title, rows in page.context["sections"]}
    assert sections == {"running": ["Winter bonus", "Winter rival"], "upcoming": ["Spring"],
                        "past": ["Autumn"]}  # fmt: skip
    assert b"/promotions/new/" not in page.content


def test_detail_lists_only_visible_accounts_sorted_by_progress(client, company, running):
    page = _login(client, company["owner"]).get(f"/promotions/{running.pk}/")
    names = [row.account.name for row in page.context["progress"]]
    assert names == [company["a"].name, company["a1"].name]
    assert company["b"].name.encode() not in page.content
    head_page = _login(client, company["head"]).get(f"/promotions/{running.pk}/?sort=progress")
    names = [row.account.name for row in head_page.context["progress"]]
    assert names[-2:] == [company["b"].name, company["a"].name]  # 15 %, then 75 %


def test_export_has_the_visible_accounts_progress(client, company, running):
    response = _login(client, company["owner"]).get(f"/promotions/{running.pk}/export.xlsx")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == [company["a"].name, company["a1"].name]
    assert rows[1][2] == 1500 and rows[1][5] == 75


def test_account_page_404_for_another_kam_and_says_who_wins(client, company, running):
    assert (
        _login(client, company["other_kam"])
        .get(f"/accounts/{company['a'].pk}/promotions/")
        .status_code
        == 404
    )
    page = _login(client, company["owner"]).get(f"/accounts/{company['a'].pk}/promotions/")
    assert page.status_code == 200
    (row, rival) = page.context["current"]
    assert (row.turnover, row.reached_pct, row.missing) == (D("1500.00"), D("75.0"), D("500.00"))
    (clash,) = page.context["clashes"]
    loser = [choice for choice in clash.choices if not choice.applies][0]
    assert (loser.promotion.name, loser.beaten_by.name) == ("Winter rival", "Winter bonus")
    assert b"same exclusion group" in page.content


def test_account_panel_loads_the_progress_through_the_gate(client, company, running):
    rows_url = f"/accounts/{company['a'].pk}/promotions/?panel=1"
    page = _login(client, company["owner"]).get(f"/accounts/{company['a'].pk}/")
    assert rows_url.encode() in page.content
    rows = client.get(rows_url)
    assert b"Winter bonus" in rows.content and b"75.0 %" in rows.content
    assert _login(client, company["other_kam"]).get(rows_url).status_code == 404


def test_past_promotion_shows_lift(client, company):
    promo = promotion("October push", starts_on=date(2026, 10, 1), ends_on=date(2026, 10, 10))
    sell(company["a"], date(2026, 10, 5), product("CAB-1"), "1", "160.00")
    page = _login(client, company["owner"]).get(f"/promotions/{promo.pk}/")
    assert [row.account.name for row in page.context["lift_rows"]][0] == company["a"].name
    assert page.context["lift_total"].during == D("160.00")


def test_only_heads_create_and_edit(client, company, running):
    form = {
        "name": "Head's promo", "kind": "discount", "starts_on": "2026-12-01",
        "ends_on": "2026-12-31", "currency": "pln", "audience": "segments",
        "segments": "HoReCa, DIY", "discount_pct": "4", "combinable": "on",
    }  # fmt: skip
    assert _login(client, company["owner"]).post("/promotions/new/", form).status_code == 404
    assert (
        _login(client, company["owner"]).get(f"/promotions/{running.pk}/edit/").status_code == 404
    )
    response = _login(client, company["head"]).post("/promotions/new/", form)
    assert response.status_code == 302
    made = Promotion.objects.get(name="Head's promo")
    assert (made.segments, made.currency, made.discount_pct) == (["HoReCa", "DIY"], "PLN", D("4"))
    bad = _login(client, company["head"]).post(
        f"/promotions/{made.pk}/edit/", {**form, "ends_on": "2026-11-01"}
    )
    assert bad.status_code == 400
    assert "ends_on" in bad.context["form"].errors


def test_api_reads_progress_under_visibility(client, company, running):
    body = client.get("/api/promotions/", headers=bearer(company["owner"])).json()
    assert {item["name"] for item in body["items"]} == {"Winter bonus", "Winter rival"}
    progress = client.get(
        f"/api/promotions/{running.pk}/progress", headers=bearer(company["owner"])
    ).json()
    assert [row["account_name"] for row in progress] == [company["a"].name, company["a1"].name]
    assert (progress[0]["turnover"], progress[0]["missing"]) == ("1500.00", "500.00")
    hidden = client.get(
        f"/api/promotions/accounts/{company['a'].pk}", headers=bearer(company["other_kam"])
    )
    assert hidden.status_code == 404
    mine = client.get(
        f"/api/promotions/accounts/{company['a'].pk}", headers=bearer(company["owner"])
    )
    assert [row["turnover"] for row in mine.json()] == ["1500.00", "1500.00"]


def test_api_writes_for_heads(client, company, running):
    payload = {"name": "API promo", "kind": "volume_bonus", "starts_on": "2026-12-01",
               "ends_on": "2026-12-31", "bonus_pct": "2.5", "audience": "accounts",
               "account_ids": [company["b"].pk], "limit_per_account": "100"}  # fmt: skip
    denied = client.post("/api/promotions/", payload, content_type="application/json",
                         headers=bearer(company["owner"]))  # fmt: skip
    assert denied.status_code == 404
    made = client.post("/api/promotions/", payload, content_type="application/json",
                       headers=bearer(company["head"]))  # fmt: skip
    assert made.status_code == 201
    body = made.json()
    assert (body["account_ids"], body["limit_per_account"]) == ([company["b"].pk], "100.00")
    patched = client.patch(f"/api/promotions/{body['id']}", {"bonus_pct": None},
                           content_type="application/json", headers=bearer(company["head"]))  # fmt: skip
    assert patched.status_code == 422  # neither a percentage nor a fixed bonus
    patched = client.patch(f"/api/promotions/{body['id']}", {"bonus_pct": "3"},
                           content_type="application/json", headers=bearer(company["head"]))  # fmt: skip
    assert patched.json()["bonus_pct"] == "3.00"
    # The owner of A reads the promotion for B's account, but not B's id.
    seen = client.get(f"/api/promotions/{body['id']}", headers=bearer(company["owner"])).json()
    assert seen["account_ids"] == []
