"""Run the registered health checks side by side, each in its own thread, none longer than its deadline.

A check that raises is reported failed with the error's type; one that outlives its `timeout` is reported failed
as "no answer within N s" and left to finish in the background (its thread holds no lock the page needs). The
page and the API therefore answer within the longest timeout, whatever a dependency does.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

from django.db import connections

from timetracker import health
from timetracker.health import FAIL, Result

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    name: str
    result: Result
    seconds: float


def _close_after(fn):
    try:
        return fn()
    finally:
        connections.close_all()  # this thread's own connections


def run_checks(names: list[str] | None = None) -> list[Outcome]:
    selected = [c for c in health.checks() if names is None or c.name in names]
    executor = ThreadPoolExecutor(max_workers=max(1, len(selected)), thread_name_prefix="health-check")
    started = time.monotonic()
    futures = [(check, executor.submit(_close_after, check.run)) for check in selected]
    outcomes = []
    for check, future in futures:
        remaining = max(0.0, check.timeout - (time.monotonic() - started))
        try:
            result = future.result(timeout=remaining)
        except FutureTimeout:
            result = Result(
                FAIL,
                f"no answer within {check.timeout:g} s",
                "",
                "A dependency of this check hangs: see the check's section in the docs.",
                "admin/monitoring/health-checks.md",
            )
        except Exception as exc:
            logger.exception("health check %s failed", check.name)
            result = Result(FAIL, f"the check failed: {type(exc).__name__}", "", "Read the web process's log.")
        outcomes.append(Outcome(check.name, result, time.monotonic() - started))
    executor.shutdown(wait=False, cancel_futures=True)
    return outcomes


def probe(tasks: dict, timeout: float) -> dict[str, bool]:
    """Run each callable of `tasks` in a thread; {name: True when it returned within `timeout` without raising}."""
    executor = ThreadPoolExecutor(max_workers=max(1, len(tasks)), thread_name_prefix="readiness")
    started = time.monotonic()
    futures = {name: executor.submit(_close_after, fn) for name, fn in tasks.items()}
    answers = {}
    for name, future in futures.items():
        try:
            future.result(timeout=max(0.0, timeout - (time.monotonic() - started)))
            answers[name] = True
        except FutureTimeout:
            answers[name] = False
        except Exception as exc:  # noqa: BLE001 - any error means "not ready"
            logger.warning("readiness: %s is unavailable: %s", name, exc)
            answers[name] = False
    executor.shutdown(wait=False, cancel_futures=True)
    return answers
