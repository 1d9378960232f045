from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "tracking"
    verbose_name = "Time tracking"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import gdpr, rules

        rules.register()
        gdpr.register()
