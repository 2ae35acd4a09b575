"""Refusals: why we lose, from every place a customer said no.

Each source turns its own records into `RefusalRow`s; the analysis below (by reason, by
competitor, by month, per currency) reads only rows, so a new kind of refusal is one
function and one line.

Adding a source
---------------
Write a function of (user, span) returning an iterable of `RefusalRow`, reading through
the visibility rule (`Model.objects.visible_to(user)` or the owning app's selector), and
register it once::

    def rejected_proposals(user: AnyUser, span: Span) -> Iterable[RefusalRow]:
        for proposal in Proposal.objects.visible_to(user).filter(
            status="rejected", decided_on__gte=span.start, decided_on__lt=span.end
        ):
            yield RefusalRow(
                source="proposal", key=f"proposal:{proposal.pk}",
                account_id=proposal.account_id, day=proposal.decided_on,
                reason=proposal.reason, reason_label=proposal.get_reason_display(),
                competitor=None, value=proposal.value, currency=proposal.currency,
                url=reverse("proposals:detail", args=[proposal.pk]), title=proposal.title,
            )

    register_source("proposal", _("Rejected proposals"), rejected_proposals)

A source in an app at or below this one's layer is registered at the bottom of this
module; a source in an app above it calls `register_source` from its
`AppConfig.ready()`. Rules for a source:

- one row per refused record, or one per (record, competitor) when several competitors
  won it: the rows share `key`, which the figures by reason and by month count once and
  the figures by competitor count per competitor;
- `day` is when the refusal happened, inside the span (start inclusive, end exclusive);
- `reason` is a short code; use the opportunities' `LostReason` codes ("price",
  "competitor", ...) where they mean the same, so reasons add up across sources;
- values keep their currency: nothing here adds two currencies.

Whatever a source returns, `refusal_rows` keeps only the rows of accounts the reader
sees, so a slip in a source cannot show a hidden account.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openkam.accounts.models import Account
from openkam.ledger.periods import first_of_month, month_index
from openkam.opportunities.models import LostReason, Outcome
from openkam.opportunities.selectors import opportunities_for
from openkam.returns.filters import Span
from openkam.returns.selectors import rate_of
from openkam.users import permissions
from openkam.users.permissions import AnyUser


@dataclass(frozen=True)
class RefusalRow:
    source: str  # the registered source's kind
    key: str  # the refused record ("opportunity:12"), shared by its rows per competitor
    account_id: int
    day: date
    reason: str  # a code ("" when none was given)
    reason_label: str
    competitor: str | None
    value: Decimal
    currency: str
    url: str
    title: str


SourceRows = Callable[[AnyUser, Span], Iterable[RefusalRow]]


@dataclass(frozen=True)
class Source:
    kind: str
    label: str | Promise
    rows: SourceRows


_sources: dict[str, Source] = {}


def register_source(kind: str, label: str | Promise, rows: SourceRows) -> None:
    """Add (or replace) the source of one kind of refusal."""
    _sources[kind] = Source(kind, label, rows)


def sources() -> list[Source]:
    return list(_sources.values())


def source_label(kind: str) -> str:
    source = _sources.get(kind)
    return str(source.label) if source else kind


@dataclass(frozen=True)
class RefusalFilter:
    span: Span
    account_id: int | None = None
    currency: str = ""
    source: str = ""


def refusal_rows(user: AnyUser, flt: RefusalFilter) -> list[RefusalRow]:
    """Every source's rows in the span, of visible accounts only, newest first."""
    chosen = [s for s in _sources.values() if not flt.source or s.kind == flt.source]
    rows = [row for source in chosen for row in source.rows(user, flt.span)]
    if not permissions.sees_all_accounts(user):
        seen = set(Account.objects.visible_to(user).values_list("pk", flat=True))
        rows = [row for row in rows if row.account_id in seen]
    if flt.account_id is not None:
        rows = [row for row in rows if row.account_id == flt.account_id]
    if flt.currency:
        rows = [row for row in rows if row.currency == flt.currency]
    return sorted(rows, key=lambda row: (row.day, row.key, row.competitor or ""), reverse=True)


