"""What a reader may see of opportunities: lists, the pipeline by stage, and the weighted
pipeline per KAM and per team (always per currency)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Sum, Window
from django.db.models.functions import RowNumber

from openkam.opportunities.models import Opportunity, OpportunityQuerySet, Outcome, Stage
from openkam.users.models import Team, User
from openkam.users.permissions import AnyUser

CENT = Decimal("0.01")
WEIGHTED = ExpressionWrapper(
    F("value") * F("probability") / 100, output_field=DecimalField(max_digits=20, decimal_places=2)
)


@dataclass(frozen=True)
class PipelineFilter:
    owner: int | None = None
    team: int | None = None
    kind: str = ""
    currency: str = ""
    closes_by: date | None = None
    stage: int | None = None


def opportunities_for(user: AnyUser, flt: PipelineFilter | None = None) -> OpportunityQuerySet:
    rows = Opportunity.objects.visible_to(user).select_related("account", "stage", "owner")
    flt = flt or PipelineFilter()
    if flt.owner is not None:
        rows = rows.filter(owner_id=flt.owner)
    if flt.team is not None:
        rows = rows.filter(owner__team_id=flt.team)
    if flt.kind:
        rows = rows.filter(kind=flt.kind)
    if flt.currency:
        rows = rows.filter(currency=flt.currency)
    if flt.closes_by is not None:
        rows = rows.filter(expected_close__lte=flt.closes_by)
    if flt.stage is not None:
        rows = rows.filter(stage_id=flt.stage)
    return rows


@dataclass
class Column:
    stage: Stage
    cards: list[Opportunity] = field(default_factory=list)  # the first `limit` of them
    sums: list[dict] = field(default_factory=list)

    def totals(self) -> list[dict]:
        """Count, value and weighted value per currency, of every card of the stage (not
        only those shown)."""
        return sorted(self.sums, key=lambda row: row["currency"])

    @property
    def not_shown(self) -> int:
        """The stage's open opportunities past the cards shown (the list has them all)."""
        return sum(row["count"] for row in self.sums) - len(self.cards)


# A column of the board is read at a glance: the soonest to close; the rest are in the list.
CARDS_PER_COLUMN = 25


def board(
    user: AnyUser, flt: PipelineFilter | None = None, limit: int = CARDS_PER_COLUMN
) -> list[Column]:
    """The open stages in order, each with its first `limit` opportunities (closing
    soonest first) and its totals. Two statements whatever the pipeline's size: the cards
    ranked per stage in the database, the totals summed there."""
    columns = [
        Column(stage) for stage in Stage.objects.filter(is_active=True, outcome=Outcome.OPEN)
    ]
    by_stage = {column.stage.pk: column for column in columns}
    rows = opportunities_for(user, flt).open()
    place = Window(
        RowNumber(), partition_by=[F("stage_id")], order_by=[F("expected_close"), F("pk")]
    )
    ranked = rows.annotate(place=place).filter(place__lte=limit)
    for opportunity in ranked.order_by("expected_close", "pk"):
        column = by_stage.get(opportunity.stage_id)
        if column is not None:
            column.cards.append(opportunity)
    sums = (
        rows.order_by()
        .values("stage_id", "currency")
        .annotate(count=Count("pk"), total=Sum("value"), weighted_total=Sum(WEIGHTED))
    )
    for row in sums:
        column = by_stage.get(row["stage_id"])
        if column is not None:
            column.sums.append(
                {
                    "currency": row["currency"],
                    "count": row["count"],
                    "value": _money(row["total"]),
                    "weighted": _money(row["weighted_total"]),
                }
            )
    return columns


def weighted_by(user: AnyUser, group: str, flt: PipelineFilter | None = None) -> list[dict]:
    """Open pipeline per owner ("owner") or per team ("owner__team") and currency: count,
    value, weighted value, by name."""
    rows = list(
        opportunities_for(user, flt)
        .open()
        .order_by()
        .values(group, "currency")
        .annotate(count=Count("pk"), total=Sum("value"), weighted_total=Sum(WEIGHTED))
    )
    names = _names(group, {row[group] for row in rows if row[group] is not None})
    found = [
        {
            "key": row[group],
            "name": names.get(row[group], ""),
            "currency": row["currency"],
            "count": row["count"],
            "value": _money(row["total"]),
            "weighted": _money(row["weighted_total"]),
        }  # fmt: skip
        for row in rows
    ]
    return sorted(found, key=lambda row: (row["name"] == "", row["name"], row["currency"]))


def _names(group: str, keys: set[int]) -> dict[int, str]:
    """People by their full name (else login), teams by name."""
    if group == "owner__team":
        return dict(Team.objects.filter(pk__in=keys).values_list("pk", "name"))
    return {
        person.pk: person.get_full_name() or person.username
        for person in User.objects.filter(pk__in=keys)
    }


def _money(value: object) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT)
