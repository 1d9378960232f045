"""The checks monitoring owns: database, broker, workers, beat, queue, web, installation, backups.

Each returns a `timetracker.health.Result`; `runner.run_checks` runs them each in a thread with a deadline.
Thresholds are module constants, documented in docs/admin/monitoring/health-checks.md.
"""

from __future__ import annotations

import json
import platform
import time
from datetime import UTC, datetime
from pathlib import Path

import django
import redis
from django.conf import settings
from django.core import checks as django_checks
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor

import timetracker
from analytics.context import deployment_method
from timetracker import health
from timetracker.health import FAIL, OK, WARN, Result

from . import heartbeats, queues, store, webstats

DOCS = "admin/monitoring/health-checks.md"
SCALING = "admin/monitoring/scaling.md"

DB_LATENCY_WARN_MS = 50
DB_LATENCY_FAIL_MS = 500
DB_LONG_QUERY_SECONDS = 60
REDIS_MEMORY_WARN = 0.8
REDIS_MEMORY_FAIL = 0.95
BEAT_LATE_SECONDS = 3 * 60
BEAT_MISSING_SECONDS = 10 * 60
QUEUE_WAIT_WARN_SECONDS = 60
QUEUE_WAIT_FAIL_SECONDS = 15 * 60
WEB_P95_WARN_SECONDS = 1.0
WEB_ERROR_RATE_WARN = 0.01
WEB_ERROR_RATE_FAIL = 0.05
BACKUP_WARN_HOURS = 26
BACKUP_FAIL_HOURS = 50

IN_PROCESS = "not configured: tasks run inside the web process (REDIS_URL is not set)"


def _age(seconds: float | None) -> str:
    if seconds is None:
        return "never"
    seconds = int(seconds)
    if seconds < 120:
        return f"{seconds} s ago"
    if seconds < 2 * 3600:
        return f"{seconds // 60} min ago"
    if seconds < 2 * 86400:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} days ago"


def _megabytes(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


# --- database ------------------------------------------------------------------------------------------------------


def _postgres_details(cursor) -> tuple[int, list[str], int]:
    cursor.execute("SET LOCAL statement_timeout = 2000")
    cursor.execute("SELECT pg_database_size(current_database())")
    size = cursor.fetchone()[0]
    cursor.execute(
        "SELECT relname, pg_total_relation_size(relid) FROM pg_catalog.pg_statio_user_tables ORDER BY 2 DESC LIMIT 5"
    )
    largest = [f"{name}: {_megabytes(n)}" for name, n in cursor.fetchall()]
    cursor.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND pid <> pg_backend_pid() "
        "AND now() - query_start > make_interval(secs => %s)",
        [DB_LONG_QUERY_SECONDS],
    )
    long_running = cursor.fetchone()[0]
    return size, largest, long_running


def check_database() -> Result:
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        latency_ms = (time.perf_counter() - started) * 1000
    except Exception as exc:  # noqa: BLE001 - any driver error means "unreachable"
        return Result(
            FAIL,
            f"unreachable: {type(exc).__name__}",
            "reachable",
            "The database does not answer: check that PostgreSQL runs and DATABASE_URL points at it.",
            f"{DOCS}#database",
        )
    details: list[str] = []
    long_running = 0
    if connection.vendor == "postgresql":
        with transaction.atomic(using=DEFAULT_DB_ALIAS), connection.cursor() as cursor:
            size, largest, long_running = _postgres_details(cursor)
        details = [f"size {_megabytes(size)}", "largest tables: " + ", ".join(largest)]
    elif connection.vendor == "sqlite":
        name = str(connection.settings_dict.get("NAME", ""))
        if Path(name).is_file():
            details = [f"size {_megabytes(Path(name).stat().st_size)} (SQLite file)"]
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    value = f"round trip {latency_ms:.0f} ms"
    threshold = f"under {DB_LATENCY_WARN_MS} ms; no unapplied migrations; no query over {DB_LONG_QUERY_SECONDS} s"
    if pending:
        details.append("unapplied: " + ", ".join(f"{m.app_label}.{m.name}" for m, _ in pending[:10]))
        return Result(
            FAIL,
            f"{value}; {len(pending)} unapplied migrations",
            threshold,
            "Run `python manage.py migrate`: the code expects tables the database does not have yet.",
            f"{DOCS}#database",
            tuple(details),
        )
    status, advice = OK, ""
    if latency_ms > DB_LATENCY_WARN_MS or long_running:
        status = FAIL if latency_ms > DB_LATENCY_FAIL_MS else WARN
        advice = "The database is slow to answer: see the database section of the scaling guide."
    if long_running:
        value += f"; {long_running} queries running over {DB_LONG_QUERY_SECONDS} s"
    return Result(status, value, threshold, advice, f"{SCALING}#the-database", tuple(details))


