"""The price check of an account: a product and a quantity in, the quote out with how it
was found, step by step. The account is found through the visibility rule: another
KAM's account answers 404, as a missing one."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from openkam.accounts import access
from openkam.accounts.models import Account
from openkam.pricing import selectors
from openkam.pricing.forms import PriceCheckForm
from openkam.pricing.quotes import PricingError
from openkam.pricing.views.catalogue import is_partial
from openkam.users import permissions


@login_required
def price_check(request, pk: int):
    user = request.user
    account = access.visible_or_404(Account, user, pk=pk)
    asked = "product" in request.GET
    initial = {"on": permissions.today(), "currency": account.currency, "quantity": 1}
    form = PriceCheckForm(
        request.GET if asked else None, initial=initial, account_currency=account.currency
    )
    result, error = None, ""
    if asked and form.is_valid():
        data = form.cleaned_data
        try:
            result = selectors.account_quote(
                user=user,
                account=account,
                product=data["product"],
                quantity=data["quantity"],
                on=data["on"],
                currency=data["currency"],
                discount_pct=data["discount_pct"],
            )
        except PricingError as exc:
            error = str(exc)
    context = {
        "nav": "accounts",
        "account": account,
        "form": form,
        "result": result,
        "error": error,
    }
    template = "pricing/_quote.html" if is_partial(request) else "pricing/check.html"
    return render(request, template, context)
