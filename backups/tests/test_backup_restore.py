"""Backups on the real PostgreSQL with the real pg_dump / pg_restore, and the restore drill CI runs.

The drill: the test data (the demo installation) is dumped with `manage.py backup`, restored into a new database
with `manage.py restore --database-url`, `migrate --check` passes on the copy, and every table's row count and a
report's total (computed by the report code itself, in a separate process on each database) are the same.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from backups.services import MARKER, BackupError, _connection_env, backup_create, database_settings, last_backup

ROOT = Path(__file__).resolve().parent.parent.parent
ON_POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]
needs_postgres = pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL (set DATABASE_URL), as CI does")

REPORT_TOTAL = """
from datetime import timedelta
from django.utils import timezone
from accounts.models import User
from tracking.reports import report_summary
admin = User.objects.get(username="admin")
today = timezone.localdate()
summary = report_summary(viewer=admin, start=today - timedelta(days=30), end=today, group_by="user")
print("TOTAL", summary["total"])
"""


def database_url(name: str | None = None) -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name or db['NAME']}"


def manage(*args: str, url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def row_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url, autocommit=True) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            ).fetchall()
        ]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608


def report_total(url: str) -> str:
    result = manage("shell", "-c", REPORT_TOTAL, url=url)
    assert result.returncode == 0, result.stderr
    return next(line for line in result.stdout.splitlines() if line.startswith("TOTAL "))


@pytest.fixture
def scratch_database():
    """The name of a database that does not exist yet; dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restored"
    admin_url = database_url("postgres")

    def drop():
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    drop()
    yield name
    drop()


@pytest.mark.postgres
@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_restore_drill_the_copy_has_every_row_and_the_same_report_total(tmp_path, scratch_database):
    from tracking.demo import seed_demo

    seed_demo()
    live = database_url()

    call_command("backup", dir=str(tmp_path), keep=0)
    marker = json.loads((tmp_path / MARKER).read_text())
    dump = tmp_path / marker["file"]
    assert dump.stat().st_size == marker["bytes"] > 0

    restored = database_url(scratch_database)
    call_command("restore", str(dump), database_url=restored)

    check = manage("migrate", "--check", url=restored)
    assert check.returncode == 0, check.stdout + check.stderr

    counts = row_counts(live)
    assert counts["tracking_timeentry"] > 50 and counts["accounts_user"] >= 5
    assert row_counts(restored) == counts
    total = report_total(live)
    assert total != "TOTAL " and report_total(restored) == total

    # The comparison notices a difference: a missing row changes the counts, a changed entry the total.
    with psycopg.connect(restored, autocommit=True) as conn:
        conn.execute(
            "UPDATE tracking_timeentry SET duration_seconds = duration_seconds + 3600 "
            "WHERE id = (SELECT max(id) FROM tracking_timeentry WHERE duration_seconds IS NOT NULL)"
        )
        conn.execute("DELETE FROM tracking_timeentry WHERE id = (SELECT min(id) FROM tracking_timeentry)")
    assert row_counts(restored)["tracking_timeentry"] == counts["tracking_timeentry"] - 1
    assert report_total(restored) != total

    # Restoring over a database that exists and has changed (as over the live one after a bad upgrade) puts back
    # exactly what the dump holds.
    call_command("restore", str(dump), database_url=restored)
    assert row_counts(restored) == counts
    assert report_total(restored) == total


@pytest.mark.postgres
@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_backups_keep_the_newest_and_the_marker_names_the_last(tmp_path):
    keep = 2
    made = [backup_create(directory=tmp_path, keep=keep) for _ in range(3)]

    dumps = sorted(p.name for p in tmp_path.glob("*.dump"))
    assert dumps == [b.path.name for b in made[-keep:]]
    marker = last_backup(tmp_path)
    assert marker["file"] == made[-1].path.name and marker["bytes"] == made[-1].bytes
    assert marker["finished_at"].endswith("Z")
    assert not list(tmp_path.glob("*.partial")) and not list(tmp_path.glob(".*.tmp"))


@pytest.mark.postgres
@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_failed_backup_leaves_the_last_marker_and_no_partial_dump(tmp_path):
    good = backup_create(directory=tmp_path)
    before = (tmp_path / MARKER).read_text()

    with pytest.raises(BackupError, match="pg_dump failed"):
        backup_create(directory=tmp_path, database_url=database_url("no_such_database_for_backups"))

    assert (tmp_path / MARKER).read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == sorted([good.path.name, MARKER])


def test_without_a_backup_folder_the_command_says_what_to_set(settings):
    settings.BACKUP_DIR = ""
    with pytest.raises(CommandError, match="set BACKUP_DIR"):
        call_command("backup")


def test_backups_of_sqlite_are_refused_with_a_clear_message(tmp_path):
    with pytest.raises(BackupError, match="need PostgreSQL"):
        backup_create(directory=tmp_path, database_url=f"sqlite:///{tmp_path}/db.sqlite3")


def test_no_marker_reads_as_no_backup(tmp_path):
    assert last_backup(tmp_path) is None
    (tmp_path / MARKER).write_text("{half")
    assert last_backup(tmp_path) is None


def test_restoring_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="No such backup file"):
        call_command("restore", str(tmp_path / "nope.dump"), database_url="postgres://u@127.0.0.1:5432/x")


def test_restoring_over_the_configured_database_needs_a_yes(tmp_path):
    with pytest.raises(CommandError, match="needs --yes"):
        call_command("restore", str(tmp_path / "any.dump"))


def test_the_dump_connects_like_the_app_with_the_password_out_of_the_command_line():
    db = database_settings("postgres://tt:s3cret@db.example.com:6543/timetracker?sslmode=verify-full")
    env = _connection_env(db)
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGDATABASE"]) == (
        "db.example.com",
        "6543",
        "tt",
        "timetracker",
    )
    assert env["PGPASSWORD"] == "s3cret" and env["PGSSLMODE"] == "verify-full"