# --- broker --------------------------------------------------------------------------------------------------------


def check_broker() -> Result:
    if not store.configured():
        return Result(OK, IN_PROCESS, "", "For more than a few people, set REDIS_URL and run a worker.", DOCS)
    conn = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        info = conn.info("memory")
    except redis.RedisError as exc:
        return Result(
            FAIL,
            f"unreachable: {exc}",
            "reachable",
            "Redis does not answer: start it (or check REDIS_URL). Tasks are not queued meanwhile; "
            "the web pages keep working.",
            f"{DOCS}#redis--broker",
        )
    finally:
        conn.close()
    used, limit = int(info.get("used_memory", 0)), int(info.get("maxmemory", 0))
    if not limit:
        return Result(
            OK,
            f"reachable; {_megabytes(used)} used, no memory limit set",
            f"under {REDIS_MEMORY_WARN:.0%} of maxmemory",
            "",
            f"{SCALING}#redis",
        )
    share = used / limit
    status = FAIL if share > REDIS_MEMORY_FAIL else WARN if share > REDIS_MEMORY_WARN else OK
    return Result(
        status,
        f"reachable; {_megabytes(used)} of {_megabytes(limit)} ({share:.0%})",
        f"under {REDIS_MEMORY_WARN:.0%} of maxmemory",
        "" if status == OK else "Redis is nearly full: give it more memory or see why the queue grows.",
        f"{SCALING}#redis",
    )


# --- workers, beat, queue --------------------------------------------------------------------------------------------


def _redis_unknown(exc: Exception, section: str) -> Result:
    """Heartbeats and queues live in Redis: while it does not answer, their state is unknown (and that is red)."""
    return Result(FAIL, f"unknown: Redis does not answer ({exc})", "", "Start Redis first.", f"{DOCS}#{section}")


def _ping_workers(timeout: float = 1.0) -> list[str]:
    from timetracker.celery import app

    try:
        replies = app.control.inspect(timeout=timeout).ping() or {}
    except Exception:  # noqa: BLE001 - the broker may be down; the heartbeats still tell
        return []
    return sorted(replies)


def check_workers() -> Result:
    if not store.configured():
        return Result(OK, IN_PROCESS, "", "", DOCS)
    try:
        beats = heartbeats.read()
    except redis.RedisError as exc:
        return _redis_unknown(exc, "workers")
    alive = sorted(name for name, age in beats["workers"].items() if age < heartbeats.WORKER_DEAD_AFTER)
    answered = _ping_workers()
    names = sorted(set(alive) | set(answered))
    last = f"last task finished {_age(beats['last_task_age'])}"
    threshold = f"at least one worker with a heartbeat under {heartbeats.WORKER_DEAD_AFTER} s"
    if not names:
        return Result(
            FAIL,
            f"no worker alive; {last}",
            threshold,
            "Start a worker: `celery -A timetracker worker`. Until then syncs, notices and summaries wait.",
            f"{SCALING}#workers",
        )
    return Result(
        OK,
        f"{len(names)} alive; {last}",
        threshold,
        "",
        f"{SCALING}#workers",
        tuple(names),
    )


