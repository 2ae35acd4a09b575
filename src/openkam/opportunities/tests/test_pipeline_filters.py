"""The pipeline a reader filters: by owner, team, kind, currency and closing day (that day
included); a board column shows its first cards, closing soonest first, but totals all of
them; the weighted pipeline per team, and per person by name (else login), the unowned
last."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from openkam.opportunities import selectors, services
from openkam.opportunities.models import Stage
from openkam.opportunities.selectors import PipelineFilter
from openkam.users.models import Team


def _deal(company, title, value="1000", currency="PLN", days=10, **fields):
    return services.opportunity_create(
        actor=None, account=fields.pop("account", company["a"]), title=title,
        value=Decimal(value), currency=currency,
        expected_close=company["today"] + timedelta(days=days), **fields,
    )  # fmt: skip


def _titles(user, flt=None):
    return sorted(deal.title for deal in selectors.opportunities_for(user, flt))


def test_each_filter_narrows_the_pipeline(company):
    team = Team.objects.create(name="North")
    company["senior"].team = team
    company["senior"].save()
    _deal(company, "Owner's", kind="renewal", days=5)
    _deal(company, "Senior's", owner=company["senior"], currency="EUR", days=6)
    _deal(company, "Other's", account=company["b"], days=30)
    head = company["head"]
    assert _titles(head) == ["Other's", "Owner's", "Senior's"]
    assert _titles(head, PipelineFilter(owner=company["owner"].pk)) == ["Owner's"]
    assert _titles(head, PipelineFilter(team=team.pk)) == ["Senior's"]
    assert _titles(head, PipelineFilter(kind="renewal")) == ["Owner's"]
    assert _titles(head, PipelineFilter(currency="EUR")) == ["Senior's"]
    closes_by = company["today"] + timedelta(days=6)
    assert _titles(head, PipelineFilter(closes_by=closes_by)) == ["Owner's", "Senior's"]
    assert _titles(head, PipelineFilter(closes_by=closes_by - timedelta(days=1))) == ["Owner's"]
    assert _titles(company["owner"]) == ["Owner's", "Senior's"]  # not B's


def test_a_column_shows_its_first_cards_and_totals_them_all(company):
    _deal(company, "Late", "3000", days=30)
    _deal(company, "Soon", "1000", days=3)
    _deal(company, "Middle", "2000", days=10)
    _deal(company, "Also soon", "500", "EUR", days=3)
    columns = selectors.board(company["head"], limit=2)
    first = columns[0]
    assert [card.title for card in first.cards] == ["Soon", "Also soon"]
    assert first.totals() == [
        {"currency": "EUR", "count": 1, "value": Decimal("500.00"), "weighted": Decimal("50.00")},
        {"currency": "PLN", "count": 3, "value": Decimal("6000.00"),
         "weighted": Decimal("600.00")},
    ]  # fmt: skip
    assert [card.title for card in selectors.board(company["head"])[0].cards] == [
        "Soon", "Also soon", "Middle", "Late",
    ]  # fmt: skip
    assert all(not column.cards and not column.totals() for column in columns[1:])


def test_a_stage_out_of_use_has_no_column(company):
    _deal(company, "Soon")
    Stage.objects.filter(code="develop").update(is_active=False)
    codes = [column.stage.code for column in selectors.board(company["head"])]
    assert codes == ["qualify", "propose", "negotiate"]


def test_the_weighted_pipeline_per_team_and_per_named_person(company):
    north, south = Team.objects.create(name="North"), Team.objects.create(name="South")
    company["owner"].team = south
    company["owner"].save()
    company["other_kam"].team = north
    company["other_kam"].first_name = ""
    company["other_kam"].save()
    _deal(company, "A", "1000")
    _deal(company, "B", "2000", account=company["b"])
    _deal(company, "Nobody's", "4000", account=company["c"])  # C has no owner
    _deal(company, "Senior's", "500", owner=company["senior"])
    teams = selectors.weighted_by(company["head"], "owner__team")
    assert [(row["name"], row["count"], row["value"], row["weighted"]) for row in teams] == [
        ("North", 1, Decimal("2000.00"), Decimal("200.00")),
        ("South", 1, Decimal("1000.00"), Decimal("100.00")),
        ("", 2, Decimal("4500.00"), Decimal("450.00")),  # the senior's (no team), nobody's
    ]
    people = selectors.weighted_by(company["head"], "owner")
    assert [(row["key"], row["name"]) for row in people] == [
        (company["owner"].pk, "Owner"),
        (company["senior"].pk, "Senior"),
        (company["other_kam"].pk, "other"),  # no name: the login
        (None, ""),
    ]


def test_the_weighted_pipeline_holds_only_what_the_filter_keeps(company):
    _deal(company, "Zloty", "1000")
    _deal(company, "Euro", "500", "EUR")
    rows = selectors.weighted_by(company["head"], "owner", PipelineFilter(currency="EUR"))
    assert [(row["currency"], row["count"], row["value"]) for row in rows] == [
        ("EUR", 1, Decimal("500.00"))
    ]
