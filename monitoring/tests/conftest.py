"""Fixtures for the monitoring tests: a clean slate in Redis (when REDIS_URL is set) and in memory."""

from __future__ import annotations

import socket
import threading

import pytest
import redis
from django.conf import settings

from monitoring import store, webstats

REDIS_URL = settings.REDIS_URL


@pytest.fixture(autouse=True)
def fresh_monitoring_state():
    """Forget counters and heartbeats of earlier tests; leave nothing behind."""

    def clean():
        store.reset()
        webstats.clear_memory()
        if REDIS_URL:  # the test run's Redis, whatever a test set REDIS_URL to
            with redis.Redis.from_url(REDIS_URL) as conn:
                keys = list(conn.scan_iter(match=store.PREFIX + "*"))
                if keys:
                    conn.delete(*keys)

    clean()
    yield
    clean()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def silent_server():
    """A TCP server that accepts connections and never answers: a dependency that hangs."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join(2)
    for conn in accepted:
        conn.close()
    server.close()


@pytest.fixture
def closed_port():
    """A port nothing listens on: a dependency that is down."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port
