"""An account whose ledger the ERP keeps: its pages, brief and API say where the figures
come from and list the ERP's documents, to those who may see the account only."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from openkam.receivables.refresh import refresh
from openkam.receivables.snapshots import ItemIn, snapshot_replace
from openkam.receivables.tests.ledgers import invoice


@pytest.fixture
def kept(company):
    a, today = company["a"], company["today"]
    a.source = "erp"  # the ERP that keeps its ledger
    a.save()
    matched = invoice(a, "FV/7", today - timedelta(days=60), "9000.00")
    snapshot_replace(
        actor=None, source="erp", as_of=today - timedelta(days=1),
        items=[
            ItemIn(a.pk, "FV/7", None, today - timedelta(days=40), "PLN", Decimal("4000.00")),
            ItemIn(a.pk, "NO/12", None, today - timedelta(days=10), "PLN", Decimal("150.00")),
        ],
    )  # fmt: skip
    refresh(today)
    return {"matched": matched, "day": today - timedelta(days=1)}


def test_the_owner_reads_the_erp_figures_and_documents(client, company, kept):
    client.force_login(company["owner"])
    response = client.get(reverse("account_receivables:account", args=[company["a"].pk]))
    body = response.content.decode()
    assert f"reported them on {kept['day']:%Y-%m-%d}" in body
    # The matched invoice links to its page; the interest note has no page to link to.
    assert reverse("ledger:invoice_detail", args=[kept["matched"].pk]) in body
    assert "NO/12" in body
    (currency,) = response.context["receivables"].currencies
    assert (currency.aging.balance, currency.aging.days_31_60) == (
        Decimal("4150.00"), Decimal("4000.00"),
    )  # fmt: skip
    # The collection index would mix the ERP's balance with the ledger's of 90 days ago.
    assert currency.effectiveness is None


def test_the_brief_lists_an_erp_document_among_the_overdue(client, company, kept):
    from openkam.workspace.brief import receivables

    result = receivables(user=company["owner"], account=company["a"], today=company["today"])
    assert [(item.number, item.days_overdue) for item in result.oldest] == [
        ("FV/7", 40), ("NO/12", 10),
    ]  # fmt: skip


def test_the_api_names_the_snapshot_and_a_document_without_an_invoice(client, company, kept):
    client.force_login(company["owner"])
    data = client.get(f"/api/receivables/accounts/{company['a'].pk}").json()
    assert data["snapshot"] == {"source": "erp", "as_of": kept["day"].isoformat()}
    assert {(row["id"], row["number"]) for row in data["open_invoices"]} == {
        (kept["matched"].pk, "FV/7"), (None, "NO/12"),
    }  # fmt: skip


def test_another_kam_gets_the_404_of_a_missing_account(client, company, kept):
    client.force_login(company["other_kam"])
    url = reverse("account_receivables:account", args=[company["a"].pk])
    assert client.get(url).status_code == 404
    assert client.get(f"/api/receivables/accounts/{company['a'].pk}").status_code == 404


def test_an_earlier_day_reads_the_ledger(client, company, kept):
    client.force_login(company["owner"])
    day = company["today"] - timedelta(days=5)
    response = client.get(
        reverse("account_receivables:account", args=[company["a"].pk]), {"as_of": day.isoformat()}
    )
    assert response.context["receivables"].snapshot is None
    (currency,) = response.context["receivables"].currencies
    assert currency.aging.balance == Decimal("9000.00")


@pytest.mark.parametrize("model", ["ledgersnapshot", "snapshotitem"])
def test_the_back_office_shows_snapshots_read_only(client, company, kept, model):
    client.force_login(company["admin"])
    changelist = client.get(reverse(f"admin:receivables_{model}_changelist"))
    assert changelist.status_code == 200
    assert client.get(reverse(f"admin:receivables_{model}_add")).status_code == 403
