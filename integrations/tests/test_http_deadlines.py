"""Every outbound call has a short total deadline: a provider that accepts connections and never answers, or
trickles its answer, holds a worker for at most OUTBOUND_HTTP_TIMEOUT (SLACK_API_TIMEOUT for Slack) — and
"Test connection" with it, so two such tests can no longer block everyone's timer (issue 13 §7)."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from integrations import services
from integrations.http import DeadlineExceeded, ProviderClient

DEADLINE = 1.0
BOUND = DEADLINE * 5  # generous: the old client waited 10 s per attempt, four attempts


class SilentServer:
    """Accepts connections and never answers (`trickle`: sends a status line, then a byte every 0.2 s, forever)."""

    def __init__(self, *, trickle: bool = False):
        self.trickle = trickle
        self.connections = 0
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.stop = threading.Event()
        self.held: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            self.held.append(conn)
            if self.trickle:
                threading.Thread(target=self._trickle, args=(conn,), daemon=True).start()

    def _trickle(self, conn):
        try:
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
            while not self.stop.is_set():
                conn.sendall(b" ")
                time.sleep(0.2)
        except OSError:
            pass

    def close(self):
        self.stop.set()
        for conn in self.held:
            conn.close()
        self.sock.close()


@pytest.fixture
def silent():
    server = SilentServer()
    yield server
    server.close()


@pytest.fixture
def trickling():
    server = SilentServer(trickle=True)
    yield server
    server.close()


def within_bound(call):
    """Run `call` in a thread; fail if it is still running after BOUND seconds. Returns what it returned/raised."""
    outcome: dict = {}

    def run():
        try:
            outcome["value"] = call()
        except Exception as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(BOUND)
    assert not thread.is_alive(), f"still waiting after {BOUND} s"
    return outcome


def test_a_silent_provider_gets_one_attempt_and_the_deadline(silent):
    client = ProviderClient(silent.url, "tok", timeout=DEADLINE)
    outcome = within_bound(lambda: client.get("/repos/x"))
    assert isinstance(outcome.get("error"), DeadlineExceeded)
    assert "no answer within 1 s" in str(outcome["error"])
    assert silent.connections == 1  # no retry once the deadline is spent


def test_a_trickling_answer_does_not_extend_the_deadline(trickling):
    client = ProviderClient(trickling.url, "tok", timeout=DEADLINE)
    outcome = within_bound(lambda: client.get("/repos/x"))
    assert isinstance(outcome.get("error"), DeadlineExceeded)


def test_the_default_deadline_is_the_setting(settings):
    settings.OUTBOUND_HTTP_TIMEOUT = 2.5
    assert ProviderClient("http://example.invalid").timeout == 2.5


def test_github_connection_test_against_a_silent_server_answers_within_the_deadline(
    settings, silent, github, admin_user
):
    settings.GITHUB_API_URL = silent.url
    settings.OUTBOUND_HTTP_TIMEOUT = DEADLINE
    result = services.integration_test(actor=admin_user, integration=github, provider="github")
    assert result["ok"] is False and result["error_code"] == "network"
    assert "did not answer in time" in result["error"]
    assert silent.connections == 1


def test_slack_connection_test_against_a_silent_server_answers_within_the_deadline(settings, silent, admin_user, db):
    integration, _ = services.integration_configure(
        actor=admin_user,
        provider="slack",
        owner=None,
        is_active=True,
        config={"default_channel": "C0TEAM1234"},
        secrets={"signing_secret": "0123456789abcdef0123456789abcdef", "bot_token": "xoxb-test-0123456789-abcdef"},
    )
    settings.SLACK_API_URL = f"{silent.url}/api/"
    settings.SLACK_API_TIMEOUT = DEADLINE
    result = services.integration_test(actor=admin_user, integration=integration, provider="slack")
    assert result["ok"] is False and result["error_code"] == "network"
    assert silent.connections == 1
