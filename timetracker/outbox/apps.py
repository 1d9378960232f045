from django.apps import AppConfig


class OutboxConfig(AppConfig):
    """Handing tasks to Celery without ever failing a request: tasks the broker refused wait here and are sent later."""

    name = "timetracker.outbox"
    label = "outbox"
    verbose_name = "Task outbox"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import deferred, tasks  # noqa: F401

        deferred.connect()
