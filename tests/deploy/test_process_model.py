"""The production process model, run without containers: the roles of deploy/entrypoint.sh as real processes.

A fresh PostgreSQL database is set up by the one-shot `migrate` role; then a Celery `worker`, Celery `beat` and two
`web` instances (gunicorn; the first with two worker processes) start from the entry point with only the
environment a container gets (DEBUG=False, no DJANGO_SETTINGS_MODULE), over the same database and Redis, with Slack
pointed at a local stand-in. A second beat runs too, by mistake, and must change nothing.

The tests drive real flows over HTTP: static files served with DEBUG=False, sign-in, a timer through the API, the
Slack notice delivered by the worker, a scheduled job enqueued by beat, and a session that moves between the two
web processes (timer started on one, stopped on the other, throttles counted across both). The last test stops
every role with SIGTERM, as `docker compose stop` does, and expects a clean exit.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
import requests
from django.conf import settings

from integrations.tests.slack.conftest import BOT_TOKEN, SIGNING_SECRET, SLACK_USER, TEAM_CHANNEL, FakeSlack

ROOT = Path(__file__).resolve().parent.parent.parent
ENTRYPOINT = ROOT / "deploy" / "entrypoint.sh"
HEALTHCHECK = ROOT / "deploy" / "healthcheck.py"
ON_POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]
THROTTLE = 20  # API requests per minute and token, counted across every web process

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.skipif(
        not (ON_POSTGRES and settings.REDIS_URL), reason="needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL)"
    ),
]

# Run in the container's environment with `manage shell -c`; V holds the Slack stand-in's credentials.
SETUP = """
import json
V = json.loads(VALUES)
from datetime import timedelta
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask
from accounts.models import User
from integrations import services
from integrations.connectors.slack.models import SlackUserPreference
from tracking.demo import seed_demo

