"""Redis dies in the middle of a burst of API and page requests: no answer is a 5xx and every write is kept.

The test starts its own redis-server on a free port as the cache and the Celery broker, with the production
settings for both (the fail-open cache, throttles on, tasks sent to the broker, no worker), kills it with SIGKILL
half-way through, then starts it again on the same port: the tasks the broker refused meanwhile wait in the
outbox and are sent by its flush. Runs on the embedded SQLite and, in CI, on PostgreSQL.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
import redis
from celery import current_app
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.services import api_token_create
from tests.brokers import broker, free_port
from timetracker.outbox.models import OutboxTask
from timetracker.outbox.services import outbox_flush
from tracking.models import TimeEntry

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server (Debian package redis-server)"),
]

PAGES = ["dashboard", "entry_list", "entry_week", "report", "project_list", "help"]


class RedisServer:
    def __init__(self, port: int):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> RedisServer:
        self.process = subprocess.Popen(  # noqa: S603
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        for _ in range(100):
            try:
                if client.ping():
                    return self
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def queue_length(self) -> int:
        return redis.Redis(port=self.port).llen(current_app.conf.task_default_queue)


@contextmanager
def redis_as_cache_and_broker(settings, server: RedisServer):
    settings.REDIS_URL = server.url
    settings.CACHES = {
        "default": {
            "BACKEND": "timetracker.cache.FailOpenRedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "RETRY_SECONDS": 1},
        }
    }
    settings.API_THROTTLE_RATE = "600/minute"
    settings.API_AUTH_FAILURE_RATE = "60/minute"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with broker(server.url):
        yield


@pytest.fixture
def redis_server():
    server = RedisServer(free_port()).start()
    yield server
    server.kill()


def test_killing_redis_mid_burst_gives_no_5xx_and_loses_no_write(settings, redis_server, member, project):
    _, raw = api_token_create(actor=member, name="burst", scopes="read:time_entries write:time_entries")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    web = Client()
    web.force_login(member)
    guesser = APIClient()
    guesser.credentials(HTTP_AUTHORIZATION="Bearer tt_" + "x" * 40)
    statuses: list[tuple[str, int]] = []
    written: list[str] = []
    day = timezone.now() - timedelta(days=3)

    def burst(round_: int) -> None:
        for i in range(6):
            note = f"burst {round_}.{i}"
            start = day.replace(hour=8, minute=0) + timedelta(minutes=10 * (6 * round_ + i))
            response = api.post(
                "/api/v1/time-entries/",
                {
                    "project": project.pk,
                    "start": start.isoformat(),
                    "end": (start + timedelta(minutes=5)).isoformat(),
                    "notes": note,
                },
                format="json",
            )
            statuses.append((f"POST entry {note}", response.status_code))
            written.append(note)
        statuses.append(
            ("POST timer start", api.post("/api/v1/timer/start/", {"project": project.pk}, format="json").status_code)
        )
        statuses.append(("GET timer", api.get("/api/v1/timer/").status_code))
        statuses.append(("POST timer stop", api.post("/api/v1/timer/stop/").status_code))
        statuses.append(("GET entries", api.get("/api/v1/time-entries/").status_code))
        statuses.append(("bad token", guesser.get("/api/v1/time-entries/").status_code))
        for name in PAGES:
            statuses.append((f"page {name}", web.get(reverse(name)).status_code))
        response = web.post(reverse("timer_start"), {"project": project.pk})
        statuses.append(("web timer start", response.status_code))
        statuses.append(("web timer stop", web.post(reverse("timer_stop")).status_code))

    with redis_as_cache_and_broker(settings, redis_server):
        cache.set("probe", 1)
        assert cache.get("probe") == 1  # the cache really is this Redis
        burst(0)
        burst(1)
        assert not OutboxTask.objects.exists()
        queued_before = redis_server.queue_length()
        assert queued_before > 0  # timer notices went to the broker

        redis_server.kill()
        burst(2)
        burst(3)

        failures = [(what, code) for what, code in statuses if code >= 500]
        assert failures == []
        assert {code for _what, code in statuses} <= {200, 201, 302, 401, 429}
        assert set(TimeEntry.objects.filter(user=member).values_list("notes", flat=True)) >= set(written)
        assert TimeEntry.objects.filter(user=member, end__isnull=True).count() == 0  # every timer stopped
        waiting = OutboxTask.objects.count()
        assert waiting > 0  # the notices asked for while Redis was down are kept

        redis_server.start()  # back on the same port, empty
        time.sleep(1.1)  # the cache's RETRY_SECONDS
        assert outbox_flush() == {"sent": waiting, "waiting": 0}
        assert redis_server.queue_length() == waiting
        assert cache.get("probe") is None and (cache.set("probe", 2) or cache.get("probe") == 2)