def check_beat() -> Result:
    if not store.configured():
        return Result(OK, IN_PROCESS, "", "", DOCS)
    try:
        age = heartbeats.read()["beat_age"]
    except redis.RedisError as exc:
        return _redis_unknown(exc, "beat")
    threshold = f"a tick within {BEAT_LATE_SECONDS // 60} min (red after {BEAT_MISSING_SECONDS // 60} min)"
    why = "Without beat no periodic job runs: syncs, daily summaries and clean-ups stop."
    if age is None or age > BEAT_MISSING_SECONDS:
        return Result(
            FAIL,
            f"last tick {_age(age)}",
            threshold,
            f"{why} Start it: `celery -A timetracker beat` (exactly one), and check that a worker runs: "
            "the heartbeat is a task.",
            f"{DOCS}#beat",
        )
    if age > BEAT_LATE_SECONDS:
        return Result(
            WARN,
            f"last tick {_age(age)}",
            threshold,
            f"{why} Beat is late: check that it and a worker run.",
            f"{DOCS}#beat",
        )
    return Result(OK, f"last tick {_age(age)}", threshold, "", f"{DOCS}#beat")


def check_queue() -> Result:
    if not store.configured():
        return Result(OK, IN_PROCESS, "", "", DOCS)
    try:
        stats = queues.queue_stats()
    except redis.RedisError as exc:
        return _redis_unknown(exc, "queue")
    depth = sum(s["depth"] for s in stats.values())
    ages = [s["oldest_age"] for s in stats.values() if s["oldest_age"] is not None]
    oldest = max(ages) if ages else None
    value = f"{depth} waiting" + (f"; oldest waits since {_age(oldest).removesuffix(' ago')}" if oldest else "")
    threshold = f"oldest task waits under {QUEUE_WAIT_WARN_SECONDS} s (red after {QUEUE_WAIT_FAIL_SECONDS // 60} min)"
    details = tuple(
        f"{name}: {s['depth']} waiting" + (f", oldest {int(s['oldest_age'])} s" if s["oldest_age"] else "")
        for name, s in stats.items()
    )
    if oldest is not None and oldest > QUEUE_WAIT_FAIL_SECONDS:
        return Result(
            FAIL,
            value,
            threshold,
            "The queue has been growing for 15 minutes: add a worker (or start one if none runs).",
            f"{SCALING}#workers",
            details,
        )
    if oldest is not None and oldest > QUEUE_WAIT_WARN_SECONDS:
        return Result(WARN, value, threshold, "Tasks wait: if it lasts, add a worker.", f"{SCALING}#workers", details)
    return Result(OK, value, threshold, "", f"{SCALING}#workers", details)


# --- web -----------------------------------------------------------------------------------------------------------


def _seconds(value: float | None) -> str:
    if value is None:
        return "-"
    if value == float("inf"):
        return f"over {webstats.BUCKETS[-2]:g} s"
    return f"≤ {value * 1000:.0f} ms" if value < 1 else f"≤ {value:g} s"


def check_web() -> Result:
    groups = webstats.summary()
    threshold = f"p95 under {WEB_P95_WARN_SECONDS:g} s; errors under {WEB_ERROR_RATE_WARN:.0%}"
    if not groups:
        return Result(OK, "no requests in the last hour", threshold, "", f"{SCALING}#web-processes")
    details = tuple(
        f"{group}: {g['requests']} requests, p50 {_seconds(g['p50'])}, p95 {_seconds(g['p95'])}, "
        f"{g['errors']} errors ({g['error_rate']:.1%})"
        for group, g in groups.items()
    )
    requests = sum(g["requests"] for g in groups.values())
    errors = sum(g["errors"] for g in groups.values())
    rate = errors / requests
    slow = [group for group, g in groups.items() if (g["p95"] or 0) > WEB_P95_WARN_SECONDS]
    value = f"{requests} requests in the last hour, {rate:.1%} errors" + (f"; slow: {', '.join(slow)}" if slow else "")
    if rate > WEB_ERROR_RATE_FAIL:
        status, advice = FAIL, "Many requests fail: read the web process's log for the errors."
    elif rate > WEB_ERROR_RATE_WARN or slow:
        status = WARN
        advice = (
            "p95 above 1 s: with the database idle, add web processes; with the database busy, see the database "
            "section."
            if slow
            else "Some requests fail: read the web process's log."
        )
    else:
        status, advice = OK, ""
    return Result(status, value, threshold, advice, f"{SCALING}#web-processes", details)


