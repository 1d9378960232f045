"""A task that could not be handed to the broker (Redis down), kept until it can."""

from django.db import models


class OutboxTask(models.Model):
    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=1, help_text="Times the broker refused it.")
    last_error = models.CharField(max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = "task waiting for the broker"
        verbose_name_plural = "tasks waiting for the broker"

    def __str__(self) -> str:
        return f"{self.task_name} (waiting since {self.created_at:%Y-%m-%d %H:%M} UTC)"
