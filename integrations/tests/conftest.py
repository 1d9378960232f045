"""Fixtures for the integrations tests: a configured GitHub integration, signed deliveries, a fake GitHub API."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from accounts.models import Role
from accounts.tests.factories import UserFactory
from integrations import services

FIXTURES = Path(__file__).parent / "fixtures" / "github"
WEBHOOK_SECRET = "test-webhook-secret-0123456789"
ACCESS_TOKEN = "ghp_abcdefghijklmnopqrstuvwxyz0123456789"


def payload(name: str) -> bytes:
    """The raw bytes of a real GitHub delivery, as GitHub sent them."""
    return (FIXTURES / f"{name}.json").read_bytes()


def closed_payload() -> bytes:
    """GitHub publishes no `closed` example: it is the reopened delivery with the action and state changed."""
    data = json.loads(payload("issues.reopened"))
    data["action"] = "closed"
    data["issue"]["state"] = "closed"
    data["issue"]["closed_at"] = "2019-05-15T16:00:00Z"
    return json.dumps(data).encode()


def sign(body: bytes, secret: str = WEBHOOK_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class Deliverer:
    """Posts deliveries the way GitHub does: raw JSON body, event and delivery headers, HMAC signature."""

    def __init__(self):
        self.client = Client(enforce_csrf_checks=True)

    def __call__(self, body: bytes, event: str, *, delivery=None, signature="sign", secret=WEBHOOK_SECRET, query=""):
        headers = {"HTTP_X_GITHUB_EVENT": event, "HTTP_X_GITHUB_DELIVERY": delivery or str(uuid.uuid4())}
        if signature == "sign":
            headers["HTTP_X_HUB_SIGNATURE_256"] = sign(body, secret)
        elif signature is not None:
            headers["HTTP_X_HUB_SIGNATURE_256"] = signature
        return self.client.post(
            f"/api/integrations/github/webhook{query}", data=body, content_type="application/json", **headers
        )


@pytest.fixture
def deliver(db):
    return Deliverer()


@pytest.fixture
def github(db, admin_user, project):
    """An active organisation-wide GitHub integration for Codertocat/Hello-World, as an admin would save it."""
    integration, _ = services.integration_configure(
        actor=admin_user,
        provider="github",
        owner=None,
        is_active=True,
        config={"repository": "Codertocat/Hello-World", "default_project": project.pk, "auto_start_timer": True},
        secrets={"webhook_secret": WEBHOOK_SECRET, "access_token": ACCESS_TOKEN},
    )
    return integration


@pytest.fixture
def codertocat(db):
    """The TimeTracker user whose GitHub username is the assignee in the fixtures."""
    return UserFactory(role=Role.MEMBER, github_username="Codertocat")


# -- a local server speaking GitHub's REST format ---------------------------------------------------------------------


class FakeGitHub:
    """Routes: GET /repos/<owner>/<name> and GET /repos/<owner>/<name>/issues (paginated with Link headers)."""

    def __init__(self):
        self.repository = "Codertocat/Hello-World"
        self.issues: list[dict] = []
        self.per_page = 2
        self.requests: list[dict] = []
        self.rate_limit_remaining_after_page: dict[int, tuple[int, int]] = {}  # page -> (remaining, reset)
        self.fail_status: int | None = None
        self.fail_next: list[int] = []  # statuses answered to the next requests, one each, before normal service
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def issue(self, number: int, title: str, *, labels=(), pull_request=False, state="open") -> dict:
        item = {
            "number": number,
            "title": title,
            "body": f"Body of {number}",
            "state": state,
            "html_url": f"https://github.com/{self.repository}/issues/{number}",
            "labels": [{"name": name} for name in labels],
        }
        if pull_request:
            item["pull_request"] = {"url": f"{self.url}/repos/{self.repository}/pulls/{number}"}
        self.issues.append(item)
        return item

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, status, data, headers=None):
                body = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                fake.requests.append({"path": parts.path, "query": query, "headers": dict(self.headers)})
                if fake.fail_next:
                    return self._json(fake.fail_next.pop(0), {"message": "Server Error"})
                if fake.fail_status:
                    return self._json(fake.fail_status, {"message": "Server Error"})
                if self.headers.get("Authorization") not in (None, f"Bearer {ACCESS_TOKEN}"):
                    return self._json(401, {"message": "Bad credentials"})
                repo_path = f"/repos/{fake.repository}"
                if parts.path == repo_path:
                    open_count = sum(1 for i in fake.issues if i["state"] == "open")
                    return self._json(200, {"full_name": fake.repository, "open_issues_count": open_count})
                if parts.path == f"{repo_path}/issues":
                    return self._issues(query)
                return self._json(404, {"message": "Not Found"})

            def do_POST(self):
                fake.requests.append({"path": self.path, "method": "POST", "headers": dict(self.headers)})
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status = fake.fail_next.pop(0) if fake.fail_next else 201
                return self._json(status, {})

            def _issues(self, query):
                items = [i for i in fake.issues if i["state"] == query.get("state", ["open"])[0]]
                page = int(query.get("page", ["1"])[0])
                per_page = fake.per_page
                chunk = items[(page - 1) * per_page : page * per_page]
                last = max(1, -(-len(items) // per_page))
                headers = {"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "4999", "X-RateLimit-Reset": "0"}
                if page in fake.rate_limit_remaining_after_page:
                    remaining, reset = fake.rate_limit_remaining_after_page[page]
                    headers.update({"X-RateLimit-Remaining": str(remaining), "X-RateLimit-Reset": str(reset)})
                # GitHub's next links point at /repositories/<id>/issues with the query carried over.
                base = f"{fake.url}/repos/{fake.repository}/issues?state=open&per_page={per_page}"
                links = []
                if page < last:
                    links.append(f'<{base}&page={page + 1}>; rel="next"')
                    links.append(f'<{base}&page={last}>; rel="last"')
                if links:
                    headers["Link"] = ", ".join(links)
                return self._json(200, chunk, headers)

        return Handler

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_github(settings):
    with FakeGitHub() as fake:
        settings.GITHUB_API_URL = fake.url
        yield fake


@pytest.fixture
def in_process_tasks(settings):
    """Run Celery tasks in-process (the embedded default) even when REDIS_URL points at a broker."""
    from timetracker.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    before = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = before
