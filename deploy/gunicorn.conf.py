"""Gunicorn's settings for the `web` role (deploy/entrypoint.sh), tuned from the environment.

Every value has a default that suits a small installation; docs/admin/deployment/scaling.md explains the knobs.
"""

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("GUNICORN_BIND", "").strip() or "0.0.0.0:8000"  # noqa: S104 - inside a container
# Processes: each holds its own database connection per thread; see scaling.md before raising.
workers = _int("GUNICORN_WORKERS", 3)
# Threads per process (gthread): requests waiting on the database overlap without more memory.
threads = _int("GUNICORN_THREADS", 2)
worker_class = "gthread" if threads > 1 else "sync"
# A request running longer than this is killed and its worker replaced (reports and exports stay well under it).
timeout = _int("GUNICORN_TIMEOUT", 60)
# On SIGTERM, requests in flight get this long to finish (a deploy loses no stopped timer).
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle a worker after this many requests (plus jitter, so they don't all restart at once); 0 never.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = max_requests // 10
# Logs go to standard output, like the app's own.
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG", "true").lower() in ("1", "true", "yes", "on") else None
errorlog = "-"
# Heartbeat files in memory, not on the container's overlay file system.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - gunicorn's heartbeat, not data
