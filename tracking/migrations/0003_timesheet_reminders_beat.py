"""Schedule the timesheet reminders in django-celery-beat (every 15 minutes).

The task decides at run time whether anything is due (approvals and reminders on, a required team, each person's
weekday and hour), so the schedule can always exist. Admins may change it under Periodic tasks.
"""

from django.db import migrations

NAME = "tracking: timesheet reminders"


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="*/15", hour="*", day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC"
    )
    PeriodicTask.objects.get_or_create(
        name=NAME, defaults={"task": "tracking.timesheet_reminders", "crontab": schedule, "enabled": True}
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tracking", "0002_timesheet_approvals"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