seed_demo()
admin = User.objects.get(username="admin")
services.integration_configure(
    actor=admin, provider="slack", owner=None, is_active=True,
    config={"default_channel": V["channel"], "notify_on_start": True, "notify_on_stop": True},
    secrets={"signing_secret": V["signing"], "bot_token": V["token"]},
)
sam = User.objects.get(username="sam")
sam.slack_user_id = V["slack_user"]
sam.save(update_fields=["slack_user_id"])
local_now = timezone.localtime(timezone.now(), sam.tzinfo)
SlackUserPreference.objects.update_or_create(
    user=sam, defaults={"daily_summary": True, "summary_time": (local_now - timedelta(minutes=1)).time()}
)
# The daily-summaries job runs every 5 minutes; every 2 seconds here, as an admin may change it in the admin.
every, _ = IntervalSchedule.objects.get_or_create(every=2, period=IntervalSchedule.SECONDS)
changed = PeriodicTask.objects.filter(name="slack: daily summaries").update(interval=every, crontab=None)
assert changed == 1, "setup_periodic_tasks (the migrate role) did not create the job"
print(json.dumps({"ready": True}))
"""
SETUP_VALUES = {"channel": TEAM_CHANNEL, "signing": SIGNING_SECRET, "token": BOT_TOKEN, "slack_user": SLACK_USER}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def admin_url(url: str, name: str) -> str:
    return urlsplit(url)._replace(path=f"/{name}").geturl()


class Stack:
    """The roles as processes, with the environment a container would get from compose.yaml and .env."""

    def __init__(self, tmp: Path, database_url: str, slack_api_url: str):
        self.tmp = tmp
        self.logs = tmp / "logs"
        self.logs.mkdir()
        self.env = {
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            "HOME": str(tmp),
            "LANG": "C.UTF-8",
            "DEBUG": "False",
            "SECRET_KEY": "process-model-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database_url,
            "REDIS_URL": settings.REDIS_URL,
            # Throttle and rate-limit counters of this installation, apart from the test session's in the same Redis.
            "CACHE_KEY_PREFIX": f"processes-{os.getpid()}-{time.time_ns()}",
            "STATIC_ROOT": str(tmp / "static"),
            "BACKUP_DIR": str(tmp / "backups"),
            "SLACK_API_URL": slack_api_url,
            "SLACK_API_TIMEOUT": "3",
            "API_THROTTLE_RATE": f"{THROTTLE}/minute",
            # HTTPS as in the production example: the test plays the TLS proxy (AsBehindTheProxy) ...
            "USE_X_FORWARDED_PROTO": "True",
            "SECURE_SSL_REDIRECT": "True",
            "SECURE_HSTS_SECONDS": "3600",
            # ... but talks plain HTTP to gunicorn, where a client keeps HTTPS-only cookies to itself.
            "SESSION_COOKIE_SECURE": "False",
            "CSRF_COOKIE_SECURE": "False",
            "CELERY_WORKER_CONCURRENCY": "1",
            "GUNICORN_ACCESS_LOG": "false",
            "LOG_LEVEL": "WARNING",
        }
        self.processes: dict[str, subprocess.Popen] = {}
        self.ports: dict[str, int] = {}

    def run(self, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
        result = subprocess.run(  # noqa: S603 - fixed arguments
            [str(ENTRYPOINT), *args], env=self.env, capture_output=True, text=True, timeout=timeout
        )
        assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
        return result

    def start(self, name: str, role: str, **env: str) -> subprocess.Popen:
        log = (self.logs / f"{name}.log").open("w")
        process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [str(ENTRYPOINT), role],
            env={**self.env, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[name] = process
        return process

    def start_web(self, name: str, workers: int) -> None:
        port = free_port()
        self.ports[name] = port
        self.start(name, "web", GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS=str(workers))

    def url(self, name: str, path: str = "") -> str:
        return f"http://127.0.0.1:{self.ports[name]}{path}"

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text()

    def healthcheck(self, url: str) -> subprocess.CompletedProcess:
        return subprocess.run(  # noqa: S603 - fixed arguments
            [sys.executable, str(HEALTHCHECK)],
            env={**self.env, "HEALTHCHECK_URL": url},
            capture_output=True,
            text=True,
            timeout=30,
        )

    def wait_healthy(self, name: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            process = self.processes[name]
            assert process.poll() is None, f"{name} exited with {process.returncode}:\n{self.log(name)}"
            if self.healthcheck(self.url(name, "/healthz")).returncode == 0:
                return
            time.sleep(0.5)
        raise AssertionError(f"{name} never became healthy:\n{self.log(name)}")

    def stop(self, name: str, timeout: float = 60) -> int:
        process = self.processes[name]
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        return process.wait(timeout=timeout)

    def kill_all(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                with suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


@pytest.fixture(scope="module")
def fake_slack():
    with FakeSlack() as fake:
        yield fake


@pytest.fixture(scope="module")
def stack(tmp_path_factory, fake_slack):
    base = settings.DATABASES["default"]
    name = f"{base['NAME']}_processes"
    auth = base["USER"] or "postgres"
    if base.get("PASSWORD"):
        auth += f":{base['PASSWORD']}"
    server = f"postgres://{auth}@{base['HOST'] or '127.0.0.1'}:{base['PORT'] or 5432}"

    def drop():
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    drop()
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    stack = Stack(tmp_path_factory.mktemp("stack"), f"{server}/{name}", fake_slack.api_url)
    try:
        migrated = stack.run("migrate")
        assert "Periodic tasks:" in migrated.stdout
        stack.run("manage", "collectstatic", "--noinput", "--verbosity", "0")  # the image does this at build time
        script = f"VALUES = {json.dumps(SETUP_VALUES)!r}\n{SETUP}"
        assert json.loads(stack.run("manage", "shell", "-c", script).stdout.strip().splitlines()[-1])["ready"]
        token = stack.run(
            "manage", "create_api_token", "alex", "--name", "load test", "--scopes", "read:projects"
        ).stdout.strip()
        stack.api_token = token.splitlines()[-1]
        stack.start("worker", "worker")
        stack.start("beat", "beat")
        stack.start("beat2", "beat")  # by mistake: a second scheduler must be harmless
        stack.start_web("web1", workers=2)
        stack.start_web("web2", workers=1)
        stack.wait_healthy("web1")
        stack.wait_healthy("web2")
        yield stack
    finally:
        stack.kill_all()
        drop()


class AsBehindTheProxy(requests.auth.AuthBase):
    """Each request as the app sees it behind the TLS proxy: X-Forwarded-Proto says HTTPS, and (as a browser sends
    on HTTPS) a same-origin Referer, which Django's CSRF check requires for HTTPS posts."""

    def __call__(self, request):
        request.headers["X-Forwarded-Proto"] = "https"
        request.headers.setdefault("Referer", f"https://{urlsplit(request.url).netloc}/")
        return request


