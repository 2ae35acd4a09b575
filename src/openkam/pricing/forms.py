"""The price check form. It only shapes input; `pricing.quotes` finds the price."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from openkam.core import bounds
from openkam.core.forms import searchable
from openkam.ledger.models import Product
from openkam.pricing.models import MAX_QUANTITY, QUANTITY_DIGITS, QUANTITY_PLACES, PriceList

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def currency_choices(extra: str) -> list[tuple[str, str]]:
    """The currencies that have a price list, and the account's own."""
    codes = set(PriceList.objects.values_list("currency", flat=True)) | {extra}
    return [(code, code) for code in sorted(codes)]


class PriceCheckForm(forms.Form):
    product = searchable(
        forms.ModelChoiceField(
            queryset=Product.objects.filter(is_archived=False).order_by("sku"),
            label=_("Product"),
        )
    )
    quantity = forms.DecimalField(
        label=_("Quantity"),
        min_value=Decimal("0.001"),
        max_value=MAX_QUANTITY,
        max_digits=QUANTITY_DIGITS,
        decimal_places=QUANTITY_PLACES,
    )
    on = bounds.DateField(label=_("Day"), widget=DATE)
    currency = forms.ChoiceField(label=_("Currency"))
    discount_pct = forms.DecimalField(
        label=_("Discount to check (%)"),
        required=False,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        help_text=_("Optional: whether this discount needs a head's approval."),
    )

    def __init__(self, *args: Any, account_currency: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["currency"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = currency_choices(account_currency)
