"""Settings behave as documented in docs/admin/configuration/environment.md."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_check(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "REDIS_URL"}}
    clean.update(env)
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def test_debug_false_without_secret_key_refuses_to_start_with_a_clear_message():
    result = run_check(DEBUG="False", ALLOWED_HOSTS="example.com")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_false_with_secret_key_starts():
    result = run_check(DEBUG="False", SECRET_KEY="x" * 60, ALLOWED_HOSTS="example.com")
    assert result.returncode == 0, result.stderr


def test_embedded_defaults_use_sqlite_and_in_process_tasks():
    code = (
        "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='timetracker.settings';django.setup();"
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.CACHES['default']['BACKEND'],"
        " s.CELERY_BEAT_SCHEDULER)"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True
    ).stdout.split()
    assert out == [
        "django.db.backends.sqlite3",
        "True",
        "django.core.cache.backends.locmem.LocMemCache",
        "django_celery_beat.schedulers:DatabaseScheduler",
    ]
