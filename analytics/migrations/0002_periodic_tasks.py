"""Schedule the daily telemetry report and the activity-log cleanup in django-celery-beat.

Both tasks decide at run time whether they have anything to do (telemetry is opt-in; retention 0 keeps everything),
so the schedules can always exist. Admins may change the times under Periodic tasks.
"""

from django.db import migrations

TASKS = [
    # (name, task, hour, minute)
    ("analytics: daily installation telemetry", "analytics.send_telemetry", "4", "17"),
    ("analytics: activity log retention", "analytics.activity_cleanup", "3", "41"),
]


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, hour, minute in TASKS:
        schedule, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC"
        )
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": schedule, "enabled": True})


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, *_ in TASKS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
