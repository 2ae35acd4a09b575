"""JSON API for returns and refusals: the same figures as the pages, under the same
visibility. Query parameters as on the pages: `from`, `to` (YYYY-MM), `line`, `account`,
`currency`; a hidden or missing account answers 404."""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from openkam.accounts import access
from openkam.accounts.models import Account
from openkam.core import bounds
from openkam.core.schemas import ErrorOut, Money
from openkam.returns import refusals, selectors
from openkam.returns.filters import ReturnsFilter, Span, parse
from openkam.returns.refusals import RefusalFilter
from openkam.users import permissions

router = Router(tags=["returns"])
MONTH = r"^\d{4}-\d{2}$"
NOT_FOUND = {404: ErrorOut, 422: ErrorOut}
Rate = Decimal | None


class ReturnsQuery(Schema):
    from_month: str | None = Field(None, alias="from", pattern=MONTH, description="YYYY-MM")
    to_month: str | None = Field(None, alias="to", pattern=MONTH, description="YYYY-MM")
    line: str = Field("", max_length=100, description="A product line")
    account: bounds.Id | None = None
    currency: str = Field("", pattern=r"^([A-Za-z]{3})?$")


class ReturnsAccountsQuery(ReturnsQuery):
    scope: str = Field("account", pattern="^(account|group)$")


class ReturnsRefusalsQuery(ReturnsQuery):
    source: str = Field("", max_length=40, description="A source's kind, e.g. opportunity")


class ReturnsFiguresOut(Schema):
    currency: str
    sales: Money = Field(description="Gross sales: the positive lines")
    returned: Money = Field(description="Returned value: the negative lines, made positive")
    count: int = Field(description="Return lines")
    rate: Rate = Field(description="Returned value / gross sales, in percent")


class ReturnsSummaryOut(Schema):
    period_start: date
    period_end: date
    figures: list[ReturnsFiguresOut]
    comparison: list[ReturnsFiguresOut]
    comparison_label: str = Field(description='"company" or "your accounts"')


class ReturnsReasonOut(Schema):
    reason: str
    label: str
    currency: str
    returned: Money
    count: int
    share: Rate


class ReturnsLineOut(Schema):
    product_line: str
    figures: ReturnsFiguresOut


class ReturnsAccountOut(Schema):
    account_id: int
    name: str
    is_group: bool
    figures: ReturnsFiguresOut
    comparison_rate: Rate
    excess: Money


class ReturnsMonthOut(Schema):
    month: date
    figures: ReturnsFiguresOut


class ReturnsAccountViewOut(Schema):
    period_start: date
    period_end: date
    account: list[ReturnsFiguresOut]
    group: list[ReturnsFiguresOut]
    comparison: list[ReturnsFiguresOut]
    comparison_label: str
    reasons: list[ReturnsReasonOut]


class ReturnsRefusalOut(Schema):
    source: str
    account_id: int
    day: date
    reason: str
    reason_label: str
    competitor: str | None
    value: Money
    currency: str
    url: str
    title: str


class ReturnsRefusalTallyOut(Schema):
    key: str
    label: str
    currency: str
    count: int
    value: Money
    share: Rate


class ReturnsRefusalsSummaryOut(Schema):
    period_start: date
    period_end: date
    totals: list[ReturnsRefusalTallyOut]
    by_reason: list[ReturnsRefusalTallyOut]
    by_competitor: list[ReturnsRefusalTallyOut]
    monthly: list[ReturnsRefusalTallyOut]


def _filter(request, query: ReturnsQuery, through_today: bool = False) -> ReturnsFilter:
    raw = {
        "from": query.from_month or "", "to": query.to_month or "", "line": query.line,
        "account": str(query.account or ""), "currency": query.currency,
    }  # fmt: skip
    flt, errors = parse(raw, permissions.today(), through_today=through_today)
    if errors:
        raise HttpError(422, " ".join(errors))
    if flt.account_id is not None:
        access.visible_or_404(Account, request.auth, pk=flt.account_id)
    return flt


