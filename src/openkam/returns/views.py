"""The returns analysis at /returns/ and the refusals at /returns/refusals/, each with its
XLSX (`?format=xlsx`). Both read through the visibility rule: a hidden account named in
`?account=` answers 404, as a missing one does."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from openkam.accounts import access
from openkam.accounts.models import Account
from openkam.ledger.models import Product
from openkam.returns import exports, refusals, selectors
from openkam.returns.account_panels import panel_rows
from openkam.returns.filters import ReturnsFilter, parse
from openkam.returns.refusals import RefusalFilter
from openkam.users import permissions

TOP = 10
WORST = 20
LISTED = 200


def _filter(
    request, through_today: bool = False
) -> tuple[ReturnsFilter, list[str], Account | None]:
    flt, errors = parse(request.GET, permissions.today(), through_today=through_today)
    account = None
    if flt.account_id is not None:
        account = access.visible_or_404(Account, request.user, pk=flt.account_id)
    return flt, errors, account


def _choices(request) -> dict:
    accounts = Account.objects.visible_to(request.user).filter(is_archived=False)
    lines = (
        Product.objects.exclude(product_line="").order_by("product_line")
        .values_list("product_line", flat=True).distinct()
    )  # fmt: skip
    return {
        "account_choices": accounts.order_by("name").values_list("pk", "name"),
        "line_choices": list(lines),
    }


def _chart_currency(flt: ReturnsFilter, totals: list) -> str:
    """The chart's one currency: the filter's, else the one with the most rows."""
    if flt.currency or not totals:
        return flt.currency
    return max(totals, key=lambda figures: (figures.sales, figures.currency)).currency


@login_required
def returns_page(request):
    flt, errors, account = _filter(request)
    if request.GET.get("format") == "xlsx":
        return exports.returns_xlsx(request.user, flt)
    summary = selectors.summary(request.user, flt)
    chart_currency = _chart_currency(flt, summary)
    months = [row for row in selectors.monthly(request.user, flt)
              if row.figures.currency == chart_currency]  # fmt: skip
    context = {
        "nav": "pipeline",
        "tab": "returns",
        "flt": flt,
        "errors": errors,
        "account": account,
        "summary": summary,
        "comparison": selectors.comparison(request.user, flt),
        "comparison_label": selectors.comparison_label(request.user),
        "reasons": _top(selectors.by_reason(request.user, flt), TOP),
        "lines": _top(selectors.by_product_line(request.user, flt), TOP),
        "worst": selectors.by_account(
            request.user, flt, groups=request.GET.get("scope") == "group"
        )[:WORST],
        "scope": "group" if request.GET.get("scope") == "group" else "account",
        "chart_currency": chart_currency,
        "chart": [
            {
                "month": row.month.strftime("%Y-%m"),
                "returned": str(row.figures.returned),
                "rate": str(row.figures.rate) if row.figures.rate is not None else None,
            }
            for row in months
        ],  # fmt: skip
        "query": request.GET.urlencode(),
        **_choices(request),
    }
    return render(request, "returns/returns.html", context)


def _top(rows: list, count: int) -> list:
    """The first `count` rows of each currency (rows come sorted by currency)."""
    kept: dict[str, int] = {}
    found = []
    for row in rows:
        currency = row.currency if hasattr(row, "currency") else row.figures.currency
        kept[currency] = kept.get(currency, 0) + 1
        if kept[currency] <= count:
            found.append(row)
    return found


@login_required
def refusals_page(request):
    base, errors, account = _filter(request, through_today=True)
    source = request.GET.get("source") or ""
    if source not in {s.kind for s in refusals.sources()}:
        source = ""
    flt = RefusalFilter(base.span, base.account_id, base.currency, source)
    rows = refusals.refusal_rows(request.user, flt)
    ids = {row.account_id for row in rows}
    names = dict(Account.objects.visible_to(request.user).filter(pk__in=ids)
                 .values_list("pk", "name"))  # fmt: skip
    if request.GET.get("format") == "xlsx":
        return exports.refusals_xlsx(rows, flt.span, names)
    totals = refusals.totals(rows)
    chart_currency = flt.currency or (max(totals, key=lambda t: t.count).currency if totals else "")
    context = {
        "nav": "pipeline",
        "tab": "refusals",
        "flt": base,
        "source": source,
        "sources": refusals.sources(),
        "sources_labels": {s.kind: s.label for s in refusals.sources()},
        "errors": errors,
        "account": account,
        "totals": totals,
        "reasons": refusals.by_reason(rows),
        "competitors": refusals.by_competitor(rows),
        "rows": [(row, names.get(row.account_id, "")) for row in rows[:LISTED]],
        "listed": LISTED,
        "count": len(rows),
        "chart_currency": chart_currency,
        "chart": [
            {"month": t.key[:7], "count": t.count, "value": str(t.value)}
            for t in refusals.monthly(rows, flt.span)
            if t.currency == chart_currency
        ],  # fmt: skip
        "query": request.GET.urlencode(),
        **_choices(request),
    }
    return render(request, "returns/refusals.html", context)


@login_required
def account_panel(request, pk: int):
    """The rows of the account page's returns section (loaded after the page)."""
    account = access.visible_or_404(Account, request.user, pk=pk)
    context = {"account": account, **panel_rows(request.user, account)}
    return render(request, "returns/_account_panel_rows.html", context)
