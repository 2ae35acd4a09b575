"""The pages, the XLSX workbooks, the account panel and the API: the same figures as the
selectors, and a hidden account answers as a missing one (404)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from openkam.returns.tests.ledgers import crafted
from openkam.returns.tests.test_refusals import lose

PERIOD = "from=2025-12&to=2026-11"


@pytest.fixture
def ledger(company):
    crafted(company)
    lose(company, "a", "Deal one", "1000.00", "PLN", "price", ("Xeno Foods",))
    lose(company, "b", "Deal hidden", "9000.00", "PLN", "price", ("Zeta Secret",))
    return company


def as_user(client, user):
    client.force_login(user)
    return client


def sheets(response) -> dict[str, list[tuple]]:
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in book}


def test_the_page_shows_the_owners_figures_and_nothing_of_b(client, ledger):
    page = as_user(client, ledger["owner"]).get(f"/returns/?{PERIOD}")
    text = page.content.decode()
    assert page.status_code == 200
    assert "4.22%" in text and "Damaged in transport" in text and "Alfa Logistyka" in text
    assert "Quality complaint" not in text and "Beta Trade" not in text
    assert 'id="returns-chart"' in text and "returns-data" in text


def test_a_hidden_account_answers_404_everywhere(client, ledger):
    kam = as_user(client, ledger["other_kam"])
    a = ledger["a"].pk
    for path in (f"/returns/?account={a}", f"/returns/refusals/?account={a}",
                 f"/api/returns/summary?account={a}", f"/api/returns/accounts/{a}",
                 f"/api/returns/refusals?account={a}", "/returns/?account=999999"):  # fmt: skip
        assert kam.get(path).status_code == 404, path
    mine = kam.get(f"/returns/?{PERIOD}").content.decode()
    assert "Alfa" not in mine and "Damaged" not in mine


def test_the_returns_workbook(client, ledger):
    response = as_user(client, ledger["owner"]).get(f"/returns/?{PERIOD}&format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = sheets(response)
    assert list(book) == ["Summary", "By reason", "By product line", "By account", "By month"]
    summary = {row[2]: row for row in book["Summary"][1:]}
    assert summary["PLN"][3:] == (4500, 190, 4, 4.22, 4.22, "your accounts")
    assert book["By reason"][2] == ("Damaged in transport", "PLN", 130, 2, 68.42)
    assert [row[0] for row in book["By account"][1:]] == [
        "Alfa Hurt S.A.", "Alfa Hurt S.A.", "Alfa Logistyka Sp. z o.o."]  # fmt: skip
    assert len(book["By month"]) == 1 + 24
    head = sheets(as_user(client, ledger["head"]).get(f"/returns/?{PERIOD}&format=xlsx"))
    assert {row[2]: row[-1] for row in head["Summary"][1:]}["PLN"] == "company"


def test_the_refusals_page_and_workbook(client, ledger):
    owner = as_user(client, ledger["owner"])
    text = owner.get("/returns/refusals/").content.decode()
    assert "Deal one" in text and "Xeno Foods" in text
    assert "Deal hidden" not in text and "Zeta Secret" not in text
    book = sheets(owner.get("/returns/refusals/?format=xlsx"))
    assert [row[3] for row in book["Refusals"][1:]] == ["Deal one"]
    assert book["By competitor"][1] == ("Xeno Foods", "PLN", 1, 1000, 100)


def test_the_api(client, ledger):
    api = as_user(client, ledger["owner"])
    summary = api.get(f"/api/returns/summary?{PERIOD}").json()
    pln = next(f for f in summary["figures"] if f["currency"] == "PLN")
    assert (pln["sales"], pln["returned"], pln["count"], pln["rate"]) == (
        "4500.00",
        "190.00",
        4,
        "4.22",
    )
    assert summary["comparison_label"] == "your accounts"
    reasons = api.get(f"/api/returns/by-reason?{PERIOD}&currency=PLN").json()
    assert [(r["label"], r["returned"]) for r in reasons][0] == ("Damaged in transport", "130.00")
    worst = api.get(f"/api/returns/by-account?{PERIOD}&scope=group").json()
    assert {(w["name"], w["is_group"]) for w in worst} == {("Alfa Hurt S.A.", True)}
    months = api.get(f"/api/returns/monthly?{PERIOD}&currency=PLN").json()
    assert len(months) == 12 and months[3]["figures"]["returned"] == "160.00"
    lines = api.get(f"/api/returns/by-product-line?{PERIOD}&line=Sugar").json()
    assert [(x["product_line"], x["figures"]["rate"]) for x in lines] == [("Sugar", "4.00")]
    refused = api.get("/api/returns/refusals/summary").json()
    assert [(t["label"], t["count"]) for t in refused["by_competitor"]] == [("Xeno Foods", 1)]
    assert api.get("/api/returns/summary?from=2026-13").status_code == 422
    assert api.get("/api/returns/refusals?source=nothing").status_code == 422


def test_the_account_panel_and_its_api(client, ledger):
    """The last 12 whole months, which hold the crafted ledger."""
    owner = as_user(client, ledger["owner"])
    view = owner.get(f"/api/returns/accounts/{ledger['a1'].pk}").json()
    assert view["comparison_label"] == "your accounts"
    assert [(f["currency"], f["rate"]) for f in view["account"]] == [("PLN", "1.00")]
    assert [r["label"] for r in view["reasons"]] == ["Not ordered"]
    page = owner.get(f"/accounts/{ledger['a1'].pk}/").content.decode()
    assert 'id="returns"' in page
    rows = owner.get(f"/accounts/{ledger['a1'].pk}/returns/").content.decode()
    assert "Not ordered" in rows
    assert Decimal(view["group"][1]["rate"]) == Decimal("4.22")
