"""Why a review proposes what it does: stored as facts, told in the reader's language.

A review is read by heads in Polish, Russian or English, months after it was run. The
proposal keeps the facts (rank, score, capacity, growth, strongest criteria) and the
sentence is written when it is shown, so each reader gets it in their language and with
their number format.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypedDict

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from openkam.portfolio.models import Criterion, ReviewItem, ScoreSnapshot

STRONGEST = 2  # criteria named as the strongest reasons of a promotion


class ReasonFacts(TypedDict):
    kind: str  # a ReviewItem.Change, or "strategic"
    rank: int
    score: str  # Decimal as text
    capacity: int
    growth_pct: int | None  # revenue change year on year, whole percent; None if unknown
    top: list[tuple[str, float]]  # (criterion, points), strongest first


def reason_facts(
    change: str,
    snapshot: ScoreSnapshot,
    capacity: int,
    growth: float | None,
    strategic: bool = False,
) -> ReasonFacts:
    parts = sorted(snapshot.parts, key=lambda p: p["contribution"], reverse=True)[:STRONGEST]
    return {
        "kind": "strategic" if strategic else change,
        "rank": snapshot.rank,
        "score": str(snapshot.total),
        "capacity": capacity,
        "growth_pct": None if growth is None else round(growth * 100),
        "top": [(p["criterion"], float(p["points"])) for p in parts],
    }


def _criterion_label(key: str) -> str:
    return str(Criterion(key).label) if key in Criterion.values else key.replace("_", " ")


def _strongest(facts: dict[str, Any]) -> str:
    return ", ".join(
        _("%(criterion)s %(points)s pts")
        % {"criterion": _criterion_label(key), "points": number_format(points, 1)}
        for key, points in facts.get("top", [])
    )


def reason_text(facts: dict[str, Any]) -> str:
    """The sentence of a proposal, in the active language."""
    rank_and_score = _("rank %(rank)s, score %(score)s") % {
        "rank": facts["rank"],
        "score": number_format(Decimal(facts["score"]), 2),
    }
    kind = facts["kind"]
    if kind == "strategic":
        return _("Strategic account, kept whatever the score: %(facts)s") % {
            "facts": rank_and_score
        }
    if kind == ReviewItem.Change.PROMOTE:
        return _("Within capacity (%(capacity)d): %(facts)s; strongest: %(top)s") % {
            "capacity": facts["capacity"],
            "facts": rank_and_score,
            "top": _strongest(facts),
        }
    if kind == ReviewItem.Change.DEMOTE:
        trend = ""
        growth = facts.get("growth_pct")
        if growth is not None and growth < 0:  # a fall that rounds to 0% says nothing
            trend = _("; revenue %(growth)s%% year on year") % {"growth": number_format(growth)}
        return _("Below capacity (%(capacity)d) and the keep margin: %(facts)s%(trend)s") % {
            "capacity": facts["capacity"],
            "facts": rank_and_score,
            "trend": trend,
        }
    return _("Still within capacity: %(facts)s") % {"facts": rank_and_score}
