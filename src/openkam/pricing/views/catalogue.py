"""The company's price lists, one list's prices by tier, and the discount rules: read by
everyone signed in, changed in the back office by heads and administrators."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import render

from openkam.core import bounds
from openkam.pricing import selectors
from openkam.pricing.services import may_edit_pricing
from openkam.users import permissions

PER_PAGE = 50


def is_partial(request) -> bool:
    htmx = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not htmx.history_restore_request and not htmx.boosted


def _query(**params: str) -> str:
    query = QueryDict(mutable=True)
    for name, value in params.items():
        if value:
            query[name] = value
    return query.urlencode()


def _base(request, **context) -> dict:
    return {
        "nav": "pricing",
        "today": permissions.today(),
        "may_edit": may_edit_pricing(request.user) and request.user.is_staff,
        **context,
    }


@login_required
def price_list_list(request):
    lists = list(selectors.price_lists(user=request.user))
    today = permissions.today()
    context = _base(request, price_lists=lists, valid_today=selectors.valid_on(lists, today))
    return render(request, "pricing/list.html", context)


@login_required
def price_list_detail(request, pk: int):
    price_list = bounds.one_or_404(selectors.price_lists(user=request.user), pk=pk)
    q = bounds.search_text(request.GET.get("q"))
    products = selectors.priced_products(user=request.user, price_list=price_list, q=q)
    page = Paginator(products, PER_PAGE).get_page(bounds.page_number(request.GET.get("page")))
    tiers = list(price_list.tiers.all())
    context = _base(
        request,
        price_list=price_list,
        valid_today=selectors.valid_on([price_list], permissions.today()),
        tiers=tiers,
        q=q,
        query=_query(q=q),
        page=page,
        rows=selectors.price_rows(price_list=price_list, tiers=tiers, products=list(page)),
    )
    template = "pricing/_price_table.html" if is_partial(request) else "pricing/detail.html"
    return render(request, template, context)


@login_required
def discount_rule_list(request):
    today = permissions.today()
    q = bounds.search_text(request.GET.get("q"))
    current = request.GET.get("current") == "1"
    rules = selectors.discount_rules(user=request.user, on=today if current else None, q=q)
    page = Paginator(rules, PER_PAGE).get_page(bounds.page_number(request.GET.get("page")))
    context = _base(
        request,
        q=q,
        current=current,
        query=_query(q=q, current="1" if current else ""),
        page=page,
        rules=page.object_list,
    )
    template = "pricing/_rule_table.html" if is_partial(request) else "pricing/rules.html"
    return render(request, template, context)
