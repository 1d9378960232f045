"""Read-only admin views of Slack's tables, for troubleshooting (registered by SlackConnector.ready())."""

from django.contrib import admin

from .models import SlackSummarySent, SlackUserPreference


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SlackUserPreferenceAdmin(ReadOnlyAdmin):
    list_display = (
        "user",
        "notify_on_start",
        "notify_on_stop",
        "daily_summary",
        "notify_on_comment",
        "summary_time",
        "updated_at",
    )
    list_filter = ("daily_summary", "notify_on_start", "notify_on_stop")
    search_fields = ("user__username", "user__email")


class SlackSummarySentAdmin(ReadOnlyAdmin):
    list_display = ("user", "date", "status", "claimed_at", "sent_at", "error")
    list_filter = ("status", "date")
    search_fields = ("user__username", "user__email")


def register(site=admin.site) -> None:
    if not site.is_registered(SlackUserPreference):
        site.register(SlackUserPreference, SlackUserPreferenceAdmin)
    if not site.is_registered(SlackSummarySent):
        site.register(SlackSummarySent, SlackSummarySentAdmin)
