"""Two-way sync of one person's Google Calendar.

Import (direction import/both): timed events that have ended become time entries of the calendar's owner in the
default project, through tracking.services (source `calendar`, external_ref `gcal:<event id>`, notes = the event's
title, billable from the project). The first sync — and any sync after Google answers 410 to the sync token — lists
the window [now − days_back, now]; later syncs ask for the changes since the last `nextSyncToken`, plus the events
that ended since the previous sync (an unchanged meeting that was still ahead last time is not a "change").

- all-day events, declined invitations, cancelled events never imported, and events this connector exported are
  ignored;
- an event that overlaps an existing entry is skipped and counted (`skipped`);
- an imported event that moved or was renamed: its entry follows; cancelled (or gone from a full listing): its
  entry is deleted; either way only if nobody edited the entry since the sync last wrote it — otherwise the entry
  is left alone, counted (`kept_edited`) and named in the sync's message;
- an imported entry the person deleted is not imported again.

Export (direction export/both): completed entries that did not come from the calendar, created or changed since the
last export (the first time: those in the window), become events `[TT] <Project> — <task or notes>` in UTC. The
pairing is an EntryLink row (unique per entry and per event) and the event id is derived from the entry, so even a
crash between Google's answer and our write cannot make a second event: inserting again answers 409 and the
existing event is updated instead. A changed entry patches its event. A deleted entry leaves its link without an
entry; the next sync deletes the event (deletions are detected at sync, no signal receiver needed).
"""

from __future__ import annotations

import logging

import requests
from django.utils import timezone

from ..base import describe_request_error
from . import store
from .client import GoogleCalendarClient, OAuthError
from .events import (
    MAIN_COUNTS,
    Run,
)
from .exporter import export_entries
from .importer import import_events

logger = logging.getLogger(__name__)


def run(connector) -> dict:
    integration = connector.integration
    config = connector.config
    if not store.is_connected(integration):
        return {"ok": False, "error": "Not connected: press “Connect Google Calendar” first.", "error_code": "auth"}
    try:
        token = store.access_token(integration)
    except store.NeedsReconnect as exc:
        return {"ok": False, "error": str(exc), "error_code": "needs_reconnect"}
    except OAuthError as exc:
        return {"ok": False, "error": f"Google refused to refresh the access token ({exc.code}).", "error_code": "auth"}
    client = GoogleCalendarClient(token, config["calendar_id"])
    sync = Run(integration=integration, owner=integration.owner, config=config, client=client, now=timezone.now())
    for key in MAIN_COUNTS:
        sync.counts[key] = 0
    parts = []
    try:
        if config["direction"] in ("import", "both"):
            parts.append(_part(sync, "Import", import_events))
        if config["direction"] in ("export", "both"):
            parts.append(_part(sync, "Export", export_entries))
    finally:
        client.close()
    message = ", ".join(f"{n} {k}" for k, n in sync.counts.items() if k in MAIN_COUNTS) + "."
    if sync.notices:
        message += " " + " ".join(sync.notices)
    return {
        "ok": any(parts),
        "counts": sync.counts,
        "error": " ".join(sync.errors)[:2000],
        "message": message[:2000],
    }


def _part(sync: Run, name: str, call) -> bool:
    """Run one direction; a provider error stops that direction only and is reported."""
    try:
        return call(sync)
    except requests.RequestException as exc:
        response = getattr(exc, "response", None)
        if response is not None and response.status_code == 401:
            # Google no longer takes the access token although it has not expired: refresh it next time, which
            # also finds out whether the authorisation was revoked (invalid_grant → needs reconnect).
            store.expire_access_token(sync.integration)
        sync.errors.append(f"{name} stopped: {describe_request_error(exc)}.")
        logger.warning("Google Calendar %s of integration %s failed: %s", name, sync.integration.pk, exc)
        return False


# -- import ------------------------------------------------------------------------------------------------------------
