from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """Health checks, readiness and metrics endpoints, the usage page. The top layer: no app imports it."""

    name = "monitoring"
    verbose_name = "Monitoring"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The tasks register with Celery here; the checks and metrics with timetracker.health.
        from . import checks, heartbeats, metrics, tasks  # noqa: F401

        checks.register()
        metrics.register()
        heartbeats.connect()
