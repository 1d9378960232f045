from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Saved reports, favourites, views, comments and annotations. Report logic stays in tracking.reports."""

    name = "reports"
    verbose_name = "Saved reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from timetracker import health

        from . import gdpr, panels, rules
        from .models import ReportView, SavedReport

        rules.register()
        panels.register()
        gdpr.register()
        # Lines of the usage page's "Features in use" (monitoring), over the people the reader may see.
        health.register_usage("Saved reports", lambda people: SavedReport.objects.filter(owner__in=people).count())
        health.register_usage(
            "People who opened a saved report (30 days)",
            lambda people: (
                ReportView.objects.filter(user__in=people, day__gte=_days_ago(30)).values("user").distinct().count()
            ),
        )


def _days_ago(days: int):
    from datetime import timedelta

    from django.utils import timezone

    return timezone.now().date() - timedelta(days=days)
