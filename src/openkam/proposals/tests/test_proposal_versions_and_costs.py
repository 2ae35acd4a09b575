"""Writing proposals beyond the happy path: the customer's language from its country, the
yearly numbering, a unit cost from the last year's sales in the currency, the header
edits a proposal takes, line positions and totals, and the next version's dates."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from openkam.accounts.models import Account
from openkam.opportunities.models import Stage
from openkam.proposals import approval_flow, outcomes, services
from openkam.proposals.models import Language, Proposal, RequestStatus, Status
from openkam.proposals.tests import factories


@pytest.fixture
def catalogue(company):
    return factories.priced_catalogue()


@pytest.mark.parametrize(
    ("country", "language"),
    [
        ("PL", Language.PL), ("pl", Language.PL), ("RU", Language.RU), ("BY", Language.RU),
        ("KZ", Language.RU), ("KG", Language.RU), ("AM", Language.RU), ("UZ", Language.RU),
        ("tj", Language.RU), ("DE", Language.EN), ("", Language.EN), (None, Language.EN),
    ],
)  # fmt: skip
def test_the_customers_language_follows_its_country(country, language):
    assert services.language_for(Account(name="X", country=country)) == language


def test_numbers_run_per_year_from_the_highest_taken(company, catalogue):
    first = services.proposal_create(
        actor=company["owner"], opportunity=factories.opportunity(company)
    )
    assert first.number == "OF/2026/0001"
    Proposal.objects.create(
        account=company["a"], opportunity=first.opportunity, number="OF/2025/0077", title="Old",
        currency="PLN", priced_on=company["today"], valid_until=company["today"],
    )  # fmt: skip
    Proposal.objects.filter(pk=first.pk).update(number="OF/2026/0041")
    following = services.proposal_create(actor=company["owner"], opportunity=first.opportunity)
    assert following.number == "OF/2026/0042"


def test_a_number_someone_else_took_meanwhile_gives_way_to_the_next(company, catalogue):
    """What a second person creating a proposal in the same instant meets: the number it
    read as free is taken when it saves."""
    first = services.proposal_create(
        actor=company["owner"], opportunity=factories.opportunity(company)
    )
    late = Proposal(
        account=company["a"], opportunity=first.opportunity, number=first.number, title="Late",
        currency="PLN", priced_on=company["today"], valid_until=company["today"],
    )  # fmt: skip
    services._save_numbered(late, company["today"])
    assert Proposal.objects.get(pk=late.pk).number == "OF/2026/0002"
    assert Proposal.objects.get(pk=first.pk).title == first.title


def test_a_new_proposal_takes_the_opportunitys_title_and_30_days(company, catalogue):
    opportunity = factories.opportunity(company)
    made = services.proposal_create(actor=company["owner"], opportunity=opportunity)
    assert (made.title, made.currency, made.language) == (opportunity.title, "PLN", "pl")
    assert (made.priced_on, made.valid_until) == (
        company["today"],
        company["today"] + timedelta(days=30),
    )
    assert (made.status, made.created_by) == (Status.DRAFT, company["owner"])
    named = services.proposal_create(
        actor=company["owner"], opportunity=opportunity, title="Spring",
        valid_until=company["today"] + timedelta(days=3), language=Language.EN,
    )  # fmt: skip
    assert (named.title, named.valid_until, named.language) == (
        "Spring", company["today"] + timedelta(days=3), "en",
    )  # fmt: skip


def test_a_closed_opportunity_gets_no_proposal(company, catalogue):
    opportunity = factories.opportunity(company)
    opportunity.stage = Stage.objects.get(code="won")
    opportunity.save()
    with pytest.raises(ValidationError, match="closed"):
        services.proposal_create(actor=company["owner"], opportunity=opportunity)



def test_the_unit_cost_is_the_last_years_sales_in_the_currency(company, catalogue):
    flour = catalogue[0]
    on = company["today"]
    assert services.average_unit_cost(flour, "PLN", on) is None
    factories.sale(company["b"], flour, on, "2", "100.00")
    factories.sale(company["a"], flour, on - timedelta(days=364), "1", "10.00")
    factories.sale(company["b"], flour, on - timedelta(days=365), "5", "5000.00")  # a year ago: out
    factories.sale(company["b"], flour, on + timedelta(days=1), "5", "5000.00")  # later: out
    factories.sale(company["b"], flour, on, "-1", "-500.00")  # a return: out
    factories.sale(company["b"], flour, on, "7", "7000.00", currency="EUR")  # another currency
    assert services.average_unit_cost(flour, "PLN", on) == Decimal("36.6667")  # 110 / 3
    assert services.average_unit_cost(flour, "EUR", on) == Decimal("1000.0000")
    assert services.average_unit_cost(catalogue[1], "PLN", on) is None


def test_lines_take_the_next_position_and_the_totals_follow(company, catalogue):
    flour, sugar = catalogue
    proposal = factories.proposal(company, flour, discount="10", quantity="2")  # 180.00
    second = services.line_add(
        actor=company["owner"], proposal=proposal, product=sugar, quantity=Decimal(5)
    )  # 200.00
    assert [line.position for line in proposal.lines.all()] == [1, 2]
    assert (proposal.total, proposal.total_before_discount) == (
        Decimal("380.00"),
        Decimal("400.00"),
    )
    assert proposal.cost is None  # no sales: the costs are unknown
    first = proposal.lines.get(position=1)
    services.line_remove(actor=company["owner"], line=first)
    assert (proposal.total, proposal.total_before_discount) == (
        Decimal("200.00"),
        Decimal("200.00"),
    )
    third = services.line_add(
        actor=company["owner"], proposal=proposal, product=flour, quantity=Decimal(1)
    )
    assert (second.position, third.position) == (2, 3)


def test_a_refused_line_change_leaves_the_line_as_stored(company, catalogue):
    proposal = factories.proposal(company, catalogue[0], discount="5")
    line = proposal.lines.get()
    with pytest.raises(ValidationError):
        services.line_update(actor=company["owner"], line=line, discount_pct=Decimal("150"))
    assert line.discount_pct == Decimal("5.00")
    services.line_update(actor=company["owner"], line=line, quantity=Decimal(3))
    line.refresh_from_db()
    assert (line.quantity, line.discount_pct, line.net_total) == (
        Decimal("3"),
        Decimal("5.00"),
        Decimal("285.00"),
    )


def test_the_header_takes_only_its_fields_and_a_refused_edit_leaves_it_stored(company, catalogue):
    proposal = factories.proposal(company, catalogue[0])
    with pytest.raises(ValueError, match="not header fields"):
        services.proposal_update(actor=company["owner"], proposal=proposal, total=Decimal(1))
    with pytest.raises(ValidationError):
        services.proposal_update(
            actor=company["owner"], proposal=proposal, title="x" * 300, customer_note="New"
        )
    assert (proposal.title, proposal.customer_note) == ("Flour for the new line", "")
    services.proposal_update(
        actor=company["owner"], proposal=proposal, language=Language.EN, internal_note="Call"
    )
    proposal.refresh_from_db()
    assert (proposal.language, proposal.internal_note) == ("en", "Call")


def test_an_edit_under_approval_sends_it_back_and_lapses_the_open_requests(company, catalogue):
    proposal = factories.proposal(company, catalogue[0], discount="14")
    approval_flow.submit(actor=company["owner"], proposal=proposal)
    services.proposal_update(actor=company["owner"], proposal=proposal, customer_note="May")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.approved_at) == (Status.DRAFT, None)
    assert proposal.approvals.get().status == RequestStatus.CANCELLED


def test_the_next_version_keeps_a_later_validity_and_counts_from_the_latest(company, catalogue):
    proposal = factories.proposal(company, catalogue[0], discount="14")
    later = company["today"] + timedelta(days=90)
    services.proposal_update(
        actor=company["owner"], proposal=proposal, valid_until=later, customer_note="Hi",
        internal_note="Key",
    )  # fmt: skip
    approval_flow.submit(actor=company["owner"], proposal=proposal)
    second = services.proposal_revise(actor=company["deputy"], proposal=proposal)
    assert proposal.approvals.get().status == RequestStatus.CANCELLED
    assert (second.version, second.valid_until, second.created_by) == (
        2, later, company["deputy"],
    )  # fmt: skip
    assert (second.customer_note, second.internal_note, second.language) == ("Hi", "Key", "pl")
    assert (second.total, second.total_before_discount) == (Decimal("860.00"), Decimal("1000.00"))
    Proposal.objects.filter(pk=second.pk).update(valid_until=company["today"])
    second.refresh_from_db()
    third = services.proposal_revise(actor=None, proposal=second)
    assert (third.version, third.valid_until, third.created_by) == (
        3, company["today"] + timedelta(days=30), company["deputy"],
    )  # fmt: skip
    for done in (Proposal.objects.get(pk=proposal.pk), Proposal.objects.get(pk=second.pk)):
        assert done.status == Status.SUPERSEDED
        with pytest.raises(ValidationError, match="no next version"):
            services.proposal_revise(actor=company["owner"], proposal=done)


def test_an_accepted_proposal_has_no_next_version(company, catalogue):
    proposal = factories.proposal(company, catalogue[0])
    approval_flow.submit(actor=company["owner"], proposal=proposal)
    outcomes.send(actor=company["owner"], proposal=proposal)
    outcomes.accept(actor=company["owner"], proposal=proposal)
    with pytest.raises(ValidationError, match="accepted"):
        services.proposal_revise(actor=company["owner"], proposal=proposal)
