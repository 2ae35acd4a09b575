"""CSV and XLSX exports: only visible customers, same filters as the cell page, parse back."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from openpyxl import load_workbook

from openkam.portfolio.tests import pages_fixtures

scored = pages_fixtures.scored  # the fixture, shared by the portfolio page tests


def csv_rows(client, user, query: str = "") -> list[dict]:
    client.force_login(user)
    response = client.get(f"/portfolio/export.csv{query}")
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def xlsx_rows(client, user, query: str = "") -> list[list]:
    client.force_login(user)
    response = client.get(f"/portfolio/export.xlsx{query}")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_head_csv_lists_every_customer(client, scored):
    rows = csv_rows(client, scored["head"])
    assert [r["Account"] for r in rows] == ["Beta Trade", "Alfa Hurt S.A.", "Gamma Retail"]
    assert Decimal(rows[0]["Revenue"]) == Decimal("6000.00")


def test_kam_csv_lists_only_visible_customers(client, scored):
    rows = csv_rows(client, scored["owner"], "?scope=entity")
    assert {r["Account"] for r in rows} == {"Alfa Hurt S.A.", "Alfa Logistyka Sp. z o.o."}


def test_csv_follows_the_cell_filter(client, scored):
    rows = csv_rows(client, scored["head"], "?abc=C")
    assert [r["Account"] for r in rows] == ["Gamma Retail"]


def test_csv_carries_the_score(client, scored):
    rows = csv_rows(client, scored["head"])
    assert rows[0]["Score"] == "7.75"


def test_xlsx_parses_back_with_the_same_rows(client, scored):
    rows = xlsx_rows(client, scored["head"])
    header, body = rows[0], rows[1:]
    assert header[:2] == ["Account id", "Account"]
    assert [r[1] for r in body] == ["Beta Trade", "Alfa Hurt S.A.", "Gamma Retail"]
    assert body[0][header.index("Revenue")] == 6000


def test_kam_xlsx_holds_no_other_account(client, scored):
    rows = xlsx_rows(client, scored["owner"])
    assert [r[1] for r in rows[1:]] == ["Alfa Hurt S.A."]