def _period(span: Span) -> dict:
    return {"period_start": span.start, "period_end": span.last_day}


@router.get("/summary", response={200: ReturnsSummaryOut, **NOT_FOUND}, url_name="returns_summary")
def summary(request, query: Query[ReturnsQuery]):
    """Gross sales, returned value, return lines and rate per currency, and the same over
    every account the reader sees (the comparison)."""
    flt = _filter(request, query)
    return {
        **_period(flt.span),
        "figures": selectors.summary(request.auth, flt),
        "comparison": list(selectors.comparison(request.auth, flt).values()),
        "comparison_label": selectors.comparison_label(request.auth),
    }


@router.get(
    "/by-reason", response={200: list[ReturnsReasonOut], **NOT_FOUND}, url_name="returns_by_reason"
)
def by_reason(request, query: Query[ReturnsQuery]):
    return selectors.by_reason(request.auth, _filter(request, query))


@router.get(
    "/by-product-line", response={200: list[ReturnsLineOut], **NOT_FOUND},
    url_name="returns_by_product_line",
)  # fmt: skip
def by_product_line(request, query: Query[ReturnsQuery]):
    return selectors.by_product_line(request.auth, _filter(request, query))


@router.get(
    "/by-account", response={200: list[ReturnsAccountOut], **NOT_FOUND},
    url_name="returns_by_account",
)  # fmt: skip
def by_account(request, query: Query[ReturnsAccountsQuery]):
    """Accounts (or groups, `scope=group`) with returns, the worst rate first."""
    flt = _filter(request, query)
    return selectors.by_account(request.auth, flt, groups=query.scope == "group")


@router.get(
    "/monthly", response={200: list[ReturnsMonthOut], **NOT_FOUND}, url_name="returns_monthly"
)
def monthly(request, query: Query[ReturnsQuery]):
    return selectors.monthly(request.auth, _filter(request, query))


@router.get(
    "/accounts/{id:account_id}", response={200: ReturnsAccountViewOut, **NOT_FOUND},
    url_name="returns_account",
)  # fmt: skip
def account_returns(request, account_id: int):
    """One account's last 12 months: its rate (and its group's) against the comparison,
    and its top reasons."""
    account = access.visible_or_404(Account, request.auth, pk=account_id)
    view = selectors.account_view(request.auth, account, Span.trailing(permissions.today()))
    return {
        **_period(view.span), "account": view.account, "group": view.group,
        "comparison": list(view.comparison.values()), "comparison_label": view.comparison_label,
        "reasons": view.reasons,
    }  # fmt: skip


def _refusal_filter(request, query: ReturnsRefusalsQuery) -> RefusalFilter:
    flt = _filter(request, query, through_today=True)
    if query.source and query.source not in {s.kind for s in refusals.sources()}:
        raise HttpError(
            422, _("No source of refusals is called %(kind)s.") % {"kind": query.source}
        )
    return RefusalFilter(flt.span, flt.account_id, flt.currency, query.source)


@router.get(
    "/refusals", response={200: list[ReturnsRefusalOut], **NOT_FOUND}, url_name="returns_refusals"
)
def refusal_list(request, query: Query[ReturnsRefusalsQuery]):
    """Every refusal row, newest first (a record lost to two competitors gives two rows)."""
    return refusals.refusal_rows(request.auth, _refusal_filter(request, query))


@router.get(
    "/refusals/summary", response={200: ReturnsRefusalsSummaryOut, **NOT_FOUND},
    url_name="returns_refusals_summary",
)  # fmt: skip
def refusal_summary(request, query: Query[ReturnsRefusalsQuery]):
    """Count and value per currency, by reason, by competitor and by month."""
    flt = _refusal_filter(request, query)
    rows = refusals.refusal_rows(request.auth, flt)
    return {
        **_period(flt.span), "totals": refusals.totals(rows),
        "by_reason": refusals.by_reason(rows), "by_competitor": refusals.by_competitor(rows),
        "monthly": refusals.monthly(rows, flt.span),
    }  # fmt: skip
