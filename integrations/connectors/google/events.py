"""The pieces of a Google Calendar sync run: its state (Run), event helpers, and what an exported event looks like."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings

from tracking.models import TimeEntry

from ...models import EntryLink
from .client import GoogleCalendarClient

REF_PREFIX = "gcal:"
EXPORT_MARK = "timetrackerEntry"  # extendedProperties.private key of the events we export
MAIN_COUNTS = ("imported", "updated", "removed", "skipped", "exported")
IMPORTED, EXPORTED = EntryLink.Direction.IMPORTED, EntryLink.Direction.EXPORTED


@dataclass
class Run:
    integration: object
    owner: object
    config: dict
    client: GoogleCalendarClient
    now: datetime
    counts: dict = field(default_factory=dict)
    notices: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    @property
    def window_start(self) -> datetime:
        return self.now - timedelta(days=int(self.config["days_back"]))


# -- helpers -----------------------------------------------------------------------------------------------------------


def fingerprint(entry: TimeEntry) -> str:
    """A digest of what a sync writes or sends: if it changed, someone edited the entry since."""
    parts = (entry.project_id, entry.task_id, stamp(entry.start), stamp(entry.end), entry.notes, entry.billable)
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()


def stamp(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else ""


def event_time(value: dict | None) -> datetime | None:
    raw = (value or {}).get("dateTime")
    if not raw:
        return None
    parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC).replace(microsecond=0)


def is_all_day(event: dict) -> bool:
    return "date" in (event.get("start") or {}) and "dateTime" not in (event.get("start") or {})


def declined(event: dict) -> bool:
    """The calendar's owner declined the invitation (the event still shows as confirmed)."""
    return any(a.get("self") and a.get("responseStatus") == "declined" for a in event.get("attendees") or [])


TITLE_MARK = "[TT]"  # every exported event's title starts with it


def has_title_mark(event: dict) -> bool:
    """The title starts with [TT]: exported by a TimeTracker (this one before its private mark was stripped, another
    installation, or the previous tool), so it is time already tracked somewhere and never imported."""
    return str(event.get("summary") or "").lstrip().upper().startswith(TITLE_MARK)


def is_ours(event: dict) -> bool:
    private = (event.get("extendedProperties") or {}).get("private") or {}
    return EXPORT_MARK in private


def export_event_id(integration, entry_id: int) -> str:
    """A stable event id for an entry: only base32hex characters (0-9, a-v), as Google requires."""
    install = hashlib.sha256(f"{settings.SITE_URL}|{integration.pk}".encode()).hexdigest()[:10]
    return f"tt{install}e{entry_id}"


def event_summary(entry: TimeEntry) -> str:
    if entry.task_id:
        label = entry.task.name
    else:
        lines = (entry.notes or "").strip().splitlines()
        label = lines[0].strip() if lines else ""
    summary = f"{TITLE_MARK} {entry.project.name}" + (f" — {label}" if label else "")
    return summary[:250]


def event_body(entry: TimeEntry) -> dict:
    return {
        "summary": event_summary(entry),
        "description": ((entry.notes or "") + "\n\nTracked in TimeTracker.").strip(),
        "start": {"dateTime": stamp(entry.start), "timeZone": "UTC"},
        "end": {"dateTime": stamp(entry.end), "timeZone": "UTC"},
        "extendedProperties": {"private": {EXPORT_MARK: str(entry.pk)}},
    }


def failure_reason(exc: Exception) -> str:
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


# -- the run -----------------------------------------------------------------------------------------------------------
