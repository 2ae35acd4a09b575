"""Volume commitment progress against hand-computed sums of invoice lines.

The clock is 2026-12-02: a contract year from 2026-01-01 has run 336 of its 365 days.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from openkam.contracts import selectors
from openkam.contracts.progress import commitment_progress
from openkam.contracts.tests.factories import add_line, make_contract

TODAY = date(2026, 12, 2)
CENT = Decimal("0.01")


@pytest.fixture
def ledger(company):
    a, a1, b = company["a"], company["a1"], company["b"]
    add_line(a, date(2026, 2, 10), "10000.00")
    add_line(a, date(2026, 12, 2), "5000.00")  # today counts
    add_line(a, date(2026, 6, 1), "-500.00")  # a return
    add_line(a, date(2026, 3, 1), "7000.00", currency="EUR")  # another currency
    add_line(a, date(2025, 12, 31), "3000.00")  # before the contract year
    add_line(a1, date(2026, 5, 5), "2000.00")  # a subsidiary: only for the group
    add_line(a1, date(2026, 5, 6), "900.00", currency="EUR")
    add_line(b, date(2026, 4, 4), "9999.00")  # another customer
    return company


def _progress(contract, user):
    return commitment_progress([contract], user=user, today=TODAY)[contract.pk]


def test_progress_sums_the_accounts_lines_in_the_commitments_currency_only(ledger):
    company = ledger
    contract = make_contract(
        company, "a", commitment_amount=Decimal("120000"), commitment_currency="PLN"
    )
    progress = _progress(contract, company["owner"])
    assert (progress.period_start, progress.period_end) == (date(2026, 1, 1), date(2026, 12, 31))
    assert (progress.days_passed, progress.days_total) == (336, 365)
    assert progress.invoiced == Decimal("14500.00")  # 10000 + 5000 - 500
    assert progress.other_currencies == ("EUR",)
    assert progress.fraction == Decimal("14500") / Decimal("120000")
    assert progress.expected == (Decimal("120000") * 336 / 365).quantize(CENT)
    assert progress.projected == (Decimal("14500") * 365 / 336).quantize(CENT)
    assert progress.at_risk is True


def test_a_group_contract_counts_the_subsidiaries_too(ledger):
    company = ledger
    contract = make_contract(
        company,
        "a",
        commitment_amount=Decimal("17000"),
        commitment_currency="PLN",
        covers_group=True,
    )
    progress = _progress(contract, company["owner"])
    assert progress.invoiced == Decimal("16500.00")  # 14500 on A + 2000 on A1
    # Projected 16500 x 365 / 336 = 17924.11: not short of 17000 by more than 10%.
    assert progress.projected == Decimal("17924.11")
    assert progress.at_risk is False


def test_euro_commitment_counts_only_euro_lines(ledger):
    company = ledger
    contract = make_contract(
        company,
        "a",
        commitment_amount=Decimal("8000"),
        commitment_currency="EUR",
        covers_group=True,
    )
    progress = _progress(contract, company["head"])
    assert progress.invoiced == Decimal("7900.00")
    assert progress.other_currencies == ("PLN",)


def test_at_risk_follows_the_margin_setting(ledger, settings):
    company = ledger
    # Projected 14500 x 365 / 336 = 15751.49; 10% short of 17500 is 15750: not at risk.
    contract = make_contract(
        company, "a", commitment_amount=Decimal("17500"), commitment_currency="PLN"
    )
    assert _progress(contract, company["owner"]).at_risk is False
    settings.OPENKAM_COMMITMENT_RISK_PCT = 5  # now 16625 is the line
    assert _progress(contract, company["owner"]).at_risk is True


def test_no_risk_in_the_first_days_of_a_period_nor_for_a_draft(ledger):
    company = ledger
    fresh = make_contract(
        company,
        "b",
        starts_on=date(2026, 11, 20),
        commitment_amount=Decimal("50000"),
        commitment_currency="PLN",
    )
    progress = _progress(fresh, company["head"])
    assert (progress.days_passed, progress.invoiced, progress.at_risk) == (13, Decimal("0"), False)
    draft = make_contract(
        company,
        "a",
        status="draft",
        commitment_amount=Decimal("120000"),
        commitment_currency="PLN",
    )
    assert _progress(draft, company["owner"]).at_risk is False


def test_a_commitment_over_the_term(ledger):
    company = ledger
    contract = make_contract(
        company,
        "a",
        starts_on=date(2025, 12, 1),
        ends_on=date(2027, 11, 30),
        commitment_amount=Decimal("40000"),
        commitment_currency="PLN",
        commitment_period="term",
    )
    progress = _progress(contract, company["owner"])
    assert (progress.period_start, progress.period_end) == (date(2025, 12, 1), date(2027, 11, 30))
    assert progress.invoiced == Decimal("17500.00")  # with 3000 of 2025-12-31


def test_a_period_not_started_yet_has_nothing_invoiced(ledger):
    company = ledger
    contract = make_contract(
        company,
        "a",
        starts_on=date(2027, 1, 1),
        commitment_amount=Decimal("1000"),
        commitment_currency="PLN",
    )
    progress = _progress(contract, company["owner"])
    assert (progress.days_passed, progress.invoiced, progress.projected) == (0, Decimal("0"), None)
    assert progress.at_risk is False


def test_progress_of_many_contracts_is_a_single_query(ledger, django_assert_num_queries):
    company = ledger
    contracts = [
        make_contract(company, key, commitment_amount=Decimal("1000"), commitment_currency="PLN")
        for key in ("a", "a1", "b", "c")
    ]
    with django_assert_num_queries(1):
        found = commitment_progress(contracts, user=company["head"], today=TODAY)
    assert {pk: p.invoiced for pk, p in found.items()} == {
        contracts[0].pk: Decimal("14500.00"),
        contracts[1].pk: Decimal("2000.00"),
        contracts[2].pk: Decimal("9999.00"),
        contracts[3].pk: Decimal("0.00"),
    }


def test_the_at_risk_list(ledger):
    company = ledger
    risky = make_contract(
        company, "a", commitment_amount=Decimal("120000"), commitment_currency="PLN"
    )
    make_contract(company, "a", commitment_amount=Decimal("1000"), commitment_currency="PLN")
    make_contract(company, "b", commitment_amount=Decimal("99999"), commitment_currency="PLN")
    assert [c.pk for c in selectors.at_risk_contracts(user=company["owner"], today=TODAY)] == [
        risky.pk
    ]
    head_sees = selectors.at_risk_contracts(user=company["head"], today=TODAY)
    assert len(head_sees) == 2
