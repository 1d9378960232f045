"""Pointing the Celery app at another broker for one test (a dead port, Celery's in-memory transport, a Redis the
test started), with a worker's settings: tasks are sent, not run in-process."""

from __future__ import annotations

import socket
from contextlib import contextmanager

from celery import current_app
from django.conf import settings


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _reset_pools(app) -> None:
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None


@contextmanager
def broker(url: str):
    app = current_app
    saved = app.conf.broker_url, app.conf.task_always_eager, app.conf.broker_transport_options
    app.conf.broker_url, app.conf.task_always_eager = url, False
    app.conf.broker_transport_options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    _reset_pools(app)
    try:
        yield app
    finally:
        app.conf.broker_url, app.conf.task_always_eager, app.conf.broker_transport_options = saved
        _reset_pools(app)
