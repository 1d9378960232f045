"""Fixtures for the Slack tests: a configured integration, signed requests, and a local server speaking Slack.

Requests are signed with slack_sdk's own SignatureVerifier (Slack's client library), not with our code.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.test import Client
from slack_sdk.signature import SignatureVerifier

from accounts.tests.api_fixtures import _api_test_settings, api_as  # noqa: F401 - the subscriptions API
from integrations import services

SIGNING_SECRET = "0123456789abcdef0123456789abcdef"
BOT_TOKEN = "xoxb-test-0123456789-abcdefghijkl"
TEAM_CHANNEL = "C0TEAM1234"
SLACK_USER = "U2CERLKJA"


class FakeSlack:
    """Slack's Web API (`/api/<method>`, JSON answers with `ok`) and response_url endpoints (`/response/<n>`).

    `posted` holds every chat.postMessage payload; `responses` every message sent to a response_url.
    `mode`: None (answer normally), "error" (ok=false with `error_code`), "http500", "slow" (answer after `delay`),
    "hold" (answer once `release` is set: a provider that does not answer until the test says so).
    """

    def __init__(self):
        self.calls: list[dict] = []
        self.posted: list[dict] = []
        self.responses: list[dict] = []
        self.unfurled: list[dict] = []  # every chat.unfurl payload
        self.emails: dict[str, str] = {}  # email -> Slack user id
        self.channels: dict[str, bool] = {TEAM_CHANNEL: True}  # channel id -> the bot is a member (conversations.info)
        self.mode: str | None = None
        self.error_code = "channel_not_found"
        self.delay = 2.0
        self.fail_times = 0  # answer the next N Web API calls with ok=false, then recover
        self.release = threading.Event()
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, n: int = 1) -> str:
        return f"{self.url}/response/{n}"

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, status, data):
                body = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _params(self) -> dict:
                parts = urlsplit(self.path)
                params = {k: v[0] for k, v in parse_qs(parts.query).items()}
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                if raw:
                    if "json" in (self.headers.get("Content-Type") or ""):
                        params.update(json.loads(raw))
                    else:
                        params.update({k: v[0] for k, v in parse_qs(raw.decode()).items()})
                return params

            def do_GET(self):
                self._api()

            def do_POST(self):
                if self.path.startswith("/response/"):
                    with fake.lock:
                        fake.responses.append(self._params())
                    self.send_response(200)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                    return
                self._api()

            def _api(self):
                method = urlsplit(self.path).path.removeprefix("/api/")
                params = self._params()
                with fake.lock:
                    fake.calls.append({"method": method, "params": params, "auth": self.headers.get("Authorization")})
                if fake.mode == "slow":
                    time.sleep(fake.delay)
                if fake.mode == "hold":
                    fake.release.wait(timeout=30)
                if fake.mode == "http500":
                    body = b"<html>Internal Server Error</html>"
                    self.send_response(500)
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                if self.headers.get("Authorization") != f"Bearer {BOT_TOKEN}":
                    return self._json(200, {"ok": False, "error": "invalid_auth"})
                with fake.lock:
                    failing = fake.fail_times > 0
                    fake.fail_times -= failing
                if fake.mode == "error" or failing:
                    return self._json(200, {"ok": False, "error": fake.error_code})
                if method == "chat.postMessage":
                    with fake.lock:
                        fake.posted.append(params)
                    return self._json(200, {"ok": True, "channel": params.get("channel"), "ts": "1700000000.000100"})
                if method == "chat.unfurl":
                    with fake.lock:
                        fake.unfurled.append(params)
                    return self._json(200, {"ok": True})
                if method == "conversations.info":
                    channel = params.get("channel", "")
                    if channel not in fake.channels:
                        return self._json(200, {"ok": False, "error": "channel_not_found"})
                    return self._json(
                        200, {"ok": True, "channel": {"id": channel, "is_member": fake.channels[channel]}}
                    )
                if method == "auth.test":
                    return self._json(200, {"ok": True, "team": "Acme", "user": "timetracker", "team_id": "T1"})
                if method == "users.lookupByEmail":
                    user_id = fake.emails.get(params.get("email", ""))
                    if not user_id:
                        return self._json(200, {"ok": False, "error": "users_not_found"})
                    return self._json(200, {"ok": True, "user": {"id": user_id}})
                if method == "users.info":
                    email = next((e for e, uid in fake.emails.items() if uid == params.get("user")), "")
                    return self._json(
                        200, {"ok": True, "user": {"id": params.get("user"), "profile": {"email": email}}}
                    )
                return self._json(200, {"ok": False, "error": "unknown_method"})

        return Handler

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The factories hash a password per user; these tests never log in by password."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def fake_slack(settings):
    with FakeSlack() as fake:
        settings.SLACK_API_URL = fake.api_url
        settings.SLACK_API_TIMEOUT = 1
        yield fake


def set_up_slack(admin):
    """Save the active organisation-wide Slack integration as `admin` would (notices on start and stop)."""
    integration, _ = services.integration_configure(
        actor=admin,
        provider="slack",
        owner=None,
        is_active=True,
        config={"default_channel": TEAM_CHANNEL, "notify_on_start": True, "notify_on_stop": True},
        secrets={"signing_secret": SIGNING_SECRET, "bot_token": BOT_TOKEN},
    )
    return integration


@pytest.fixture
def slack(db, admin_user, fake_slack, in_process_tasks):
    """The active organisation-wide Slack integration, saved as an admin would."""
    return set_up_slack(admin_user)


@pytest.fixture
def linked(member):
    """A member whose Slack account is linked."""
    member.slack_user_id = SLACK_USER
    member.save(update_fields=["slack_user_id"])
    return member


def midday_timezone() -> str:
    """A time zone where it is now around midday, so "today" tests never straddle a local midnight."""
    offset = 12 - time.gmtime().tm_hour  # -11 .. +12; Etc/GMT signs are inverted (Etc/GMT-5 is UTC+5)
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"


def signed_headers(body: bytes, *, secret: str = SIGNING_SECRET, timestamp: int | None = None) -> dict:
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)
    return {"HTTP_X_SLACK_REQUEST_TIMESTAMP": timestamp, "HTTP_X_SLACK_SIGNATURE": signature}


_TRIGGERS = itertools.count(1)


def trigger_id() -> str:
    """Slack gives every invocation of a command its own trigger_id (and a retry of it the same one)."""
    return f"398738663015.47445629121.{next(_TRIGGERS):032x}"


class SlackPoster:
    """Posts like Slack: a form-encoded slash command (or JSON event), signed with the app's signing secret."""

    def __init__(self, response_url: str = "https://hooks.slack.com/commands/T1/1/x"):
        self.client = Client(enforce_csrf_checks=True)
        self.response_url = response_url

    def command_body(self, text: str, *, user_id: str = SLACK_USER, trigger: str | None = None) -> bytes:
        return urlencode(
            {
                "token": "legacy-verification-token",
                "team_id": "T1DC2JH3J",
                "channel_id": "C0SOMEWHERE",
                "user_id": user_id,
                "user_name": "roadrunner",
                "command": "/tt",
                "text": text,
                "response_url": self.response_url,
                "trigger_id": trigger or trigger_id(),
            }
        ).encode()

    def post(self, path: str, body: bytes, content_type: str, headers: dict):
        return self.client.post(f"/api/integrations/slack/{path}", data=body, content_type=content_type, **headers)

    def command(self, text: str, *, user_id: str = SLACK_USER, path: str = "commands", **sign):
        body = self.command_body(text, user_id=user_id)
        return self.post(path, body, "application/x-www-form-urlencoded", signed_headers(body, **sign))

    def event(self, payload: dict, **sign):
        body = json.dumps(payload).encode()
        return self.post("events", body, "application/json", signed_headers(body, **sign))


@pytest.fixture
def tt(slack, fake_slack):
    """`tt("start website: fixing nav")` runs /tt as the linked Slack user and returns the ephemeral text."""
    poster = SlackPoster(fake_slack.response_url())

    def run(text: str, **kwargs) -> str:
        response = poster.command(text, **kwargs)
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["response_type"] == "ephemeral"
        return body["text"]

    run.poster = poster
    return run
