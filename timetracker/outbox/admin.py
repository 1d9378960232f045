from django.contrib import admin

from .models import OutboxTask


@admin.register(OutboxTask)
class OutboxTaskAdmin(admin.ModelAdmin):
    """Read-only: what waits for the broker, and why. The beat job `outbox.flush` sends it when Redis is back."""

    list_display = ("task_name", "created_at", "attempts", "next_attempt_at", "last_error")
    readonly_fields = ("task_name", "args", "kwargs", "created_at", "attempts", "last_error", "next_attempt_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
