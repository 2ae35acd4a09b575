"""Formatting and the score breakdown for portfolio pages and the account page."""

from __future__ import annotations

from datetime import timedelta

from django import template
from django.http import QueryDict
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from openkam.core.templatetags.openkam_format import compact_money, percent

register = template.Library()

RFM_LABELS = {
    "champions": _("Champions: recent and frequent"),
    "loyal": _("Loyal: regular buyers"),
    "new": _("New or occasional, recent"),
    "at_risk": _("At risk: used to buy often"),
    "lapsing": _("Lapsing: rare and long ago"),
    "middle": _("Middle"),
}


# The portfolio pages' names for core's filters: shares as percentages ("78.3%", the
# language's way) and big sums that fit a tile ("161.2M PLN").
register.filter("pct", percent)
register.filter("compact", compact_money)


@register.filter
def heat(share) -> str:
    """A cell's share of value as 0..1 for its background (square root: small cells show)."""
    return f"{min(1.0, max(0.0, float(share or 0))) ** 0.5:.3f}"


@register.filter
def years(days) -> str:
    return number_format((days or 0) / 365.25, decimal_pos=1)


@register.filter
def rfm_label(name: str) -> str:
    return str(RFM_LABELS.get(name, name))


DEFAULTS = {"scope": "group", "basis": "revenue", "sort": "-revenue"}


@register.simple_tag
def filter_query(filters, **overrides) -> str:
    """The query string of the portfolio filters, with some values changed ("" drops one)."""
    values = {
        "scope": filters.scope,
        "basis": filters.basis,
        "abc": filters.abc,
        "xyz": filters.xyz,
        "model": filters.model_id or "",
        "sort": filters.sort,
        "group": filters.group or "",
    }
    values.update(overrides)
    query = QueryDict(mutable=True)
    for key, value in values.items():
        if value not in ("", None) and DEFAULTS.get(key) != value:
            query[key] = value
    return query.urlencode()


@register.inclusion_tag("portfolio/_sort_header.html")
def sort_header(filters, key: str, label: str, css: str = "") -> dict:
    current = filters.sort
    # Figures read best largest first, so the first click sorts descending (names ascending).
    first = key if key == "name" else f"-{key}"
    target = (key if current == f"-{key}" else f"-{key}") if current.lstrip("-") == key else first
    return {
        "label": label,
        "css": css,
        "query": filter_query(filters, sort=target),
        "direction": (
            "descending" if current == f"-{key}" else "ascending" if current == key else ""
        ),
    }


@register.filter
def part_value(part, currency: str = "") -> str:
    """A criterion's raw value the way its metric reads."""
    value = part.value
    if value is None:
        return "—"
    if part.source == "people":
        return str(_("%(points)s points entered") % {"points": number_format(value, decimal_pos=0)})
    if part.is_money:
        text = number_format(value, decimal_pos=0, force_grouping=True)
        return f"{text}\u00a0{currency}" if currency else text
    if part.is_share:
        return percent(value)
    if part.metric == "relationship_years":
        return str(_("%(n)s years") % {"n": number_format(value, decimal_pos=1)})
    if part.metric == "days_late":
        return str(_("%(n)s days late") % {"n": number_format(value, decimal_pos=1)})
    return number_format(value, decimal_pos=0, force_grouping=True)


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key, [])


@register.filter
def with_shares(criteria):
    """Criteria with `share`: the weight normalised so the model's weights sum to 1."""
    rows = list(criteria)
    total = sum(float(c.weight) for c in rows)
    for c in rows:
        c.share = float(c.weight) / total if total else 0.0
    return rows


@register.filter
def percent_width(share) -> str:
    return f"{float(share or 0) * 100:.1f}"


@register.filter
def last_day(period_end):
    """The period's last day. Periods are whole months, so an end stored as the first of
    a month is the exclusive bound and the day before is the last day counted."""
    if period_end is None:
        return None
    return period_end - timedelta(days=1) if period_end.day == 1 else period_end


@register.filter
def equivalent_customers(index) -> str:
    """1 / Herfindahl: how many equal-sized customers would give the same concentration."""
    return number_format(1 / float(index), decimal_pos=0, force_grouping=True) if index else "—"


@register.filter
def row_count(cells) -> int:
    return sum(cell.count for cell in cells)
