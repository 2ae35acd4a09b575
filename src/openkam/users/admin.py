"""Back office for people: users with role, team and senior; teams; deputies; API tokens."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openkam.core.admin import AuditedAdmin
from openkam.users import services
from openkam.users.models import ApiToken, Deputy, Team, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "team", "senior", "is_active")
    list_filter = ("role", "team", "is_active", "is_staff")
    list_select_related = ("team", "senior")
    search_fields = ("username", "first_name", "last_name", "email")
    raw_id_fields = ("senior",)
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Key account management"), {"fields": ("role", "team", "senior", "language")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Key account management"), {"fields": ("role", "team", "senior")}),
    )

    def has_delete_permission(self, request, obj=None):
        # Deactivate instead: accounts, history and audit entries point at users.
        return False


@admin.register(Team)
class TeamAdmin(AuditedAdmin):
    list_display = ("name", "head")
    search_fields = ("name",)
    raw_id_fields = ("head",)


@admin.register(Deputy)
class DeputyAdmin(AuditedAdmin):
    """Deputyships are history: ended (the action below, audited), never deleted."""

    list_display = ("principal", "deputy", "starts_on", "ends_on", "ended_on", "note")
    list_filter = ("starts_on", "ends_on", "ended_on")
    search_fields = ("principal__username", "deputy__username", "note")
    raw_id_fields = ("principal", "deputy", "created_by")
    readonly_fields = ("ended_on",)
    list_select_related = ("principal", "deputy")
    actions = ["end_now"]

    def has_delete_permission(self, request, obj=None):
        # Said again here, on purpose: a deputyship is ended, never deleted.
        return False

    @admin.action(description=_("End the selected deputyships now"))
    def end_now(self, request, queryset):
        today = timezone.localdate()
        try:
            with transaction.atomic():  # all of them or none
                for row in queryset.select_related("principal"):
                    services.deputy_end(actor=request.user, row=row, on=today, via="admin")
        except PermissionDenied as error:
            self.message_user(request, str(error), level=messages.ERROR)
            return
        self.message_user(request, _("Deputyships ended."))


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued by their owner (the token is shown once); here they can be revoked."""

    list_display = ("user", "name", "prefix", "created_at", "last_used_at", "revoked")
    list_filter = ("revoked",)
    search_fields = ("user__username", "name", "prefix")
    fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked")
    readonly_fields = ("user", "name", "prefix", "created_at", "last_used_at")
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False