def _once(rows: Iterable[RefusalRow]) -> list[RefusalRow]:
    """One row per refused record (the first of its rows per competitor)."""
    seen: dict[str, RefusalRow] = {}
    for row in rows:
        seen.setdefault(row.key, row)
    return list(seen.values())


@dataclass(frozen=True)
class Tally:
    key: str  # a reason code, a competitor's name ("" for none) or a month's ISO date
    label: str
    currency: str
    count: int
    value: Decimal
    share: Decimal | None  # percent of the currency's refused value


def _tally(pairs: Iterable[tuple[str, str, RefusalRow]]) -> list[Tally]:
    cells: dict[tuple[str, str], list] = defaultdict(lambda: ["", 0, Decimal(0)])
    for key, label, row in pairs:
        cell = cells[(key, row.currency)]
        cell[0] = cell[0] or label
        cell[1] += 1
        cell[2] += row.value
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for (_key, currency), cell in cells.items():
        totals[currency] += cell[2]
    found = [
        Tally(key, label, currency, count, value, rate_of(value, totals[currency]))
        for (key, currency), (label, count, value) in cells.items()
    ]
    return sorted(found, key=lambda row: (row.currency, -row.value, -row.count, row.label))


def by_reason(rows: list[RefusalRow]) -> list[Tally]:
    return _tally((row.reason, row.reason_label, row) for row in _once(rows))


def no_competitor() -> str:
    return _("no competitor named")


def by_competitor(rows: list[RefusalRow]) -> list[Tally]:
    """Each competitor counts every record it won; a record naming none counts once."""
    return _tally((row.competitor or "", row.competitor or no_competitor(), row) for row in rows)


def monthly(rows: list[RefusalRow], span: Span) -> list[Tally]:
    """Count and value per month of the span and currency, zeros included."""
    found = {
        (tally.key, tally.currency): tally
        for tally in _tally(
            (first_of_month(month_index(row.day)).isoformat(), "", row) for row in _once(rows)
        )
    }
    currencies = sorted({currency for _key, currency in found})
    return [
        found.get((month.isoformat(), currency))
        or Tally(month.isoformat(), "", currency, 0, Decimal(0), None)
        for currency in currencies
        for month in span.months
    ]


def totals(rows: list[RefusalRow]) -> list[Tally]:
    """Count and value per currency."""
    return _tally((row.currency, row.currency, row) for row in _once(rows))


# --- the sources ---------------------------------------------------------------------------


def lost_opportunities(user: AnyUser, span: Span) -> Iterable[RefusalRow]:
    """Opportunities closed as lost in the span: one row per competitor named on them."""
    lost = (
        opportunities_for(user)
        .filter(stage__outcome=Outcome.LOST, closed_on__gte=span.start, closed_on__lt=span.end)
        .prefetch_related("competitors")
        .order_by("closed_on", "pk")
    )
    labels = dict(LostReason.choices)
    for opportunity in lost:
        if opportunity.closed_on is None:  # never, by the filter above; for the types
            continue
        names: list[str | None] = [*sorted(rival.name for rival in opportunity.competitors.all())]
        for name in names or [None]:
            yield RefusalRow(
                source="opportunity", key=f"opportunity:{opportunity.pk}",
                account_id=opportunity.account_id, day=opportunity.closed_on,
                reason=opportunity.lost_reason,
                reason_label=str(labels.get(opportunity.lost_reason, "")) or no_reason(),
                competitor=name, value=opportunity.value, currency=opportunity.currency,
                url=reverse("opportunities:detail", args=[opportunity.pk]),
                title=opportunity.title,
            )  # fmt: skip


def no_reason() -> str:
    return _("no reason given")


register_source("opportunity", gettext_lazy("Lost opportunities"), lost_opportunities)
