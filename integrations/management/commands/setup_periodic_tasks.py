"""`manage.py setup_periodic_tasks`: the beat entries of the integrations (idempotent; run by quickstart).

One crontab entry per connector that can sync, each connector's other `periodic_jobs`, the daily pruning of
old webhook payloads, the connection checks every 15 minutes (a revoked token shows on the health page) and the
delivery of saved-report subscriptions every 5 minutes.
Entries are rows of django-celery-beat's DatabaseScheduler: an admin may change their schedule or disable them;
running this again keeps such changes.
"""

import json

from django.core.management.base import BaseCommand
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from integrations.connectors.base import connector_classes

PRUNE_SCHEDULE = {"minute": "40", "hour": "3"}
PROBE_SCHEDULE = {"minute": "*/15"}
SUBSCRIPTIONS_SCHEDULE = {"minute": "*/5"}


def _crontab(fields: dict) -> CrontabSchedule:
    values = {"minute": "*", "hour": "*", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*", **fields}
    schedule, _ = CrontabSchedule.objects.get_or_create(**values, timezone="UTC")
    return schedule


class Command(BaseCommand):
    help = "Create the periodic tasks of the integrations (connector syncs, webhook payload pruning)."

    def handle(self, *args, **options):
        wanted = [
            (f"integrations: sync {cls.provider}", "integrations.sync_provider", [cls.provider], cls.sync_schedule)
            for cls in connector_classes()
            if cls.can_sync and cls.sync_schedule
        ]
        wanted += [(job.name, job.task, [], job.schedule) for cls in connector_classes() for job in cls.periodic_jobs]
        wanted.append(
            ("integrations: prune webhook payloads", "integrations.prune_webhook_payloads", [], PRUNE_SCHEDULE)
        )
        wanted.append(("integrations: connection checks", "integrations.probe_connections", [], PROBE_SCHEDULE))
        # Saved reports' scheduled deliveries (email built in, Slack when set up): claimed once per period.
        wanted.append(("reports: deliver subscriptions", "reports.deliver_subscriptions", [], SUBSCRIPTIONS_SCHEDULE))
        created = 0
        for name, task, args, schedule in wanted:
            _, was_created = PeriodicTask.objects.get_or_create(
                name=name, defaults={"task": task, "args": json.dumps(args), "crontab": _crontab(schedule)}
            )
            created += was_created
        self.stdout.write(f"Periodic tasks: {created} created, {len(wanted) - created} already present.")
