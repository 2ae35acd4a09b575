"""How objective figures read: money, percent or a count, by metric."""

from __future__ import annotations

from decimal import Decimal

from django import template

from openkam.core.templatetags.openkam_format import money, percent, quantity
from openkam.plans.models import ObjectiveMetric

register = template.Library()

M = ObjectiveMetric
MONEY = {M.REVENUE, M.MARGIN, M.PRODUCT_LINE_REVENUE}
PERCENT = {M.MARGIN_PCT, M.SHARE_OF_WALLET}
COUNTS = {M.PRODUCT_LINES, M.MEETINGS}


def format_figure(value, metric: str, currency: str = "") -> str:
    if value is None or value == "":
        return "—"
    if metric in MONEY:
        return money(value, currency)
    if metric in PERCENT:
        return percent(Decimal(str(value)) / 100, 1)
    if metric in COUNTS:
        return quantity(value)
    return quantity(value)


@register.simple_tag
def figure(value, objective) -> str:
    """{% figure progress.current row.objective %}"""
    return format_figure(value, objective.metric, objective.plan.account.currency)
