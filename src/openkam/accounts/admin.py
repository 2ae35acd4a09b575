"""Back office for accounts. Account changes go through the services, like on the pages."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from openkam.accounts import services
from openkam.accounts.models import Account, Assignment, KeyStatusChange
from openkam.accounts.validators import normalize_tax_id
from openkam.core.admin import AuditedAdmin, ReadOnlyAdmin, ReadOnlyInline


class AccountAdminForm(forms.ModelForm):
    class Meta:
        model = Account
        fields = [*services.EDITABLE_FIELDS, "parent", "is_archived"]

    def clean(self):
        data = super().clean() or {}
        try:
            data["tax_id"] = normalize_tax_id(data.get("tax_id", ""), data.get("country", ""))
        except ValidationError as error:
            self.add_error("tax_id", error)
        node = data.get("parent")
        while node is not None:
            if self.instance.pk is not None and node.pk == self.instance.pk:
                self.add_error("parent", _("An account cannot be its own ancestor."))
                break
            node = node.parent
        return data


class AssignmentInline(ReadOnlyInline):
    model = Assignment
    fk_name = "account"
    fields = ("user", "role", "starts_on", "ends_on", "created_by")
    readonly_fields = fields

    def get_queryset(self, request):
        # Each row shows its assignment's text (naming the user) and who created it.
        return super().get_queryset(request).select_related("user", "created_by")


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    form = AccountAdminForm
    list_display = ("name", "tax_id", "city", "country", "segment", "tier", "is_archived")
    list_filter = ("tier", "country", "is_archived", "segment")
    search_fields = ("name", "tax_id", "city", "external_id")
    raw_id_fields = ("parent",)
    readonly_fields = ("tier", "group_root", "source", "external_id")
    inlines = [AssignmentInline]

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS}
        if not change:
            created = services.account_create(
                actor=request.user, parent=form.cleaned_data.get("parent"), **fields
            )
            obj.pk = created.pk
            return
        stored = Account.objects.get(pk=obj.pk)
        services.account_update(
            actor=request.user, account=stored, parent=form.cleaned_data.get("parent"), **fields
        )
        if stored.is_archived != form.cleaned_data["is_archived"]:
            services.account_set_archived(
                actor=request.user, account=stored, archived=form.cleaned_data["is_archived"]
            )

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Assignment)
class AssignmentAdmin(AuditedAdmin):
    list_display = ("account", "user", "role", "starts_on", "ends_on")
    list_filter = ("role", "starts_on", "ends_on")
    search_fields = ("account__name", "user__username", "user__last_name")
    raw_id_fields = ("account", "user", "created_by")
    list_select_related = ("account", "user")


@admin.register(KeyStatusChange)
class KeyStatusChangeAdmin(ReadOnlyAdmin):
    list_display = ("account", "previous_tier", "tier", "decided_by", "decided_at")
    list_filter = ("tier", "previous_tier")
    search_fields = ("account__name", "reason")
    list_select_related = ("account", "decided_by")
