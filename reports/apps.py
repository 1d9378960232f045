from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Saved reports, favourites, views, comments and annotations. Report logic stays in tracking.reports."""

    name = "reports"
    verbose_name = "Saved reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import gdpr, panels, rules

        rules.register()
        panels.register()
        gdpr.register()
