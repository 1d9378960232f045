from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    """Connectors (GitHub, Slack, Google Calendar). Listens to tracking's signals; tracking never imports it."""

    name = "integrations"
    verbose_name = "Integrations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import gdpr, health, rules, tasks  # noqa: F401  (tasks register with Celery, to be enqueued by name)
        from .connectors import load

        load()
        rules.register()
        gdpr.register()
        health.register()
