"""Django admin for users and teams, and the mixin that makes every admin page ask accounts.policy."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from . import policy
from .models import Team, User


class PolicyAdminMixin:
    """Admin permissions and querysets from the access policy, so the admin answers like the UI and API."""

    def get_queryset(self, request):
        return policy.visible(request.user, super().get_queryset(request))

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return policy.can(request.user, policy.VIEW, obj if obj is not None else self.model)

    def has_add_permission(self, request, *args):
        return policy.can(request.user, policy.CREATE, self.model)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return policy.can(request.user, policy.CREATE, self.model)
        return policy.can(request.user, policy.CHANGE, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return policy.can(request.user, policy.CREATE, self.model)
        return policy.can(request.user, policy.DELETE, obj)


@admin.register(User)
class UserAdmin(PolicyAdminMixin, DjangoUserAdmin):
    list_display = ("username", "email", "full_name", "role", "is_active", "timezone", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("username", "email", "full_name", "first_name", "last_name")
    ordering = ("username",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Profile", {"fields": ("full_name", "email", "timezone", "rounding_mode", "rounding_minutes")}),
        ("Connections", {"fields": ("github_username", "slack_user_id")}),
        ("Access", {"fields": ("role", "is_active")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "email", "full_name", "role", "password1", "password2")}),
    )
    readonly_fields = ("last_login", "date_joined")

    def has_add_permission(self, request, *args):
        return policy.can(request.user, policy.MANAGE_USERS)

    def has_change_permission(self, request, obj=None):
        return policy.can(request.user, policy.MANAGE_USERS)

    def has_delete_permission(self, request, obj=None):
        return policy.can(request.user, policy.MANAGE_USERS)


@admin.register(Team)
class TeamAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "created_at")
    search_fields = ("name",)
    filter_horizontal = ("managers", "members")

    def has_add_permission(self, request, *args):
        return policy.can(request.user, policy.MANAGE_USERS)

    def has_change_permission(self, request, obj=None):
        return policy.can(request.user, policy.MANAGE_USERS)

    def has_delete_permission(self, request, obj=None):
        return policy.can(request.user, policy.MANAGE_USERS)
