"""Benchmark: what monitoring costs — per request (the timing middleware), per health page, per usage page.

Prints the median and 95th percentile of:

  record (memory)   counting one request without Redis
  record (redis)    counting one request in Redis (only with REDIS_URL)
  run_checks        every registered health check, side by side (with REDIS_URL this includes the 1 s
                    `inspect ping`, which waits its whole timeout for replies)
  readyz            the readiness probe (database and broker)
  usage_overview    the usage page's figures for 30 teams of 10 people with 20 entries each

Runs on a SQLite database in a temporary folder; pass REDIS_URL=redis://127.0.0.1:6379/<db> to include Redis.

    .venv/bin/python monitoring/benchmarks/health_timings.py [--runs 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _report(name: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    print(
        f"{name:<18} median {statistics.median(ordered) * 1000:8.3f} ms   p95 {p95 * 1000:8.3f} ms   n={len(ordered)}"
    )


def _time(fn, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()

    # A file database (in a temporary folder), so the checks' threads see the same data.
    folder = tempfile.mkdtemp(prefix="tt-health-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timetracker.settings")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import RequestFactory

    call_command("migrate", verbosity=0)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast fixtures

    from accounts.models import Role
    from accounts.tests.factories import TeamFactory, UserFactory
    from monitoring import runner, store, usage, views, webstats
    from tracking.tests.factories import ProjectFactory, TimeEntryFactory

    redis_url = settings.REDIS_URL
    settings.REDIS_URL = ""
    store.reset()
    _report("record (memory)", _time(lambda: webstats.record("pages", 0.12, 200), args.runs * 10))
    if redis_url:
        settings.REDIS_URL = redis_url
        store.reset()
        _report("record (redis)", _time(lambda: webstats.record("pages", 0.12, 200), args.runs * 10))

    _report("run_checks", _time(runner.run_checks, max(3, args.runs // 20)))
    request = RequestFactory().get("/readyz")
    _report("readyz", _time(lambda: views.readyz(request), max(3, args.runs // 20)))

    project = ProjectFactory()
    admin = UserFactory(role=Role.ADMIN)
    for _ in range(30):
        people = UserFactory.create_batch(10, role=Role.MEMBER)
        TeamFactory(members=people)
        for person in people:
            TimeEntryFactory.create_batch(20, user=person, project=project)
    _report("usage_overview", _time(lambda: usage.usage_overview(viewer=admin), max(3, args.runs // 10)))


if __name__ == "__main__":
    main()
