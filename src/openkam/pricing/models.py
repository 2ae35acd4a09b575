"""Price lists, their tiers and prices, volume bands, and the discount rules.

A price list is the company's prices in one currency for a stretch of days; its tiers are
its columns (a distributor's "Detal", "Hurt", "A", "B", "Key"), one of them the default.
A price is one product's unit price in one tier, with an optional band set: quantities
from which another unit price applies, by range or by slab (`BandMode`). Lists of one
currency never overlap in time, so a day and a currency name at most one list.

Discount rules say how much discount a KAM may give without a head's approval, by any
combination of tier, customer segment, product line and minimum order. Price lists and
rules are company-wide catalogues: no account's work, read by everyone signed in.

How a price is found from these (which list, which tier, which band, which rule) is
`pricing.quotes`; docs/pricing.md explains it to users.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from openkam.contracts.models import currency_code
from openkam.core import bounds
from openkam.core.models import MONEY_DIGITS, MONEY_PLACES, TimeStampedModel

QUANTITY_DIGITS = 15
QUANTITY_PLACES = 3  # as invoice lines
MAX_QUANTITY = Decimal(10) ** (QUANTITY_DIGITS - QUANTITY_PLACES) - 1
MAX_PRIORITY = 1000


class BandMode(models.TextChoices):
    """How a band set prices a quantity (docs/pricing.md, "Volume bands")."""

    RANGE = "range", _("range: every unit at the price of the band reached")
    SLAB = "slab", _("slab: each slab of units at its own price")


def _date_field(label, **kwargs) -> models.DateField:
    return models.DateField(label, validators=[bounds.validate_date], **kwargs)


class PriceList(TimeStampedModel):
    name = models.CharField(_("name"), max_length=100, unique=True)
    currency = models.CharField(
        _("currency"), max_length=3, default="PLN", validators=[currency_code]
    )
    valid_from = _date_field(_("valid from"))
    valid_to = _date_field(
        _("valid to"),
        null=True,
        blank=True,
        help_text=_("The last day the list applies; left empty: until further notice."),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["currency", "-valid_from", "name"]
        verbose_name = _("price list")
        verbose_name_plural = _("price lists")
        indexes = [models.Index(fields=["currency", "valid_from"], name="price_list_valid_idx")]

    def __str__(self) -> str:
        return self.name

    def covers(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def clean(self) -> None:
        """The end is not before the start, and no other list of the currency shares a
        day with this one (else a day would have two prices)."""
        if self.valid_from is None:
            return
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end is before the start.")})
        clash = self.overlapping().first()
        if clash is not None:
            raise ValidationError(
                {
                    "valid_from": _(
                        "The price list %(other)s in %(currency)s is valid from %(start)s "
                        "to %(end)s, which overlaps these dates: lists of one currency may "
                        "not share a day. End the other list first (or start this one later)."
                    )
                    % {
                        "other": clash.name,
                        "currency": clash.currency,
                        "start": clash.valid_from.isoformat(),
                        "end": clash.valid_to.isoformat() if clash.valid_to else "…",
                    }
                }
            )

    def overlapping(self) -> models.QuerySet[PriceList]:
        """Other lists of the currency that share a day with this one's validity."""
        others = PriceList.objects.filter(currency=self.currency)
        if self.pk:
            others = others.exclude(pk=self.pk)
        others = others.filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=self.valid_from)
        )
        if self.valid_to is not None:
            others = others.filter(valid_from__lte=self.valid_to)
        return others.order_by("valid_from", "pk")


