"""The Google Calendar connector: personal (each user connects their own calendar), two-way sync."""

from __future__ import annotations

import requests
from django.core.exceptions import ValidationError

from ..base import PERSONAL, ConfigField, Connector, clean_project_choice, register
from . import store, sync
from .client import GoogleCalendarClient, OAuthError

DIRECTIONS = ("import", "export", "both")
DEFAULTS = {"calendar_id": "primary", "direction": "both", "days_back": 7, "default_project": None}


@register
class GoogleCalendarConnector(Connector):
    provider = "google"
    name = "Google Calendar"
    description = "Meetings become time entries, and tracked time appears on your calendar."
    docs_path = "docs/integrations/GOOGLE_CALENDAR.md"
    scopes = (PERSONAL,)
    config_fields = (
        ConfigField("calendar_id", "Calendar id", help="“primary” for your main calendar, or a calendar's id."),
        ConfigField("direction", "Direction", help="import, export or both."),
        ConfigField("days_back", "Days back", help="How far back to import and export, 1–30 days (default 7)."),
        ConfigField("default_project", "Default project", kind="project", help="Imported meetings are logged here."),
        ConfigField(
            "import_only_matching",
            "Only events containing",
            help="Import only events whose title contains this word; empty = all timed events.",
        ),
    )
    secret_fields = ()  # the tokens come from the OAuth flow only, never from a form
    can_sync = True
    sync_schedule = {"minute": "*/30"}
    urls = "integrations.connectors.google.urls"
    card_template = "integrations/google_card.html"

    @classmethod
    def grant_revoke(cls, secrets: dict, *, timeout: float) -> bool | None:
        return store.grant_revoke(secrets, timeout=timeout)

    @classmethod
    def default_config(cls) -> dict:
        return {**DEFAULTS, "import_only_matching": ""}

    @classmethod
    def validate_config(cls, config: dict, secrets: dict, *, is_active: bool) -> tuple[dict, dict]:
        # The sync state is kept next to the settings; it is not a setting a person gives, so it bypasses them.
        config = dict(config)
        state = config.pop("state", None)
        clean, secrets = super().validate_config(config, secrets, is_active=is_active)
        if isinstance(state, dict):
            clean["state"] = {k: v for k, v in state.items() if isinstance(v, str | bool | int) or v is None}
        return clean, secrets

    @classmethod
    def clean_config(cls, config: dict, *, is_active: bool) -> dict:
        errors = {}
        calendar_id = str(config.get("calendar_id") or "").strip() or DEFAULTS["calendar_id"]
        if len(calendar_id) > 255:
            errors["calendar_id"] = "At most 255 characters."
        direction = str(config.get("direction") or "").strip().lower() or DEFAULTS["direction"]
        if direction not in DIRECTIONS:
            errors["direction"] = "Choose import, export or both."
        days_back = config.get("days_back")
        if days_back in ("", None):
            days_back = DEFAULTS["days_back"]
        try:
            days_back = int(days_back)
        except (TypeError, ValueError):
            days_back = None
        if days_back is None or not 1 <= days_back <= 30:
            errors["days_back"] = "A whole number of days from 1 to 30."
        project_id = clean_project_choice(config.get("default_project"), errors)
        keyword = str(config.get("import_only_matching") or "").strip()
        if len(keyword) > 200:
            errors["import_only_matching"] = "At most 200 characters."
        if errors:
            raise ValidationError(errors)
        return {
            "calendar_id": calendar_id,
            "direction": direction,
            "days_back": days_back,
            "default_project": project_id,
            "import_only_matching": keyword,
        }

    @property
    def config(self) -> dict:
        return {**self.default_config(), **super().config}

    def status(self) -> dict:
        data = super().status()
        data["connected"] = store.is_connected(self.integration)
        data["needs_reconnect"] = store.needs_reconnect(self.integration)
        if data["needs_reconnect"]:
            data["ok"] = False
            data["error"] = "Needs reconnect"
        return data

    def do_test_connection(self) -> dict:
        if not store.is_connected(self.integration):
            return {"ok": False, "error": "Not connected: press “Connect Google Calendar” first."}
        try:
            token = store.access_token(self.integration)
        except store.NeedsReconnect as exc:
            return {"ok": False, "error": str(exc), "error_code": "needs_reconnect"}
        except OAuthError as exc:
            return {"ok": False, "error": f"Google refused to refresh the access token ({exc.code})."}
        client = GoogleCalendarClient(token, self.config["calendar_id"])
        try:
            data = client.calendar()
        except requests.HTTPError as exc:
            status = exc.response.status_code if exc.response is not None else 0
            if status == 404:
                return {"ok": False, "error": f"There is no calendar “{self.config['calendar_id']}” in this account."}
            raise
        finally:
            client.close()
        return {"ok": True, "message": f"Connected to the calendar “{data.get('summary') or data.get('id')}”."}

    def do_sync(self) -> dict:
        return sync.run(self)
