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


def _assigned_names(statements) -> list[str]:
    """Names a block of module-level statements assigns (descending into if/else), one entry per assignment."""
    import ast

    names = []
    for node in statements:
        if isinstance(node, ast.Assign):
            names += [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign | ast.AugAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
        elif isinstance(node, ast.If):
            names += _assigned_names(node.body) + _assigned_names(node.orelse)
    return names


def test_settings_assign_every_setting_once_and_build_the_app_lists_in_one_place():
    import ast

    tree = ast.parse((ROOT / "timetracker" / "settings.py").read_text())
    names = _assigned_names(tree.body)
    twice = sorted({name for name in names if names.count(name) > 1})
    assert twice == [], f"assigned more than once: {twice}"
    extended = [
        node.target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name)
    ]
    appended = [
        ast.unparse(node.func.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("append", "extend")
    ]
    assert extended == [] and appended == [], (extended, appended)


def test_the_settings_guard_catches_a_second_assignment():
    import ast

    tree = ast.parse('LOGIN_URL = "a"\nif True:\n    LOGIN_URL = "b"\n')
    names = _assigned_names(tree.body)
    assert names.count("LOGIN_URL") == 2


def test_secret_key_fallbacks_are_read_from_the_environment_as_a_comma_list():
    code = (
        "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='timetracker.settings';django.setup();"
        "from django.conf import settings as s;print('|'.join(s.SECRET_KEY_FALLBACKS))"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["SECRET_KEY_FALLBACKS"] = "old-key-one,old-key-two"
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True
    ).stdout.strip()
    assert out == "old-key-one|old-key-two"
