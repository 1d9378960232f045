from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "tracking"
    verbose_name = "Time tracking"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import gdpr, rules, tasks  # noqa: F401  (tasks register with Celery, to be enqueued by name)

        rules.register()
        gdpr.register()
        _register_usage()


def _register_usage() -> None:
    """Lines of the usage page's "Features in use" (shown by monitoring), over the people the reader may see."""
    from timetracker import health

    from .models import Timesheet, TimesheetState

    health.register_usage(
        "Weeks submitted or approved (timesheet approvals)",
        lambda people: Timesheet.objects.filter(
            user__in=people, state__in=[TimesheetState.SUBMITTED, TimesheetState.APPROVED]
        ).count(),
    )
