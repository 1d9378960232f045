"""Admin: the activity log (read-only), the installation's telemetry switch, users' analytics preferences."""

from django.contrib import admin

from accounts import policy

from .models import ActivityLog, AnalyticsPreference, Installation
from .selectors import activity_list


@admin.register(ActivityLog)
class ActivityLogAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor", "verb", "description", "owner", "by_other_user")
    list_filter = ("verb", "created_at")
    search_fields = ("description", "object_id")
    date_hierarchy = "created_at"
    list_select_related = ("actor", "owner")
    readonly_fields = [f.name for f in ActivityLog._meta.fields]

    @admin.display(boolean=True, description="by someone else")
    def by_other_user(self, obj):
        return obj.by_other_user

    def get_queryset(self, request):
        return activity_list(viewer=request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return policy.is_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff


@admin.register(Installation)
class InstallationAdmin(admin.ModelAdmin):
    list_display = ("installation_id", "telemetry_enabled", "last_reported_version", "last_reported_at")
    readonly_fields = ("installation_id", "install_reported_at", "last_reported_version", "last_reported_at")
    fields = ("installation_id", "telemetry_enabled", *readonly_fields[1:])

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_module_permission(self, request):
        return policy.is_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return policy.is_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return policy.is_admin(request.user)

    def changelist_view(self, request, extra_context=None):
        Installation.get()  # the one row exists from the first visit
        return super().changelist_view(request, extra_context)


@admin.register(AnalyticsPreference)
class AnalyticsPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "opted_out", "updated_at")
    list_filter = ("opted_out",)
    readonly_fields = ("user", "opted_out", "updated_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a person's own choice, made on their preferences page

    def has_delete_permission(self, request, obj=None):
        return False

    def has_module_permission(self, request):
        return policy.is_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return policy.is_admin(request.user)
