from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "tracking"
    verbose_name = "Time tracking"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import gdpr, rules, tasks  # noqa: F401  (tasks register with Celery, to be enqueued by name)

        rules.register()
        gdpr.register()
