"""A local server speaking Google's OAuth 2.0 (consent redirect, token, revoke) and Calendar v3 events JSON.

It checks what Google checks: the client id and secret, the redirect URI, the PKCE verifier against the challenge
(S256), bearer tokens and their expiry; and it behaves as Calendar v3 does: `singleEvents`, pages with
`nextPageToken`, `nextSyncToken` on the last page, incremental listings that include cancelled events, 410 for an
expired sync token, 409 for an event id that exists, deleted events kept as `cancelled`.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import re
import secrets
import threading
import time
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

import pytest

from integrations.connectors.google import store
from integrations.connectors.google.connector import GoogleCalendarConnector

CLIENT_ID = "1234-test.apps.googleusercontent.com"
CLIENT_SECRET = "GOCSPX-test-client-secret"
EVENT_ID = re.compile(r"^[a-v0-9]{5,1024}$")


def rfc3339(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


class FakeGoogle:
    def __init__(self):
        self.codes: dict[str, dict] = {}
        self.access_tokens: dict[str, dict] = {}  # token -> {"refresh": ..., "expires": unix time}
        self.refresh_tokens: set[str] = set()
        self.revoked: list[str] = []
        self.authorize_requests: list[dict] = []
        self.token_requests: list[dict] = []
        self.api_requests: list[dict] = []
        self.calendars: dict[str, dict[str, dict]] = {"primary": {}}
        self.failing_calendars: dict[str, int] = {}
        self.seq = 0
        self.sync_tokens: set[str] = set()
        self.pages: dict[str, list] = {}
        self.page_size = 2
        self.consent = "allow"  # or "deny"
        self._ids = itertools.count(1)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # -- arranging state ---------------------------------------------------------------------------------------------
    def issue_tokens(self, *, expires_in: int = 3599) -> dict:
        refresh = "1//rt-" + secrets.token_urlsafe(24)
        self.refresh_tokens.add(refresh)
        return {"refresh_token": refresh, **self._access(refresh, expires_in)}

    def _access(self, refresh: str, expires_in: int = 3599) -> dict:
        token = "ya29.at-" + secrets.token_urlsafe(24)
        self.access_tokens[token] = {"refresh": refresh, "expires": time.time() + expires_in}
        return {"access_token": token, "expires_in": expires_in, "token_type": "Bearer", "scope": store_scope()}

    def _bump(self) -> int:
        self.seq += 1
        return self.seq

    def add_event(
        self, summary, start=None, end=None, *, calendar="primary", event_id=None, all_day=None, private=None
    ) -> dict:
        event_id = event_id or f"ev{next(self._ids):04d}"
        event = {"id": event_id, "status": "confirmed", "summary": summary}
        if all_day is not None:
            event["start"] = {"date": all_day.isoformat()}
            event["end"] = {"date": date.fromordinal(all_day.toordinal() + 1).isoformat()}
        else:
            event["start"] = {"dateTime": rfc3339(start)}
            event["end"] = {"dateTime": rfc3339(end)}
        if private:
            event["extendedProperties"] = {"private": dict(private)}
        event["_seq"] = self._bump()
        self.calendars.setdefault(calendar, {})[event_id] = event
        return event

    def move_event(self, event_id, start, end, *, calendar="primary") -> None:
        event = self.calendars[calendar][event_id]
        event["start"] = {"dateTime": rfc3339(start)}
        event["end"] = {"dateTime": rfc3339(end)}
        event["_seq"] = self._bump()

    def rename_event(self, event_id, summary, *, calendar="primary") -> None:
        event = self.calendars[calendar][event_id]
        event["summary"] = summary
        event["_seq"] = self._bump()

    def cancel_event(self, event_id, *, calendar="primary") -> None:
        event = self.calendars[calendar][event_id]
        event["status"] = "cancelled"
        event["_seq"] = self._bump()

    def expire_sync_tokens(self) -> None:
        self.sync_tokens.clear()

    def events(self, calendar="primary", *, include_cancelled=False) -> list[dict]:
        return [e for e in self.calendars.get(calendar, {}).values() if include_cancelled or e["status"] != "cancelled"]

    def list_requests(self) -> list[dict]:
        return [r for r in self.api_requests if r["method"] == "GET" and r["path"].endswith("/events")]

    # -- the server --------------------------------------------------------------------------------------------------
    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status, data=None, headers=None):
                body = b"" if data is None else json.dumps(data).encode()
                self.send_response(status)
                if data is not None:
                    self.send_header("Content-Type", "application/json; charset=UTF-8")
                self.send_header("Content-Length", str(len(body)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            def _error(self, status, message, reason="invalid"):
                return self._send(
                    status, {"error": {"code": status, "message": message, "errors": [{"reason": reason}]}}
                )

            def _body(self) -> bytes:
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def _form(self) -> dict:
                return {k: v[0] for k, v in parse_qs(self._body().decode()).items()}

            # OAuth -----------------------------------------------------------------------------------------------
            def do_GET(self):
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                if parts.path == "/o/oauth2/v2/auth":
                    return self._authorize(query)
                return self._api("GET", parts.path, query, None)

            def do_POST(self):
                parts = urlsplit(self.path)
                if parts.path == "/token":
                    return self._token(self._form())
                if parts.path == "/revoke":
                    return self._revoke(self._form())
                return self._api("POST", parts.path, {}, self._json_body())

            def do_PATCH(self):
                parts = urlsplit(self.path)
                return self._api("PATCH", parts.path, {}, self._json_body())

            def do_DELETE(self):
                parts = urlsplit(self.path)
                return self._api("DELETE", parts.path, {}, None)

            def _json_body(self):
                raw = self._body()
                return json.loads(raw) if raw else {}

            def _authorize(self, query):
                """Google's consent screen, answered at once: a redirect back with a code (or access_denied)."""
                fake.authorize_requests.append(query)
                if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
                    return self._send(400, {"error": "invalid_request"})
                redirect = query["redirect_uri"]
                if fake.consent == "deny":
                    location = f"{redirect}?{urlencode({'error': 'access_denied', 'state': query.get('state', '')})}"
                    return self._send(302, None, {"Location": location})
                code = "4/code-" + secrets.token_urlsafe(16)
                fake.codes[code] = query
                answer = {"code": code, "state": query.get("state", ""), "scope": query.get("scope", "")}
                location = f"{redirect}?{urlencode(answer)}"
                return self._send(302, None, {"Location": location})

            def _token(self, form):
                fake.token_requests.append(form)
                if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
                    return self._send(401, {"error": "invalid_client", "error_description": "Unauthorized"})
                grant = form.get("grant_type")
                if grant == "authorization_code":
                    asked = fake.codes.pop(form.get("code", ""), None)
                    if asked is None:
                        return self._send(400, {"error": "invalid_grant", "error_description": "Bad Request"})
                    if asked.get("redirect_uri") != form.get("redirect_uri"):
                        return self._send(400, {"error": "redirect_uri_mismatch"})
                    verifier = form.get("code_verifier", "")
                    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
                    method, expected = asked.get("code_challenge_method"), asked.get("code_challenge")
                    if method != "S256" or challenge.decode() != expected:
                        return self._send(
                            400, {"error": "invalid_grant", "error_description": "Invalid code verifier."}
                        )
                    return self._send(200, fake.issue_tokens())
                if grant == "refresh_token":
                    refresh = form.get("refresh_token", "")
                    if refresh not in fake.refresh_tokens:
                        return self._send(
                            400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}
                        )
                    return self._send(200, fake._access(refresh))
                return self._send(400, {"error": "unsupported_grant_type"})

            def _revoke(self, form):
                token = form.get("token", "")
                if token in fake.refresh_tokens:
                    fake.refresh_tokens.discard(token)
                    for access, info in list(fake.access_tokens.items()):
                        if info["refresh"] == token:
                            del fake.access_tokens[access]
                elif token in fake.access_tokens:
                    del fake.access_tokens[token]
                else:
                    return self._send(400, {"error": "invalid_token", "error_description": "Bad Request"})
                fake.revoked.append(token)
                return self._send(200, {})

            # Calendar v3 -----------------------------------------------------------------------------------------
            def _api(self, method, path, query, body):
                fake.api_requests.append(
                    {
                        "method": method,
                        "path": path,
                        "query": query,
                        "body": body,
                        "auth": self.headers["Authorization"],
                    },
                )
                auth = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
                info = fake.access_tokens.get(auth)
                if info is None or info["expires"] < time.time():
                    return self._error(401, "Invalid Credentials", "authError")
                match = re.fullmatch(r"/calendar/v3/calendars/([^/]+)(/events(?:/([^/]+))?)?", path)
                if not match:
                    return self._error(404, "Not Found", "notFound")
                calendar_id, events_part, event_id = unquote(match[1]), match[2], match[3] and unquote(match[3])
                if calendar_id in fake.failing_calendars:
                    return self._error(fake.failing_calendars[calendar_id], "Backend Error", "backendError")
                if calendar_id not in fake.calendars:
                    return self._error(404, "Not Found", "notFound")
                calendar = fake.calendars[calendar_id]
                if not events_part:
                    return self._send(200, {"kind": "calendar#calendar", "id": calendar_id, "summary": "Work"})
                if method == "GET" and not event_id:
                    return self._list(calendar, query)
                if method == "POST" and not event_id:
                    return self._insert(calendar, body)
                if event_id not in calendar:
                    return self._error(404, "Not Found", "notFound")
                event = calendar[event_id]
                if method == "PATCH":
                    if event["status"] == "cancelled" and body.get("status") != "confirmed":
                        return self._error(410, "Resource has been deleted", "deleted")
                    event.update({k: v for k, v in body.items() if k != "id"})
                    event["_seq"] = fake._bump()
                    return self._send(200, _public(event))
                if method == "DELETE":
                    if event["status"] == "cancelled":
                        return self._error(410, "Resource has been deleted", "deleted")
                    event["status"] = "cancelled"
                    event["_seq"] = fake._bump()
                    return self._send(204)
                return self._error(405, "Method not allowed")

            def _insert(self, calendar, body):
                event_id = body.get("id") or f"gen{next(fake._ids):06d}"
                if not EVENT_ID.match(event_id):
                    return self._error(400, "Invalid resource id value.", "invalid")
                if event_id in calendar:
                    return self._error(409, "The requested identifier already exists.", "duplicate")
                event = {**body, "id": event_id, "status": body.get("status", "confirmed"), "_seq": fake._bump()}
                calendar[event_id] = event
                return self._send(200, _public(event))

            def _list(self, calendar, query):
                if query.get("singleEvents") != "true":
                    return self._error(400, "this fake expects singleEvents=true")
                if "pageToken" in query:
                    page = fake.pages.pop(query["pageToken"], None)
                    if page is None:
                        return self._error(400, "Invalid page token")
                    items, sync_token = page
                elif "syncToken" in query:
                    if {"timeMin", "timeMax"} & set(query):
                        return self._error(400, "timeMin and timeMax cannot be used with syncToken")
                    token = query["syncToken"]
                    if token not in fake.sync_tokens:
                        message = "Sync token is no longer valid, a full sync is required."
                        return self._error(410, message, "fullSyncRequired")
                    since = int(token.removeprefix("s"))
                    items = sorted((e for e in calendar.values() if e["_seq"] > since), key=lambda e: e["_seq"])
                    sync_token = f"s{fake.seq}"
                else:
                    items = [e for e in calendar.values() if e["status"] != "cancelled"]
                    if "timeMin" in query:
                        items = [e for e in items if _end(e) > _parse(query["timeMin"])]
                    if "timeMax" in query:
                        items = [e for e in items if _start(e) < _parse(query["timeMax"])]
                    items.sort(key=lambda e: (_start(e), e["id"]))
                    sync_token = f"s{fake.seq}"
                page, rest = items[: fake.page_size], items[fake.page_size :]
                data = {"kind": "calendar#events", "items": [_public(e) for e in page]}
                if rest:
                    page_token = "p-" + secrets.token_urlsafe(8)
                    fake.pages[page_token] = (rest, sync_token)
                    data["nextPageToken"] = page_token
                else:
                    fake.sync_tokens.add(sync_token)
                    data["nextSyncToken"] = sync_token
                return self._send(200, data)

        return Handler

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def store_scope() -> str:
    from integrations.connectors.google.oauth import SCOPE

    return SCOPE