def client() -> requests.Session:
    session = requests.Session()
    session.auth = AsBehindTheProxy()
    return session


def sign_in(session: requests.Session, base: str, username: str) -> None:
    page = session.get(f"{base}/accounts/login/", timeout=30)
    assert page.status_code == 200
    response = session.post(
        f"{base}/accounts/login/",
        data={"login": username, "password": "demo1234", "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        timeout=30,
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:2000]
    assert "sessionid" in session.cookies


def api(session: requests.Session, method: str, url: str, **kwargs) -> requests.Response:
    headers = {"X-CSRFToken": session.cookies.get("csrftoken", ""), **kwargs.pop("headers", {})}
    return session.request(method, url, headers=headers, timeout=30, **kwargs)


def wait_for(predicate, timeout: float, what: str, stack: Stack):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.25)
    logs = f"worker:\n{stack.log('worker')}\nbeat:\n{stack.log('beat')}"
    raise AssertionError(f"{what} did not happen in {timeout} s.\n{logs}")


def a_project(session: requests.Session, base: str) -> int:
    response = api(session, "GET", f"{base}/api/v1/projects/")
    assert response.status_code == 200, response.text
    return response.json()["results"][0]["id"]


def test_plain_http_is_redirected_to_https_but_the_health_probe_is_not(stack):
    plain = requests.get(stack.url("web1", "/accounts/login/"), timeout=30, allow_redirects=False)
    assert plain.status_code == 301
    assert plain.headers["Location"] == f"https://127.0.0.1:{stack.ports['web1']}/accounts/login/"
    assert requests.get(stack.url("web1", "/healthz"), timeout=30, allow_redirects=False).status_code == 200
    with client() as session:
        secure = session.get(stack.url("web1", "/accounts/login/"), timeout=30, allow_redirects=False)
    assert secure.status_code == 200
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=3600")


def test_static_files_are_served_by_the_web_role_with_debug_off(stack):
    with client() as session:
        page = session.get(stack.url("web1", "/accounts/login/"), timeout=30)
    assert page.status_code == 200
    stylesheets = re.findall(r'href="(/static/[^"]+\.css)"', page.text)
    assert stylesheets, "the sign-in page links no stylesheet"
    for href in stylesheets:
        assert re.search(r"\.[0-9a-f]{12}\.css$", href), f"{href} is not a hashed (collected) file"
        response = session.get(stack.url("web1", href), timeout=30)
        assert response.status_code == 200, href
        assert response.headers["Content-Type"].startswith("text/css")
        assert "immutable" in response.headers.get("Cache-Control", "")


