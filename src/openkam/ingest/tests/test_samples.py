"""The sample files in docs/samples import cleanly, in the documented order."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from openkam.accounts.models import Account
from openkam.ledger.models import Invoice, Payment

SAMPLES = Path(__file__).resolve().parents[4] / "docs" / "samples"
ORDER = [
    ("accounts", "accounts.csv"),
    ("contacts", "contacts.csv"),
    ("products", "products-pl.csv"),
    ("invoices", "invoices-pl.csv"),
    ("invoices", "invoices-ru.csv"),
    ("payments", "payments.csv"),
    ("open_items", "open-items-pl.csv"),
    ("price_lists", "price-lists-pl.csv"),
    ("discount_rules", "discount-rules-ru.csv"),
    ("opportunities", "opportunities-pl.csv"),
    ("opportunities", "opportunities-ru.csv"),
]


@pytest.fixture
def imported(db, run_import):
    return [run_import(kind, SAMPLES / name) for kind, name in ORDER]


def test_every_sample_imports_without_errors(imported):
    assert [(o.file_name, o.errors) for o in imported] == [(name, []) for _k, name in ORDER]


def test_samples_are_in_their_documented_encodings(imported):
    assert [o.encoding for o in imported] == [
        "utf-8",
        "utf-8",
        "cp1250",
        "cp1250",
        "cp1251",
        "utf-8",
        "cp1250",
        "cp1250",
        "utf-8",
        "cp1250",
        "utf-8",
    ]


def test_sample_group_and_totals(imported):
    assert Account.objects.get(external_id="R002").group_root.external_id == "R001"
    assert Invoice.objects.get(number="FV/2024/03/001").net_total == Decimal("6600.00")
    assert Invoice.objects.get(number="РН-000117").net_total == Decimal("79950.00")
    assert Payment.objects.get(external_id="ПП-000411").invoice.number == "РН-000117"


def test_sample_open_items_give_the_receivables(imported):
    from datetime import date

    from openkam.receivables import engine

    k002 = Account.objects.get(external_id="K002")
    (row,) = engine.aging(engine.AccountScope.of_ids([k002.pk]), date(2024, 4, 30))
    assert (row.currency, row.days_1_30) == ("PLN", Decimal("2460.00"))


def test_sample_price_list_and_rules_price_a_line(imported):
    from datetime import date

    from openkam.ledger.models import Product
    from openkam.pricing.quotes import check_discount, price_for

    account = Account.objects.get(external_id="K002")
    flour = Product.objects.get(sku="MK-001")
    quote = price_for(account=account, product=flour, quantity="120", on=date(2024, 7, 1))
    # No contract: the default tier (Detal), no bands there; the standard rule.
    assert (quote.tier.name, quote.line_total, quote.max_discount_pct) == (
        "Detal", Decimal("504.00"), Decimal("3.00"),
    )  # fmt: skip
    assert check_discount(quote, "3").line_total_after == Decimal("488.88")


def test_sample_opportunities_are_in_the_pipeline(imported):
    from openkam.opportunities.models import Opportunity
    from openkam.workspace.models import AccountCompetitor

    stages = dict(Opportunity.objects.values_list("external_id", "stage__code"))
    assert stages == {
        "SZ/2024/001": "propose", "SZ/2024/002": "negotiate", "SZ/2024/003": "qualify",
        "SZ/2024/004": "lost", "SZ/2024/005": "won",
        "СД-0001": "negotiate", "СД-0002": "propose", "СД-0003": "lost",
    }  # fmt: skip
    deal = Opportunity.objects.get(external_id="СД-0003")
    assert (deal.currency, deal.kind, deal.lost_reason) == ("RUB", "new", "no_budget")
    # The CRM's closing days, not the import's.
    closed = dict(Opportunity.objects.filter(external_id__startswith="SZ").exclude(
        closed_on=None).values_list("external_id", "closed_on"))  # fmt: skip
    assert closed == {"SZ/2024/004": date(2024, 3, 18), "SZ/2024/005": date(2024, 2, 26)}
    # The competitors the files name are now recorded at their accounts.
    assert AccountCompetitor.objects.filter(account__external_id="K001").count() == 1
    assert AccountCompetitor.objects.filter(account__external_id="K002").count() == 2
