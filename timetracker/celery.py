"""The Celery application. Tasks live in each app's tasks.py; schedules in django-celery-beat's database."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timetracker.settings")

app = Celery("timetracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="timetracker.ping")
def ping() -> str:
    """Health probe: proves a worker picks tasks from the broker and answers."""
    return "pong"
