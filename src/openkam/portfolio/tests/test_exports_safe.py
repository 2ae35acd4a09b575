"""The portfolio exports write every text cell through the shared safe writer: a customer
named like a formula is text in both formats, while its figures stay numbers."""

from __future__ import annotations

import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

from openkam.accounts.models import Account
from openkam.portfolio.tests import pages_fixtures

scored = pages_fixtures.scored  # the fixture, shared by the portfolio page tests

EVIL = '=HYPERLINK("http://evil.example","Beta")'


def _rename_beta():
    Account.objects.filter(name="Beta Trade").update(name=EVIL, segment="-5 days")


def test_csv_cells_cannot_run(client, scored):
    _rename_beta()
    client.force_login(scored["head"])
    response = client.get(reverse("portfolio:export_csv"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = {row["Account"]: row for row in csv.DictReader(io.StringIO(text))}
    assert "'" + EVIL in rows
    beta = rows["'" + EVIL]
    assert beta["Segment"] == "'-5 days"
    assert beta["Revenue"] == "6000.00"


def test_xlsx_cells_cannot_run_and_figures_stay_numbers(client, scored):
    _rename_beta()
    client.force_login(scored["head"])
    response = client.get(reverse("portfolio:export_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows()]
    header = [cell.value for cell in rows[0]]
    beta = next(row for row in rows if row[1].value == "'" + EVIL)
    assert beta[header.index("Segment")].value == "'-5 days"
    assert beta[header.index("Revenue")].value == 6000
    assert all(cell.data_type != "f" for row in rows for cell in row)
