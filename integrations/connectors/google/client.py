"""Google's OAuth 2.0 endpoints and the Calendar v3 events API, through the shared ProviderClient.

Every URL is a setting (GOOGLE_OAUTH_TOKEN_URL, GOOGLE_OAUTH_REVOKE_URL, GOOGLE_CALENDAR_API_URL), so tests point
this code at a local server speaking the same JSON. Errors a caller acts on are exceptions of their own; anything
else is a requests.HTTPError, whose message never carries a token.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings

from ...http import ProviderClient


class OAuthError(Exception):
    """The token endpoint refused a request: `code` is Google's `error` (e.g. invalid_grant)."""

    def __init__(self, code: str, description: str = "", status: int = 0):
        self.code = code or "unknown_error"
        self.description = description
        self.status = status
        super().__init__(f"{self.code}: {description}" if description else self.code)


class SyncTokenExpired(Exception):
    """410 Gone on an incremental list: the sync token is no longer valid; start over with a full sync."""


class EventExists(Exception):
    """409 on insert: an event with the requested id exists already (possibly deleted)."""


class EventGone(Exception):
    """404 or 410 on a patch: the event was deleted at Google."""


class GoogleOAuthClient(ProviderClient):
    """The token and revoke endpoints (form-encoded POSTs; never retried, a code is single-use)."""

    user_agent = "TimeTracker-Google-Calendar-connector"

    def __init__(self, *, timeout: float | None = None):
        super().__init__("", **({} if timeout is None else {"timeout": timeout}))

    def _token_request(self, data: dict) -> dict:
        response = self.request("POST", settings.GOOGLE_OAUTH_TOKEN_URL, data=data)
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code != 200 or not isinstance(body, dict) or "access_token" not in body:
            body = body if isinstance(body, dict) else {}
            raise OAuthError(
                str(body.get("error") or f"http_{response.status_code}"),
                str(body.get("error_description") or ""),
                response.status_code,
            )
        return body

    def exchange_code(self, *, code: str, code_verifier: str, redirect_uri: str) -> dict:
        return self._token_request(
            {
                "grant_type": "authorization_code",
                "code": code,
                "code_verifier": code_verifier,
                "redirect_uri": redirect_uri,
                "client_id": settings.GOOGLE_CLIENT_ID,
                "client_secret": settings.GOOGLE_CLIENT_SECRET,
            }
        )

    def refresh(self, refresh_token: str) -> dict:
        return self._token_request(
            {
                "grant_type": "refresh_token",
                "refresh_token": refresh_token,
                "client_id": settings.GOOGLE_CLIENT_ID,
                "client_secret": settings.GOOGLE_CLIENT_SECRET,
            }
        )

    def revoke(self, token: str) -> bool:
        """True when Google revoked the token (or no longer knows it: 400 invalid_token means it is dead anyway)."""
        response = self.request("POST", settings.GOOGLE_OAUTH_REVOKE_URL, data={"token": token})
        if response.status_code == 200:
            return True
        if response.status_code == 400:
            try:
                return response.json().get("error") == "invalid_token"
            except ValueError:
                return False
        response.raise_for_status()
        return False


class GoogleCalendarClient(ProviderClient):
    """Calendar v3: list (pages, sync tokens), insert, patch and delete events of one calendar."""

    user_agent = "TimeTracker-Google-Calendar-connector"

    def __init__(self, token: str, calendar_id: str):
        super().__init__(settings.GOOGLE_CALENDAR_API_URL, token)
        self.calendar_path = f"calendars/{quote(calendar_id or 'primary', safe='')}"

    def auth_headers(self) -> dict:
        return {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}

    def calendar(self) -> dict:
        response = self.get(self.calendar_path)
        response.raise_for_status()
        return response.json()

    def list_events(self, params: dict) -> tuple[list[dict], str]:
        """All events of a listing, following nextPageToken to the last page. Returns (events, nextSyncToken).

        With `syncToken` in params this is an incremental sync; a 410 raises SyncTokenExpired.
        """
        events: list[dict] = []
        query = {**params, "singleEvents": "true", "maxResults": 250}
        while True:
            response = self.get(f"{self.calendar_path}/events", params=query)
            if response.status_code == 410:
                raise SyncTokenExpired()
            response.raise_for_status()
            body = response.json()
            events.extend(body.get("items") or [])
            page_token = body.get("nextPageToken")
            if not page_token:
                return events, str(body.get("nextSyncToken") or "")
            query = {**params, "singleEvents": "true", "maxResults": 250, "pageToken": page_token}

    def insert_event(self, body: dict) -> dict:
        response = self.request("POST", f"{self.calendar_path}/events", json=body)
        if response.status_code == 409:
            raise EventExists()
        response.raise_for_status()
        return response.json()

    def patch_event(self, event_id: str, body: dict) -> dict:
        response = self.request("PATCH", f"{self.calendar_path}/events/{quote(event_id, safe='')}", json=body)
        if response.status_code in (404, 410):
            raise EventGone()
        response.raise_for_status()
        return response.json()

    def delete_event(self, event_id: str) -> None:
        """Delete the event; one that is gone already (404, 410) counts as deleted."""
        response = self.request("DELETE", f"{self.calendar_path}/events/{quote(event_id, safe='')}")
        if response.status_code in (404, 410):
            return
        response.raise_for_status()
