"""A small PostHog stand-in on 127.0.0.1: it receives the SDK's real requests and answers in PostHog's wire format.

It records every request (path, headers, decoded JSON body, raw text) so tests can assert on what would have left
the installation. Flags are answered from `flags` / `payloads` in the `/flags/?v=4` record format.
"""

from __future__ import annotations

import gzip
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    text: str
    body: Any


@dataclass
class FakePostHog:
    flags: dict[str, Any] = field(default_factory=dict)
    payloads: dict[str, Any] = field(default_factory=dict)
    requests: list[Received] = field(default_factory=list)
    status: int = 200
    # Flag definitions for local evaluation (GET /flags/definitions), in PostHog's format.
    definitions: list[dict] = field(default_factory=list)

    def start(self) -> FakePostHog:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def _read(self) -> Received:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.headers.get("Content-Encoding") == "gzip":
                    raw = gzip.decompress(raw)
                text = raw.decode("utf-8")
                try:
                    body = json.loads(text) if text else None
                except ValueError:
                    body = None
                received = Received(self.command, self.path, dict(self.headers), text, body)
                fake.requests.append(received)
                return received

            def _answer(self, status: int, payload: Any) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                received = self._read()
                if fake.status != 200:
                    self._answer(fake.status, {"detail": "unavailable"})
                elif received.path.startswith("/flags"):
                    self._answer(200, fake.flags_response())
                else:
                    self._answer(200, {"status": 1})

            def do_GET(self):
                self._read()
                if self.path.startswith("/flags/definitions"):
                    self._answer(200, {"flags": fake.definitions, "group_type_mapping": {}, "cohorts": {}})
                else:
                    self._answer(404, {"detail": "not found"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def flags_response(self) -> dict:
        records = {}
        for index, (key, value) in enumerate(self.flags.items(), start=1):
            payload = self.payloads.get(key)
            records[key] = {
                "key": key,
                "enabled": bool(value),
                "variant": value if isinstance(value, str) else None,
                "reason": {
                    "code": "condition_match" if value else "no_condition_match",
                    "condition_index": 0,
                    "description": "Matched condition set 1" if value else "No matching condition set",
                },
                "metadata": {
                    "id": index,
                    "version": 1,
                    "description": None,
                    "payload": None if payload is None else json.dumps(payload),
                },
            }
        return {
            "flags": records,
            "errorsWhileComputingFlags": False,
            "requestId": "0f4c6e0e-2b5c-4a0e-9a43-1d1f0c9d2a11",
        }

    # Helpers for assertions ---------------------------------------------------------------------------------------
    def batches(self) -> list[dict]:
        return [r.body for r in self.requests if r.path.startswith("/batch")]

    def events(self) -> list[dict]:
        return [event for body in self.batches() for event in body.get("batch", [])]

    def events_named(self, name: str) -> list[dict]:
        return [e for e in self.events() if e.get("event") == name]

    @staticmethod
    def rollout(key: str, percentage: int = 100, payload=None, flag_id: int = 1) -> dict:
        """A flag definition released to `percentage` of everyone, as /flags/definitions lists it."""
        filters = {"groups": [{"properties": [], "rollout_percentage": percentage}]}
        if payload is not None:
            filters["payloads"] = {"true": json.dumps(payload)}
        return {"id": flag_id, "name": key, "key": key, "active": True, "deleted": False, "filters": filters}

    def flag_requests(self) -> list[Received]:
        return [r for r in self.requests if r.path.startswith("/flags/?")]
