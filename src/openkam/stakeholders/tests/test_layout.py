"""Org chart and graph layout from the reports-to links, cycles included."""

from __future__ import annotations

from openkam.stakeholders import services
from openkam.stakeholders.layout import graph_data, org_chart
from openkam.stakeholders.selectors import stakeholder_map
from openkam.stakeholders.tests.factories import person


def _names(nodes) -> list:
    return [(str(n.contact), _names(n.children)) for n in nodes]


def _link(company, source, target, kind="reports_to"):
    services.contact_link_create(actor=company["head"], source=source, target=target, kind=kind)


def test_org_chart_nests_reports_and_keeps_loners_as_roots(company):
    a = company["a"]
    ceo, cfo, buyer, clerk, loner = (
        person(a, n) for n in ("Ceo", "Cfo", "Buyer", "Clerk", "Loner")
    )
    _link(company, cfo, ceo)
    _link(company, buyer, cfo)
    _link(company, clerk, cfo)
    _link(company, loner, ceo, kind="influences")  # not a reporting line
    chart = org_chart(stakeholder_map(user=company["owner"], account=a))
    assert _names(chart) == [
        ("Ceo", [("Cfo", [("Buyer", []), ("Clerk", [])])]),
        ("Loner", []),
    ]
    graph = graph_data(stakeholder_map(user=company["owner"], account=a), today=company["today"])
    at = {n["name"]: (n["x"], n["y"]) for n in graph["nodes"]}
    # Leaves side by side, each manager centred above their reports.
    assert at["Buyer"][1] == at["Clerk"][1] == -2.0
    assert at["Cfo"] == ((at["Buyer"][0] + at["Clerk"][0]) / 2, -1.0)
    assert at["Ceo"][0] == at["Cfo"][0] and at["Loner"][1] == 0.0
    assert len({x for x, _ in at.values()}) == 4  # nobody drawn on top of another


def test_a_reporting_cycle_is_broken_not_looped(company):
    a = company["a"]
    one, two, three = (person(a, n) for n in ("One", "Two", "Three"))
    _link(company, one, two)
    _link(company, two, three)
    _link(company, three, one)
    chart = org_chart(stakeholder_map(user=company["owner"], account=a))
    # Everyone in the cycle starts a chain of their own; every person appears.
    assert sorted(str(n.contact) for n in chart) == ["One", "Three", "Two"]
    graph = graph_data(stakeholder_map(user=company["owner"], account=a), today=company["today"])
    assert len(graph["nodes"]) == 3 and len(graph["edges"]) == 3
