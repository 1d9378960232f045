"""Work that runs after the response has gone out: `after_response(fn)`.

Inside a request, `fn` waits until the response is sent (Django's request_finished, which WSGI and ASGI servers
send once the body is written), so the person who started a timer is not kept waiting by a notice to a slow
provider. Outside a request (a task, a management command) it runs at once. Errors are logged, never raised.

The work runs before Django's own request_finished receiver (`close_old_connections`), on the database connection
as the request left it: that receiver marks the connection for a health check (a `SELECT 1` round trip with
CONN_HEALTH_CHECKS) which the deferred work would otherwise pay again after every request; it runs once the work
is done, closing a connection past its CONN_MAX_AGE as before. A request that left a connection in error has it
checked (and replaced if need be) first, as Django would.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable

from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections

logger = logging.getLogger(__name__)

_pending: contextvars.ContextVar[list | None] = contextvars.ContextVar("after_response", default=None)


def _run(fn: Callable[[], object]) -> None:
    try:
        fn()
    except Exception:
        logger.exception("Work deferred after the response failed")


def after_response(fn: Callable[[], object]) -> None:
    pending = _pending.get()
    if pending is None:
        _run(fn)
    else:
        pending.append(fn)


def _on_request_started(sender, **kwargs) -> None:
    _pending.set([])


def _on_request_finished(sender, **kwargs) -> None:
    pending = _pending.get()
    _pending.set(None)
    if not pending:
        return
    if any(conn.errors_occurred for conn in connections.all(initialized_only=True)):
        close_old_connections()
    for fn in pending:
        _run(fn)


def connect() -> None:
    request_started.connect(_on_request_started, dispatch_uid="outbox.deferred.started")
    request_finished.connect(_on_request_finished, dispatch_uid="outbox.deferred.finished")
    # Django connected close_old_connections when django.db was imported: connected again, it runs after the work.
    request_finished.disconnect(close_old_connections)
    request_finished.connect(close_old_connections)