def test_a_timer_through_the_api_reaches_slack_through_the_worker(stack, fake_slack):
    with client() as session:
        sign_in(session, stack.url("web1"), "sam")
        api(session, "POST", stack.url("web1", "/api/v1/timer/stop/"))  # the demo may leave one running
        project = a_project(session, stack.url("web1"))
        started = api(session, "POST", stack.url("web1", "/api/v1/timer/start/"), json={"project": project})
        assert started.status_code == 201, started.text
        stopped = api(session, "POST", stack.url("web1", "/api/v1/timer/stop/"))
        assert stopped.status_code == 200, stopped.text

    def notices():
        return [p for p in fake_slack.posted if p.get("channel") == TEAM_CHANNEL]

    posted = wait_for(lambda: len(notices()) >= 2 and notices(), 60, "the start and stop notices", stack)
    texts = [p["text"] for p in posted[:2]]
    assert "started the timer" in texts[0] and "stopped the timer" in texts[1], texts
    assert all(f"<@{SLACK_USER}>" in text for text in texts)


def test_beat_enqueues_the_scheduled_summary_and_the_worker_sends_it_once_despite_two_beats(stack, fake_slack):
    def summaries():
        return [p for p in fake_slack.posted if p.get("channel") == SLACK_USER]

    sent = wait_for(summaries, 90, "the daily summary (beat -> worker -> Slack)", stack)
    assert "Your TimeTracker day" in sent[0]["text"]
    time.sleep(5)  # both beats keep enqueueing the job every 2 s: the summary still goes out once
    assert len(summaries()) == 1


def test_a_session_moves_between_web_processes(stack):
    with client() as session:
        sign_in(session, stack.url("web1"), "sam")
        # Signed in on web1, the session is known on web2: the dashboard answers instead of the sign-in page.
        dashboard = session.get(stack.url("web2", "/"), timeout=30, allow_redirects=False)
        assert dashboard.status_code == 200, dashboard.headers.get("Location")
        api(session, "POST", stack.url("web2", "/api/v1/timer/stop/"))
        project = a_project(session, stack.url("web2"))

        started = api(session, "POST", stack.url("web1", "/api/v1/timer/start/"), json={"project": project})
        assert started.status_code == 201, started.text
        running = api(session, "GET", stack.url("web2", "/api/v1/timer/"))
        assert running.status_code == 200 and running.json()["entry"]["id"] == started.json()["id"]
        stopped = api(session, "POST", stack.url("web2", "/api/v1/timer/stop/"))
        assert stopped.status_code == 200, stopped.text
        assert stopped.json()["id"] == started.json()["id"] and stopped.json()["end"]

        # An Idempotency-Key sent to one process and retried on the other replays the first answer.
        key = {"Idempotency-Key": f"deploy-{time.time_ns()}"}
        first = api(session, "POST", stack.url("web1", "/api/v1/timer/start/"), json={"project": project}, headers=key)
        again = api(session, "POST", stack.url("web2", "/api/v1/timer/start/"), json={"project": project}, headers=key)
        assert first.status_code == again.status_code == 201
        assert again.headers.get("Idempotent-Replayed") == "true" and again.json()["id"] == first.json()["id"]
        api(session, "POST", stack.url("web2", "/api/v1/timer/stop/"))


def test_throttles_count_requests_across_web_processes(stack):
    headers = {"Authorization": f"Bearer {stack.api_token}"}
    answers = []
    with client() as session:
        for n in range(THROTTLE + 1):
            base = stack.url("web1" if n % 2 == 0 else "web2")
            answers.append(session.get(f"{base}/api/v1/projects/", headers=headers, timeout=30).status_code)
    # Counted per process, each would have let through all of its (at most 11) requests.
    assert answers[:THROTTLE] == [200] * THROTTLE and answers[THROTTLE] == 429, answers


def test_the_healthcheck_fails_when_nothing_answers(stack):
    result = stack.healthcheck(f"http://127.0.0.1:{free_port()}/healthz")
    assert result.returncode == 1 and "unhealthy" in result.stdout


def test_every_role_stops_cleanly_on_sigterm(stack):
    for name in ("web1", "web2", "worker", "beat", "beat2"):
        assert stack.stop(name) == 0, f"{name}:\n{stack.log(name)}"
    assert not [name for name in stack.processes if "Traceback" in stack.log(name)]
