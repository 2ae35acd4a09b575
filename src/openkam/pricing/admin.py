"""Back office for the price catalogue: price lists with their tiers, prices with their
volume bands, discount rules. Every change is audited, the rows edited inside their
parent's page too (`AuditedInlines`); lists and rules are never deleted (a rule is ended
by its end date, a list replaced by the next one)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from openkam.core import audit
from openkam.core.admin import AuditedAdmin, EditableInline
from openkam.pricing.models import DiscountRule, Price, PriceList, PriceTier, VolumeBand
from openkam.pricing.services import may_edit_pricing


class AuditedInlines:
    """Records each row added, changed or removed in an inline, as `AuditedAdmin` does for
    the page's own record. Rows that stop being the default are saved first, so a new
    default never meets the old one in the database."""

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            audit.record_delete(actor=request.user, instance=obj, via="admin")
            obj.delete()
        for obj in sorted(instances, key=lambda row: bool(getattr(row, "is_default", False))):
            if obj.pk is None:
                obj.save()
                audit.record_create(actor=request.user, instance=obj, via="admin")
                continue
            before = audit.snapshot(type(obj)._default_manager.get(pk=obj.pk))
            obj.save()
            audit.record_update(actor=request.user, instance=obj, before=before, via="admin")
        formset.save_m2m()


class CatalogueEditors:
    """Staff may look; only heads of key accounts and administrators change the catalogue
    (as through the services)."""

    def has_add_permission(self, request, *args):
        return super().has_add_permission(request, *args) and may_edit_pricing(request.user)  # type: ignore[misc]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)  # type: ignore[misc]
        return allowed and may_edit_pricing(request.user)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)  # type: ignore[misc]
        return allowed and may_edit_pricing(request.user)


class TierForm(forms.ModelForm):
    class Meta:
        model = PriceTier
        fields = ("name", "position", "is_default")

    def _get_validation_exclusions(self):
        # The one default of a list is checked across the rows by the formset, so a page
        # may move it from one tier to another in one save.
        exclude = super()._get_validation_exclusions()  # type: ignore[misc]
        exclude.add("is_default")
        return exclude


class TierFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        kept = [
            f.cleaned_data
            for f in self.forms
            if getattr(f, "cleaned_data", None) and not f.cleaned_data.get("DELETE")
        ]
        names = [(data.get("name") or "").strip().casefold() for data in kept]
        if len(set(names)) != len(names):
            raise ValidationError(_("Two tiers of the list have the same name."))
        if sum(1 for data in kept if data.get("is_default")) > 1:
            raise ValidationError(_("Mark one tier of the list as its default."))


class PriceTierInline(CatalogueEditors, EditableInline):
    model = PriceTier
    form = TierForm
    formset = TierFormSet
    fields = ("name", "position", "is_default")
    extra = 0


@admin.register(PriceList)
class PriceListAdmin(CatalogueEditors, AuditedInlines, AuditedAdmin):
    list_display = ("name", "currency", "valid_from", "valid_to")
    list_filter = ("currency",)
    search_fields = ("name",)
    inlines = [PriceTierInline]


class VolumeBandInline(CatalogueEditors, EditableInline):
    model = VolumeBand
    fields = ("min_quantity", "unit_price")
    extra = 0


@admin.register(Price)
class PriceAdmin(CatalogueEditors, AuditedInlines, AuditedAdmin):
    list_display = ("product", "tier", "price_list", "unit_price", "band_mode")
    list_filter = ("tier__price_list", "band_mode")
    search_fields = ("product__sku", "product__name", "tier__name")
    raw_id_fields = ("product", "tier")
    list_select_related = ("product", "tier__price_list")
    inlines = [VolumeBandInline]

    @admin.display(description=_("price list"), ordering="tier__price_list__name")
    def price_list(self, obj: Price) -> str:
        return obj.tier.price_list.name


@admin.register(DiscountRule)
class DiscountRuleAdmin(CatalogueEditors, AuditedAdmin):
    list_display = (
        "name",
        "tier",
        "segment",
        "product_line",
        "min_quantity",
        "max_discount_pct",
        "priority",
        "valid_from",
        "valid_to",
    )
    list_filter = ("tier", "segment", "product_line")
    search_fields = ("name", "tier", "segment", "product_line")
