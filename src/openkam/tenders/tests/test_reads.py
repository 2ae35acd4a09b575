"""What a reader sees of tenders: deadline alerts on the fixed clock, the past prices of
the issuer and its group, and nothing of an account hidden from them (lists, exports,
alerts, past prices, pages, API)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse

from openkam.tenders import selectors, services
from openkam.tenders.models import Tender


def test_alerts_hold_tenders_in_preparation_due_within_the_window_or_past(
    company, make_tender, now, settings
):
    soon = make_tender(title="Soon", days=3, documents=["Offer form", "Price sheet"])
    make_tender(title="Later", days=8)
    late = make_tender(title="Late", deadline=now - timedelta(hours=5))
    sent = make_tender(title="Sent", days=1)
    services.tender_move(actor=None, tender=sent, status="submitted")
    make_tender(company["b"], title="Other KAM's", days=2)
    alerts = selectors.deadline_alerts(company["owner"], now)
    assert [(a.tender.title, a.days_left, a.overdue, a.open_documents) for a in alerts] == [
        ("Late", 0, True, 0),
        ("Soon", 3, False, 2),
    ]
    assert [a.tender.title for a in selectors.deadline_alerts(company["owner"], now, days=9)] == [
        "Late", "Soon", "Later",
    ]  # fmt: skip
    settings.OPENKAM_TENDER_ALERT_DAYS = 1
    assert [a.tender.title for a in selectors.deadline_alerts(company["owner"], now)] == ["Late"]
    assert soon.pk and late.pk
    everyone = {a.tender.title for a in selectors.deadline_alerts(company["head"], now, days=9)}
    assert "Other KAM's" in everyone


def _decided(company, make_tender, account, line, ours, winning, status="lost", **fields):
    tender = make_tender(account, title=f"{account.name} {line} {ours}",
                         lines=((line, "100", ours, winning),), **fields)  # fmt: skip
    lost = status == "lost"
    services.tender_move(
        actor=None, tender=tender, status=status, outcome_reason="price" if lost else "",
        winner_name="Młyn Kowalski" if lost else "",
    )  # fmt: skip
    return tender


def test_past_prices_are_the_issuers_and_its_groups_for_the_same_lines(company, make_tender):
    _decided(company, make_tender, company["a"], "Mąka", "2.50", "2.40")
    _decided(company, make_tender, company["a1"], "Mąka", "2.60", None, status="won")
    _decided(company, make_tender, company["a"], "Cukier", "3.00", "2.90")  # other line
    _decided(company, make_tender, company["b"], "Mąka", "2.20", "2.10")  # other issuer
    make_tender(company["a"], title="Still open", lines=(("Mąka", None, "9", None),))
    rows = selectors.past_prices(company["owner"], company["a"], ["Mąka"])
    got = sorted((r.tender.account.name, r.our_price, r.winning_price, r.winner, r.price_gap,
                  r.status) for r in rows)  # fmt: skip
    assert got == [
        ("Alfa Hurt S.A.", Decimal("2.50"), Decimal("2.40"), "Młyn Kowalski", Decimal("4.2"),
         "lost"),
        ("Alfa Logistyka Sp. z o.o.", Decimal("2.60"), None, "we did", None, "won"),
    ]  # fmt: skip
    # Asked from the subsidiary, the group's head counts as well.
    assert len(selectors.past_prices(company["owner"], company["a1"], ["Mąka"])) == 2


def test_past_prices_name_only_what_the_reader_sees(company, make_tender):
    _decided(company, make_tender, company["b"], "Mąka", "2.20", "2.10")
    assert selectors.past_prices(company["owner"], company["b"], ["Mąka"]) == []
    assert len(selectors.past_prices(company["other_kam"], company["b"], ["Mąka"])) == 1


@pytest.fixture
def hidden(company, make_tender):
    """A tender of B (the other KAM's account) that A's KAM must never learn of."""
    return make_tender(company["b"], title="Secret tender of Beta", days=2,
                       documents=["Secret document"])  # fmt: skip


def test_another_kams_tender_is_missing_on_every_route(client, company, make_tender, hidden):
    mine = make_tender(title="Alfa tender", days=2)
    client.force_login(company["owner"])
    document = hidden.documents.get()
    for url in (
        reverse("tenders:detail", args=[hidden.pk]),
        reverse("account_tenders:list", args=[company["b"].pk]),
        f"/api/tenders/{hidden.pk}",
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        reverse("tenders:edit", args=[hidden.pk]),
        reverse("tenders:move", args=[hidden.pk]),
        reverse("tenders:document_toggle", args=[hidden.pk, document.pk]),
        reverse("tenders:document_add", args=[hidden.pk]),
        reverse("account_tenders:create", args=[company["b"].pk]),
    ):
        assert client.post(url, {"status": "cancelled", "name": "x"}).status_code == 404, url
    for url, body in (
        (f"/api/tenders/{hidden.pk}/move", {"status": "cancelled", "outcome_reason": "other"}),
        (f"/api/tenders/{hidden.pk}/documents/{document.pk}/toggle", {}),
    ):
        assert client.post(url, body, content_type="application/json").status_code == 404
    assert client.patch(f"/api/tenders/{hidden.pk}", {"title": "x"},
                        content_type="application/json").status_code == 404  # fmt: skip
    # Lists, alerts, the export and the API list name only A's tender.
    page = client.get(reverse("tenders:list")).content.decode()
    assert "Alfa tender" in page and "Secret tender" not in page
    api = client.get("/api/tenders/").json()
    assert [row["id"] for row in api["items"]] == [mine.pk]
    book = _sheet(client.get(reverse("tenders:list"), {"format": "xlsx"}).content)
    assert [row[1] for row in book[1:]] == ["Alfa tender"]
    hidden.refresh_from_db()
    assert (hidden.status, hidden.title) == ("preparing", "Secret tender of Beta")


def _sheet(content: bytes) -> list[tuple]:
    from openpyxl import load_workbook

    return list(load_workbook(BytesIO(content)).active.iter_rows(values_only=True))


def test_the_list_filters_and_exports_xlsx(client, company, make_tender, rival):
    tender = make_tender(title="Flour for schools", reference="ZP/12/2026",
                         our_total=Decimal("2500.00"), documents=["Offer form"])  # fmt: skip
    services.tender_move(actor=None, tender=tender, status="lost", outcome_reason="price",
                         winner=rival, winning_total=Decimal("2400.00"))  # fmt: skip
    make_tender(title="Sugar for hospitals", days=40)
    client.force_login(company["head"])
    rows = _sheet(client.get(reverse("tenders:list"), {"format": "xlsx", "status": "lost"}).content)
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1]))
    assert (row["Issuer"], row["Tender"], row["Reference number"], row["Status"]) == (
        "Alfa Hurt S.A.", "Flour for schools", "ZP/12/2026", "lost",
    )  # fmt: skip
    assert (row["Our total price"], row["Winning price"], row["Winner"]) == (
        2500, 2400, "Młyn Nowak",
    )  # fmt: skip
    assert (row["Outcome reason"], row["Product lines"], row["Documents not done"]) == (
        "price", "Mąka", 1,
    )  # fmt: skip
    page = client.get(reverse("tenders:list"), {"due_within": "7"}).content.decode()
    assert "Sugar for hospitals" not in page and "Flour for schools" not in page


def test_the_list_and_the_account_panel_show_the_alerts(client, company, make_tender):
    make_tender(title="Due soon", days=2, documents=["Offer form"])
    client.force_login(company["owner"])
    page = client.get(reverse("tenders:list")).content.decode()
    assert 'id="deadline-alerts"' in page and "1 document not done" in page
    account_page = client.get(reverse("accounts:detail", args=[company["a"].pk])).content
    assert b'id="tenders"' in account_page  # its rows load after the page:
    rows = client.get(reverse("account_tenders:list", args=[company["a"].pk]) + "?panel=1")
    assert b"Due soon" in rows.content and b"2 days left" in rows.content


def test_the_pages_add_edit_move_and_tick_by_htmx(client, company, make_tender):
    client.force_login(company["owner"])
    response = client.post(reverse("account_tenders:create", args=[company["a"].pk]), {
        "title": "Sugar for Q2", "reference": "T-1", "deadline": "2026-12-20T12:00",
        "currency": "pln", "lines": "Cukier; 500; 3,10\nMąka;;2.5;2.4",
    })  # fmt: skip
    tender = Tender.objects.get(title="Sugar for Q2")
    assert response.url == reverse("tenders:detail", args=[tender.pk])
    assert tender.deadline.hour == 11  # 12:00 in Warsaw
    assert sorted(tender.lines.values_list("product_line", "our_price")) == [
        ("Cukier", Decimal("3.10")), ("Mąka", Decimal("2.50")),
    ]  # fmt: skip
    bad = client.post(reverse("account_tenders:create", args=[company["a"].pk]), {
        "title": "Bad", "deadline": "2026-12-20T12:00", "currency": "PLN", "lines": "Mąka; x",
    })  # fmt: skip
    assert bad.status_code == 400 and "Row 1" in bad.content.decode()
    added = client.post(reverse("tenders:document_add", args=[tender.pk]),
                        {"name": "Offer form"}, HTTP_HX_REQUEST="true")  # fmt: skip
    assert b'id="checklist"' in added.content and b"<html" not in added.content
    moved = client.post(reverse("tenders:move", args=[tender.pk]), {"status": "submitted"})
    assert moved.status_code == 400 and "Offer form" in moved.content.decode()
    document = tender.documents.get()
    ticked = client.post(reverse("tenders:document_toggle", args=[tender.pk, document.pk]),
                         HTTP_HX_REQUEST="true")  # fmt: skip
    assert ticked.status_code == 200 and b"all done" in ticked.content
    moved = client.post(reverse("tenders:move", args=[tender.pk]), {"status": "submitted"})
    assert moved.status_code == 302
    edited = client.post(reverse("tenders:edit", args=[tender.pk]), {
        "title": "Sugar for Q2 and Q3", "deadline": "2026-12-20T12:00", "currency": "PLN",
        "lines": "Cukier; 500; 3.00",
    })  # fmt: skip
    assert edited.status_code == 302
    page = client.get(reverse("tenders:detail", args=[tender.pk])).content.decode()
    assert "Sugar for Q2 and Q3" in page and "submitted" in page


def test_the_tender_page_shows_past_prices_of_the_issuer(client, company, make_tender):
    _decided(company, make_tender, company["a"], "Mąka", "2.50", "2.40")
    current = make_tender(title="Flour again")
    client.force_login(company["owner"])
    page = client.get(reverse("tenders:detail", args=[current.pk])).content.decode()
    assert 'id="past-prices"' in page and "Młyn Kowalski" in page and "+4.2%" in page


def test_the_api_creates_patches_moves_and_ticks(client, company, rival):
    client.force_login(company["owner"])
    created = client.post("/api/tenders/", {
        "account_id": company["a"].pk, "title": "API tender", "currency": "pln",
        "deadline": "2026-12-09T12:00:00+01:00", "estimated_value": "10000.00",
        "lines": [{"product_line": "Mąka", "quantity": "1000", "our_price": "2.50"}],
        "documents": ["Offer form"], "competitor_ids": [rival.pk],
    }, content_type="application/json")  # fmt: skip
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["currency"], body["owner_id"]) == (
        "preparing", "PLN", company["owner"].pk,
    )  # fmt: skip
    assert body["lines"] == [{"product_line": "Mąka", "quantity": "1000.000",
                              "our_price": "2.50", "winning_price": None}]  # fmt: skip
    assert body["competitor_ids"] == [rival.pk]
    url = f"/api/tenders/{body['id']}"
    patched = client.patch(url, {"our_total": "2500.00", "title": "API tender 2"},
                           content_type="application/json")  # fmt: skip
    assert (patched.json()["our_total"], patched.json()["title"]) == ("2500.00", "API tender 2")
    assert client.patch(url, {"title": None}, content_type="application/json").status_code == 422
    refused = client.post(f"{url}/move", {"status": "submitted"}, content_type="application/json")
    assert refused.status_code == 422 and "Offer form" in refused.content.decode()
    document_id = body["documents"][0]["id"]
    ticked = client.post(f"{url}/documents/{document_id}/toggle", {"done": True},
                         content_type="application/json")  # fmt: skip
    assert ticked.json()["documents"][0]["is_done"] is True
    assert client.post(f"{url}/move", {"status": "submitted"},
                       content_type="application/json").json()["submitted_on"] == "2026-12-02"  # fmt: skip
    lost = client.post(f"{url}/move", {"status": "lost"}, content_type="application/json")
    assert lost.status_code == 422
    lost = client.post(f"{url}/move", {
        "status": "lost", "outcome_reason": "price", "winner_id": rival.pk,
        "winning_total": "2400.00",
    }, content_type="application/json")  # fmt: skip
    assert (lost.json()["winner_id"], lost.json()["decided_on"]) == (rival.pk, "2026-12-02")
    listed = client.get("/api/tenders/", {"status": "lost"}).json()
    assert [row["id"] for row in listed["items"]] == [body["id"]]


@pytest.mark.parametrize("persona", ["finance", "viewer"])
def test_read_only_roles_read_but_the_api_refuses_their_writes(
    client, company, make_tender, persona
):
    tender = make_tender()
    client.force_login(company[persona])
    assert client.get(f"/api/tenders/{tender.pk}").status_code == 200
    assert client.get(reverse("tenders:detail", args=[tender.pk])).status_code == 200
    response = client.post(f"/api/tenders/{tender.pk}/move", {"status": "cancelled",
                           "outcome_reason": "other"}, content_type="application/json")  # fmt: skip
    assert response.status_code == 403
    assert client.post(reverse("tenders:move", args=[tender.pk]),
                       {"status": "cancelled"}).status_code == 404  # fmt: skip
