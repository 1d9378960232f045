"""Benchmark: how much latency analytics adds to timer start/stop when PostHog is unreachable.

Runs timer_start + timer_stop N times on an in-memory SQLite database in three configurations and prints the
median and 95th percentile per operation:

  off          POSTHOG_API_KEY unset (no client at all)
  background   key set, host unreachable, the SDK's background queue (the production setting)
  sync         key set, host unreachable, synchronous sends (tests only; shows what a request would pay if the
               send were ever on the request path — it is not: events go through a Celery task)

Tasks run in-process (no REDIS_URL), as on a fresh clone, so "background" includes the task itself.

    .venv/bin/python analytics/benchmarks/timer_latency.py [--runs 200]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()

    # An in-memory database keeps disk flushes (which dwarf everything else) out of the figures.
    os.environ["DATABASE_URL"] = "sqlite://:memory:"
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timetracker.settings")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from accounts.models import Role
    from accounts.tests.factories import UserFactory
    from analytics.client import get_client, shutdown_client
    from tracking import services as tracking
    from tracking.tests.factories import ProjectFactory

    user = UserFactory(role=Role.MEMBER)
    project = ProjectFactory()
    host = f"http://127.0.0.1:{_closed_port()}"

    configurations = [("off", "", False), ("background", "phc_benchmark", False), ("sync", "phc_benchmark", True)]
    print(f"timer start/stop, {args.runs} runs each, PostHog unreachable at {host}")
    print(f"{'configuration':<12} {'operation':<6} {'median ms':>10} {'p95 ms':>10}")
    for name, key, sync in configurations:
        settings.POSTHOG_API_KEY, settings.POSTHOG_HOST, settings.POSTHOG_SYNC_MODE = key, host, sync
        get_client()  # build it outside the measurement, as a warm process would have it
        starts, stops = [], []
        runs = args.runs if not sync else max(10, args.runs // 10)
        warmup = 10
        for index in range(runs + warmup):
            t0 = time.perf_counter()
            entry = tracking.timer_start(actor=user, project=project)
            t1 = time.perf_counter()
            tracking.timer_stop(actor=user, end=entry.start + timedelta(seconds=1))
            t2 = time.perf_counter()
            entry.delete()
            if index >= warmup:
                starts.append((t1 - t0) * 1000)
                stops.append((t2 - t1) * 1000)
        for operation, samples in (("start", starts), ("stop", stops)):
            p95 = statistics.quantiles(samples, n=20)[-1]
            print(f"{name:<12} {operation:<6} {statistics.median(samples):>10.2f} {p95:>10.2f}")
        shutdown_client()


if __name__ == "__main__":
    main()
