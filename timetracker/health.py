"""The registry of health checks and metrics: each app contributes its own, the monitoring app shows them.

A check is a function taking no arguments and returning a `Result` (ok / warn / fail, the measured value, the
threshold and a plain-language next step). It is registered once, in the app's `AppConfig.ready()`:

    health.register("integrations", integrations_check, order=70)

A feature's adoption, shown on the usage page, is a function of the people in view (a queryset of user ids the
viewer may see) returning a count:

    health.register_usage("Saved reports", lambda people: SavedReport.objects.filter(owner__in=people).count())

A metric is a function returning a number, or `{labels: number}` with `labels` a tuple of (name, value) pairs:

    health.register_metric("timetracker_webhooks_rejected_total", "Webhook deliveries rejected.", count_fn,
                           kind="counter")

The monitoring app runs the checks each in a thread with a deadline (a hung dependency marks its check failed and
never hangs the page), and exports the metrics at /metrics. This module imports no app, so every app may use it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

OK = "ok"
WARN = "warn"
FAIL = "fail"
STATUSES = (OK, WARN, FAIL)


@dataclass(frozen=True)
class Result:
    status: str
    value: str
    threshold: str = ""
    advice: str = ""
    # A page under docs/ (e.g. "admin/monitoring/scaling.md#workers") the advice points to.
    docs: str = ""
    # Extra lines shown under the check (the largest tables, the failing connections).
    details: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {self.status!r}")


@dataclass(frozen=True)
class Check:
    name: str
    run: Callable[[], Result]
    timeout: float = 5.0
    order: int = 100


@dataclass(frozen=True)
class Metric:
    name: str
    documentation: str
    collect: Callable[[], float | dict[tuple[tuple[str, str], ...], float]]
    kind: str = "gauge"  # gauge | counter


@dataclass(frozen=True)
class Usage:
    label: str
    count: Callable  # (people: a queryset of user ids) -> int


_checks: dict[str, Check] = {}
_metrics: dict[str, Metric] = {}
_usage: dict[str, Usage] = {}


def register(name: str, run: Callable[[], Result], *, timeout: float = 5.0, order: int = 100) -> None:
    """Add (or replace, when registered again under the same name) a health check."""
    _checks[name] = Check(name=name, run=run, timeout=timeout, order=order)


def register_metric(name: str, documentation: str, collect: Callable, *, kind: str = "gauge") -> None:
    """Add (or replace) a metric exported at /metrics. `kind` is "gauge" or "counter"."""
    if kind not in ("gauge", "counter"):
        raise ValueError("kind must be 'gauge' or 'counter'")
    _metrics[name] = Metric(name=name, documentation=documentation, collect=collect, kind=kind)


def register_usage(label: str, count: Callable) -> None:
    """Add (or replace) a line of the usage page's "Features in use": `count(people)` for the people in view."""
    _usage[label] = Usage(label=label, count=count)


def usage() -> list[Usage]:
    return list(_usage.values())


def checks() -> list[Check]:
    return sorted(_checks.values(), key=lambda c: (c.order, c.name))


def metrics() -> list[Metric]:
    return sorted(_metrics.values(), key=lambda m: m.name)