# --- installation and backups ----------------------------------------------------------------------------------------


def _database_version() -> str:
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "postgresql":
        major, minor = divmod(connection.pg_version, 10000)
        return f"PostgreSQL {major}.{minor}"
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    return connection.vendor


def check_installation() -> Result:
    unsafe = []
    if settings.DEBUG:
        unsafe.append("DEBUG is on")
    for message in django_checks.run_checks(include_deployment_checks=True, tags=[django_checks.Tags.security]):
        if message.level >= django_checks.WARNING and message.id and message.id.startswith("security."):
            unsafe.append(f"{message.id}: {str(message.msg).split('.')[0]}")
    value = (
        f"TimeTracker {timetracker.__version__} ({deployment_method()}), Python {platform.python_version()}, "
        f"Django {django.get_version()}, {_database_version()}"
    )
    threshold = "DEBUG off and `check --deploy` clean"
    if unsafe:
        return Result(
            WARN,
            value + f"; {len(unsafe)} settings unsafe in production",
            threshold,
            "Fine on a laptop; in production set DEBUG=False, a real SECRET_KEY and the HTTPS settings.",
            "admin/deployment/README.md",
            tuple(unsafe),
        )
    return Result(OK, value, threshold, "", "admin/deployment/README.md")


def check_backups() -> Result:
    backup_dir = getattr(settings, "BACKUP_DIR", "")
    threshold = f"a backup within {BACKUP_WARN_HOURS} h (red after {BACKUP_FAIL_HOURS} h)"
    docs = "admin/deployment/README.md"
    if not backup_dir:
        return Result(WARN, "unknown: BACKUP_DIR is not set", threshold, "Set up backups and BACKUP_DIR.", docs)
    record = Path(backup_dir) / "last-backup.json"
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
        finished = datetime.fromisoformat(str(data["finished_at"]).replace("Z", "+00:00"))
        if finished.tzinfo is None:
            finished = finished.replace(tzinfo=UTC)
    except FileNotFoundError:
        return Result(FAIL, f"no backup recorded in {backup_dir}", threshold, "Run a backup now.", docs)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return Result(FAIL, f"unreadable {record.name}: {type(exc).__name__}", threshold, "Run a backup now.", docs)
    hours = (datetime.now(UTC) - finished).total_seconds() / 3600
    size = data.get("bytes")
    value = f"last backup {_age(hours * 3600)}: {data.get('file', '?')}" + (
        f" ({_megabytes(int(size))})" if isinstance(size, int) else ""
    )
    if hours > BACKUP_FAIL_HOURS:
        return Result(FAIL, value, threshold, "Backups stopped: run one now and check the scheduled job.", docs)
    if hours > BACKUP_WARN_HOURS:
        return Result(WARN, value, threshold, "The daily backup is late: check the scheduled job.", docs)
    return Result(OK, value, threshold, "", docs)


def register() -> None:
    health.register("database", check_database, timeout=4, order=10)
    health.register("broker", check_broker, timeout=3, order=20)
    health.register("workers", check_workers, timeout=3, order=30)
    health.register("beat", check_beat, timeout=3, order=40)
    health.register("queue", check_queue, timeout=3, order=50)
    health.register("web", check_web, timeout=3, order=60)
    health.register("installation", check_installation, timeout=4, order=80)
    health.register("backups", check_backups, timeout=2, order=90)