class PriceTier(TimeStampedModel):
    """A column of a price list. Contracts name it by its name, in any case."""

    price_list = models.ForeignKey(
        PriceList, verbose_name=_("price list"), on_delete=models.PROTECT, related_name="tiers"
    )
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_default = models.BooleanField(
        _("default tier"),
        default=False,
        help_text=_("The tier of a customer whose contract names none."),
    )

    class Meta:
        ordering = ["price_list", "position", "id"]
        verbose_name = _("price tier")
        verbose_name_plural = _("price tiers")
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                models.F("price_list"),
                name="price_tier_name_ci",
                violation_error_message=_("The list already has a tier of this name."),
            ),
            models.UniqueConstraint(
                fields=["price_list"],
                condition=models.Q(is_default=True),
                name="price_tier_one_default",
                violation_error_message=_("The list already has a default tier."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Price(TimeStampedModel):
    """One product's unit price in one tier of a list, and how its volume bands apply."""

    tier = models.ForeignKey(
        PriceTier, verbose_name=_("price tier"), on_delete=models.PROTECT, related_name="prices"
    )
    product = models.ForeignKey(
        "ledger.Product",
        verbose_name=_("product"),
        on_delete=models.PROTECT,
        related_name="list_prices",
    )
    unit_price = models.DecimalField(
        _("unit price"),
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        validators=[MinValueValidator(0)],
    )
    band_mode = models.CharField(
        _("volume bands priced by"),
        max_length=5,
        choices=BandMode.choices,
        default=BandMode.RANGE,
    )

    class Meta:
        ordering = ["tier", "product"]
        verbose_name = _("price")
        verbose_name_plural = _("prices")
        constraints = [
            models.UniqueConstraint(
                fields=["tier", "product"],
                name="price_tier_product",
                violation_error_message=_("The tier already has a price for this product."),
            ),
            models.CheckConstraint(
                condition=models.Q(unit_price__gte=0), name="price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tier} · {self.product}"


class VolumeBand(models.Model):
    """From `min_quantity` on, `unit_price` applies (by the price's band mode)."""

    price = models.ForeignKey(
        Price, verbose_name=_("price"), on_delete=models.CASCADE, related_name="bands"
    )
    min_quantity = models.DecimalField(
        _("from quantity"),
        max_digits=QUANTITY_DIGITS,
        decimal_places=QUANTITY_PLACES,
        validators=[MinValueValidator(0)],
    )
    unit_price = models.DecimalField(
        _("unit price"),
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        ordering = ["price", "min_quantity"]
        verbose_name = _("volume band")
        verbose_name_plural = _("volume bands")
        constraints = [
            models.UniqueConstraint(
                fields=["price", "min_quantity"],
                name="volume_band_price_quantity",
                violation_error_message=_("The price already has a band from this quantity."),
            ),
            models.CheckConstraint(
                condition=models.Q(min_quantity__gt=0) & models.Q(unit_price__gte=0),
                name="volume_band_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"≥ {self.min_quantity}: {self.unit_price}"

    def clean(self) -> None:
        if self.min_quantity is not None and self.min_quantity <= 0:
            raise ValidationError(
                {"min_quantity": _("A band starts above zero: from zero the list price applies.")}
            )


class DiscountRule(TimeStampedModel):
    """The largest discount a KAM may give without approval where every criterion set
    matches (an empty criterion matches anything); docs/pricing.md has the precedence."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    tier = models.CharField(
        _("price tier"), max_length=100, blank=True, help_text=_("Any tier when empty.")
    )
    segment = models.CharField(
        _("customer segment"), max_length=100, blank=True, help_text=_("Any segment when empty.")
    )
    product_line = models.CharField(
        _("product line"), max_length=100, blank=True, help_text=_("Any line when empty.")
    )
    min_quantity = models.DecimalField(
        _("minimum quantity"),
        max_digits=QUANTITY_DIGITS,
        decimal_places=QUANTITY_PLACES,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    min_amount = models.DecimalField(
        _("minimum line value"),
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("The line's value before discount, in the currency below."),
    )
    currency = models.CharField(
        _("currency of the minimum value"),
        max_length=3,
        blank=True,
        validators=[currency_code],
    )
    max_discount_pct = models.DecimalField(
        _("largest discount without approval (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"),
        default=0,
        validators=[MaxValueValidator(MAX_PRIORITY)],
        help_text=_("Of the rules that match, the highest priority wins."),
    )
    valid_from = _date_field(_("valid from"))
    valid_to = _date_field(_("valid to"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-priority", "name"]
        verbose_name = _("discount rule")
        verbose_name_plural = _("discount rules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_discount_pct__gte=0) & models.Q(max_discount_pct__lte=100),
                name="discount_rule_pct_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def covers(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = _("The end is before the start.")
        if self.min_amount is not None and not self.currency:
            errors["currency"] = _("Give the currency of the minimum value.")
        if self.currency and self.min_amount is None:
            errors["min_amount"] = _("Give the minimum value, or leave the currency empty.")
        if errors:
            raise ValidationError(errors)