def _public(event: dict) -> dict:
    return {k: v for k, v in event.items() if not k.startswith("_")}


def _when(value: dict) -> datetime:
    if "dateTime" in value:
        return _parse(value["dateTime"])
    return datetime.fromisoformat(value["date"]).replace(tzinfo=UTC)


def _start(event: dict) -> datetime:
    return _when(event["start"])


def _end(event: dict) -> datetime:
    return _when(event["end"])


@pytest.fixture
def fake_google(settings, in_process_tasks):
    # in_process_tasks: "Sync now" and the fan-out run in-process, answering with the outcome, even with a broker.
    with FakeGoogle() as fake:
        settings.GOOGLE_CLIENT_ID = CLIENT_ID
        settings.GOOGLE_CLIENT_SECRET = CLIENT_SECRET
        settings.GOOGLE_OAUTH_AUTH_URL = f"{fake.url}/o/oauth2/v2/auth"
        settings.GOOGLE_OAUTH_TOKEN_URL = f"{fake.url}/token"
        settings.GOOGLE_OAUTH_REVOKE_URL = f"{fake.url}/revoke"
        settings.GOOGLE_CALENDAR_API_URL = f"{fake.url}/calendar/v3"
        settings.SITE_URL = "http://testserver"
        yield fake


def connect(fake: FakeGoogle, user, **config):
    """`user`'s Google integration as the OAuth callback leaves it (tokens from the fake), with `config` saved."""
    from integrations import services

    defaults = GoogleCalendarConnector.default_config()
    store.google_connect(actor=user, tokens=fake.issue_tokens(), default_config=defaults)
    integration, _ = services.integration_configure(
        actor=user, provider="google", owner=user, is_active=True, config=config
    )
    return integration
