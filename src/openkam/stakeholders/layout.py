"""Shapes of the stakeholder map for the pages and the API: org chart and graph.

The org chart is the reports-to tree; the graph places people by that tree (managers
above their reports) so the picture reads like an org chart with the other links drawn
across it. Pure functions over a StakeholderMap; no queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from openkam.stakeholders.models import Attitude, Contact, LinkKind
from openkam.stakeholders.selectors import StakeholderMap

# Keyed by the choices' values (TextChoices members are those strings).
ATTITUDE_COLOURS: dict[str, str] = {
    Attitude.CHAMPION: "#1c7c4a",
    Attitude.SUPPORTER: "#6fbf73",
    Attitude.NEUTRAL: "#8a96a3",
    Attitude.SCEPTIC: "#f0a34a",
    Attitude.OPPONENT: "#c0392b",
    Attitude.UNKNOWN: "#d0d5db",
}
LINK_STYLES: dict[str, dict[str, str]] = {
    LinkKind.REPORTS_TO: {"colour": "#4a5561", "dash": "solid"},
    LinkKind.INFLUENCES: {"colour": "#2f6fdf", "dash": "dash"},
    LinkKind.ALLIED_WITH: {"colour": "#1c7c4a", "dash": "dot"},
    LinkKind.RIVAL_OF: {"colour": "#c0392b", "dash": "dashdot"},
}
DIRECTED = {LinkKind.REPORTS_TO, LinkKind.INFLUENCES}


@dataclass
class OrgNode:
    contact: Contact
    children: list[OrgNode] = field(default_factory=list)


def _managers(stake_map: StakeholderMap) -> dict[int, int]:
    """Each person's manager on the map (their first reports-to link)."""
    on_map = {c.pk for c in stake_map.contacts}
    managers: dict[int, int] = {}
    for link in stake_map.links:
        if (
            link.kind == LinkKind.REPORTS_TO
            and link.source_id in on_map
            and link.target_id in on_map
            and link.source_id not in managers
        ):
            managers[link.source_id] = link.target_id
    return managers


def org_chart(stake_map: StakeholderMap) -> list[OrgNode]:
    """The reports-to forest of the account's people; a cycle is broken where found."""
    people = {c.pk: c for c in stake_map.contacts}
    managers = _managers(stake_map)
    nodes = {pk: OrgNode(person) for pk, person in people.items()}
    roots: list[OrgNode] = []
    for pk in people:
        boss = managers.get(pk)
        if boss is None or _in_cycle(pk, managers):
            roots.append(nodes[pk])
        else:
            nodes[boss].children.append(nodes[pk])
    return roots


def _in_cycle(start: int, managers: dict[int, int]) -> bool:
    """The chain of managers above `start` comes back to it: treat it as a root."""
    seen = {start}
    current = managers.get(start)
    while current is not None:
        if current == start:
            return True
        if current in seen:
            return False  # a cycle above, not through `start`
        seen.add(current)
        current = managers.get(current)
    return False


def _positions(roots: list[OrgNode]) -> dict[int, tuple[float, float]]:
    """A tidy layout: leaves on consecutive columns, a manager centred over their reports."""
    places: dict[int, tuple[float, float]] = {}
    column = 0.0

    def place(node: OrgNode, depth: int) -> float:
        nonlocal column
        if node.contact.pk in places:
            return places[node.contact.pk][0]
        if not node.children:
            x = column
            column += 1
        else:
            xs = [place(child, depth + 1) for child in node.children]
            x = (min(xs) + max(xs)) / 2
        places[node.contact.pk] = (x, -float(depth))
        return x

    for root in roots:
        place(root, 0)
    return places


def graph_data(stake_map: StakeholderMap, *, today: date) -> dict:
    """Nodes (coloured by attitude, sized by influence) and edges (styled by kind) as JSON."""
    places = _positions(org_chart(stake_map))
    depth = min((y for _, y in places.values()), default=0.0)
    for index, person in enumerate(stake_map.outside):
        places[person.pk] = (float(index), depth - 1.5)
    nodes = [
        _node(person, places[person.pk], today=today, outside=False)
        for person in stake_map.contacts
    ] + [
        _node(person, places[person.pk], today=today, outside=True) for person in stake_map.outside
    ]
    edges = [
        {
            "source": link.source_id,
            "target": link.target_id,
            "kind": link.kind,
            "label": link.get_kind_display(),
            "directed": link.kind in DIRECTED,
            "colour": LINK_STYLES[link.kind]["colour"],
            "dash": LINK_STYLES[link.kind]["dash"],
        }
        for link in stake_map.links
    ]
    return {
        "nodes": nodes,
        "edges": edges,
        "attitudes": [
            {"value": value, "label": str(label), "colour": ATTITUDE_COLOURS[value]}
            for value, label in Attitude.choices
        ],
        "kinds": [
            {"value": value, "label": str(label), **LINK_STYLES[value]}
            for value, label in LinkKind.choices
        ],
    }


def _node(person: Contact, place: tuple[float, float], *, today: date, outside: bool) -> dict:
    last = getattr(person, "last_contact_on", None)
    left = person.left_on is not None and person.left_on <= today
    return {
        "id": person.pk,
        "name": str(person),
        "position": person.position,
        "account": person.account.name if outside else "",
        "x": place[0],
        "y": place[1],
        "role": person.get_buying_role_display() if person.buying_role else "",
        "influence": person.influence,
        "size": 14 + 6 * (person.influence or 1),
        "attitude": person.attitude,
        "attitude_label": person.get_attitude_display(),
        "colour": ATTITUDE_COLOURS[person.attitude],
        "last_contact": last.isoformat() if last else None,
        # People of other group accounts are drawn for their links only: no figures.
        "last_contact_label": "" if outside else (last.isoformat() if last else _("never")),
        "left": left,
        "outside": outside,
        "url": reverse("stakeholders:person", args=[person.pk]),
    }
