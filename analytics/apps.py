from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    """Product analytics and the activity log. Listens to domain signals; the domain apps never import it."""

    name = "analytics"
    verbose_name = "Analytics"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The tasks register with Celery here, so services can enqueue them by name without importing them.
        from . import gdpr, receivers, rules, tasks  # noqa: F401

        receivers.connect()
        rules.register()
        gdpr.register()
