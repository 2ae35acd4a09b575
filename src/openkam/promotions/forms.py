"""The promotion form for heads. It only shapes input; the services validate and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account
from openkam.core import bounds
from openkam.core.forms import ServiceErrorsMixin, model_fields
from openkam.ledger.models import Product
from openkam.promotions.models import Promotion

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FIELDS = (
    "name", "description", "kind", "starts_on", "ends_on", "currency", "audience", "tier",
    "threshold_quantity", "threshold_amount", "discount_pct", "bonus_pct", "bonus_amount",
    "combinable", "exclusion_group", "limit_per_account",
)  # fmt: skip


def product_line_choices() -> list[tuple[str, str]]:
    lines = (
        Product.objects.exclude(product_line="")
        .order_by("product_line")
        .values_list("product_line", flat=True)
        .distinct()
    )
    return [(line, line) for line in lines]


class PromotionForm(ServiceErrorsMixin, forms.Form):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(model_fields(Promotion, FIELDS))
        for name in ("starts_on", "ends_on"):
            self.fields[name].widget = DATE
        self.fields["description"].widget.attrs["rows"] = 3
        self.fields["segments"] = forms.CharField(
            required=False, max_length=2000, label=_("segments"),
            help_text=_("Separated by commas; for a promotion for the accounts of segments."),
        )  # fmt: skip
        # The accounts a head may choose are those they see (heads see every account).
        self.fields["accounts"] = bounds.ModelMultipleChoiceField(
            queryset=Account.objects.visible_to(user).filter(is_archived=False).order_by("name"),
            required=False, label=_("accounts"), widget=forms.SelectMultiple(attrs={"size": 6}),
        )  # fmt: skip
        self.fields["product_lines"] = forms.MultipleChoiceField(
            choices=product_line_choices(), required=False, label=_("product lines"),
            widget=forms.SelectMultiple(attrs={"size": 5}),
            help_text=_("No line and no product: every product."),
        )  # fmt: skip
        self.fields["products"] = bounds.ModelMultipleChoiceField(
            queryset=Product.objects.filter(is_archived=False).order_by("sku"),
            required=False, label=_("products"), widget=forms.SelectMultiple(attrs={"size": 6}),
        )  # fmt: skip

    def clean_currency(self) -> str:
        return self.cleaned_data["currency"].upper()

    def clean_segments(self) -> list[str]:
        raw = self.cleaned_data.get("segments") or ""
        return [part.strip() for part in raw.split(",") if part.strip()]

    @staticmethod
    def initial_for(promotion: Promotion) -> dict:
        initial = {name: getattr(promotion, name) for name in FIELDS}
        initial["segments"] = ", ".join(promotion.segments)
        initial["product_lines"] = list(promotion.product_lines)
        initial["accounts"] = [account.pk for account in promotion.accounts.all()]
        initial["products"] = [product.pk for product in promotion.products.all()]
        return initial
