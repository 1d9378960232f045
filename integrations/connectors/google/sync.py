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

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import requests
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.policy import PolicyDenied
from tracking import services as tracking
from tracking.exceptions import OverlappingEntry, TrackingError
from tracking.models import Project, Source, TimeEntry

from ...models import EntryLink
from ..base import describe_request_error
from . import store
from .client import EventExists, EventGone, GoogleCalendarClient, OAuthError, SyncTokenExpired

logger = logging.getLogger(__name__)

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
    parts = (entry.project_id, entry.task_id, _stamp(entry.start), _stamp(entry.end), entry.notes, entry.billable)
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()


def _stamp(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else ""


def _event_time(value: dict | None) -> datetime | None:
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
    summary = f"[TT] {entry.project.name}" + (f" — {label}" if label else "")
    return summary[:250]


def event_body(entry: TimeEntry) -> dict:
    return {
        "summary": event_summary(entry),
        "description": ((entry.notes or "") + "\n\nTracked in TimeTracker.").strip(),
        "start": {"dateTime": _stamp(entry.start), "timeZone": "UTC"},
        "end": {"dateTime": _stamp(entry.end), "timeZone": "UTC"},
        "extendedProperties": {"private": {EXPORT_MARK: str(entry.pk)}},
    }


def _why(exc: Exception) -> str:
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


# -- the run -----------------------------------------------------------------------------------------------------------


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


def import_events(sync: Run) -> bool:
    project = Project.objects.filter(pk=sync.config.get("default_project")).first()
    if project is None:
        sync.errors.append("Import skipped: choose a default project for imported events.")
        return False
    if project.archived:
        sync.errors.append(f"Import skipped: the default project “{project}” is archived; choose another.")
        return False
    state = store.state_of(sync.integration)
    calendar_id = sync.config["calendar_id"]
    token = state.get("sync_token") if state.get("sync_calendar") == calendar_id else ""
    links = {link.external_id: link for link in sync.integration.entry_links.select_related("time_entry")}
    importer = Importer(sync, project, links)
    next_token = ""
    full = not token
    if token:
        try:
            changes, next_token = sync.client.list_events({"syncToken": token})
        except SyncTokenExpired:
            sync.count("full_resyncs")
            full = True
        else:
            importer.process_all(changes)
            since = store.parse_time(state.get("imported_until")) or sync.window_start
            ended, _ = sync.client.list_events(
                {"timeMin": _stamp(max(since, sync.window_start)), "timeMax": _stamp(sync.now)}
            )
            importer.process_all(ended)
    if full:
        events, next_token = sync.client.list_events(
            {"timeMin": _stamp(sync.window_start), "timeMax": _stamp(sync.now)}
        )
        importer.process_all(events)
        importer.remove_missing({e.get("id") for e in events})
    if importer.stopped:
        return False
    store.state_update(
        sync.integration, sync_token=next_token or None, sync_calendar=calendar_id, imported_until=sync.now.isoformat()
    )
    return True


class Importer:
    def __init__(self, sync: Run, project: Project, links: dict[str, EntryLink]):
        self.sync = sync
        self.project = project
        self.links = links
        self.keyword = (sync.config.get("import_only_matching") or "").strip().lower()
        self.stopped = False

    def process_all(self, events: list[dict]) -> None:
        for event in events:
            if self.stopped:
                return
            if event.get("id"):
                self.process(event)

    def process(self, event: dict) -> None:
        sync = self.sync
        event_id = event["id"]
        link = self.links.get(event_id)
        if (link is not None and link.direction == EXPORTED) or is_ours(event):
            sync.count("ignored_own")
            return
        if link is not None and link.direction == IMPORTED:
            if link.time_entry_id is None:  # the person deleted the imported entry: leave it deleted
                sync.count("ignored_deleted_here")
                return
            if event.get("status") == "cancelled" or is_all_day(event):
                self.remove(link, "was cancelled")
            else:
                self.follow(link, event)
            return
        if event.get("status") == "cancelled":
            sync.count("ignored_cancelled")
            return
        if is_all_day(event):
            sync.count("ignored_all_day")
            return
        if declined(event):
            sync.count("ignored_declined")
            return
        start, end = _event_time(event.get("start")), _event_time(event.get("end"))
        if start is None or end is None or end <= start:
            sync.count("ignored_other")
            return
        if end > sync.now or start < sync.window_start:
            sync.count("ignored_outside_window")
            return
        summary = (event.get("summary") or "").strip()
        if self.keyword and self.keyword not in summary.lower():
            sync.count("ignored_keyword")
            return
        self.create(event_id, start, end, summary)

    def create(self, event_id: str, start: datetime, end: datetime, summary: str) -> None:
        sync = self.sync
        ref = f"{REF_PREFIX}{event_id}"[:255]
        existing = TimeEntry.objects.filter(user=sync.owner, source=Source.CALENDAR, external_ref=ref).first()
        if existing is not None:  # imported before the link existed: pair them, never duplicate
            try:
                with transaction.atomic():
                    self.links[event_id] = EntryLink.objects.create(
                        integration=sync.integration,
                        time_entry=existing,
                        external_id=event_id,
                        direction=IMPORTED,
                        fingerprint=fingerprint(existing),
                    )
            except IntegrityError:
                pass  # a concurrent sync paired them
            return
        try:
            with transaction.atomic():
                entry = tracking.time_entry_create(
                    actor=sync.owner,
                    user=sync.owner,
                    project=self.project,
                    start=start,
                    end=end,
                    notes=summary,
                    source=Source.CALENDAR,
                    external_ref=ref,
                )
                self.links[event_id] = EntryLink.objects.create(
                    integration=sync.integration,
                    time_entry=entry,
                    external_id=event_id,
                    direction=IMPORTED,
                    fingerprint=fingerprint(entry),
                )
        except OverlappingEntry:
            sync.count("skipped")
            return
        except PolicyDenied as exc:
            sync.errors.append(f"Import stopped: {_why(exc)} Choose another default project.")
            self.stopped = True
            return
        except (TrackingError, IntegrityError) as exc:
            sync.count("failed")
            sync.notices.append(f"“{summary[:60]}” was not imported: {_why(exc)}")
            return
        sync.count("imported")

    def _edited(self, link: EntryLink) -> bool:
        return fingerprint(link.time_entry) != link.fingerprint

    def follow(self, link: EntryLink, event: dict) -> None:
        sync = self.sync
        entry = link.time_entry
        start, end = _event_time(event.get("start")), _event_time(event.get("end"))
        if start is None or end is None or end <= start:
            sync.count("ignored_other")
            return
        changes = {}
        if entry.start != start:
            changes["start"] = start
        if entry.end != end:
            changes["end"] = end
        notes = (event.get("summary") or "").strip()
        if entry.notes != notes:
            changes["notes"] = notes
        if not changes:
            return
        if self._edited(link):
            sync.count("kept_edited")
            sync.notices.append(f"Entry #{entry.pk} was edited here, so it did not follow its changed event.")
            return
        try:
            with transaction.atomic():
                entry = tracking.time_entry_update(actor=sync.owner, entry=entry, **changes)
                link.time_entry = entry
                link.fingerprint = fingerprint(entry)
                link.save(update_fields=["time_entry", "fingerprint", "synced_at"])
        except OverlappingEntry:
            sync.count("skipped")
            sync.notices.append(f"Entry #{entry.pk} did not follow its moved event: the new time overlaps another.")
            return
        except TrackingError as exc:
            sync.count("failed")
            sync.notices.append(f"Entry #{entry.pk} did not follow its event: {_why(exc)}")
            return
        sync.count("updated")

    def remove(self, link: EntryLink, why: str) -> None:
        sync = self.sync
        entry = link.time_entry
        if self._edited(link):
            sync.count("kept_edited")
            sync.notices.append(f"Entry #{entry.pk} was kept: its event {why}, but the entry was edited here.")
            link.delete()  # from now on it is the person's own entry
            self.links.pop(link.external_id, None)
            return
        with transaction.atomic():
            link.delete()
            tracking.time_entry_delete(actor=sync.owner, entry=entry)
        self.links.pop(link.external_id, None)
        sync.count("removed")

    def remove_missing(self, listed_ids: set) -> None:
        """After a complete listing of the window: imported entries whose event is no longer there were deleted."""
        sync = self.sync
        for event_id, link in list(self.links.items()):
            entry = link.time_entry
            if link.direction != IMPORTED or entry is None or event_id in listed_ids:
                continue
            if entry.start >= sync.window_start and entry.end is not None and entry.end <= sync.now:
                self.remove(link, "is no longer on the calendar")


# -- export ------------------------------------------------------------------------------------------------------------


def export_entries(sync: Run) -> bool:
    state = store.state_of(sync.integration)
    last = store.parse_time(state.get("last_export_at"))
    started = timezone.now()
    links = {
        link.time_entry_id: link
        for link in sync.integration.entry_links.filter(direction=EXPORTED, time_entry__isnull=False)
    }
    entries = (
        TimeEntry.objects.filter(user=sync.owner, end__isnull=False)
        .exclude(source=Source.CALENDAR)
        .select_related("project", "task")
        .order_by("start", "pk")
    )
    entries = entries.filter(updated_at__gte=last) if last else entries.filter(end__gte=sync.window_start)
    for entry in entries:
        link = links.get(entry.pk)
        digest = fingerprint(entry)
        if link is not None and link.fingerprint == digest:
            continue
        body = event_body(entry)
        if link is not None:
            try:
                sync.client.patch_event(link.external_id, body)
            except EventGone:  # deleted at Google; put it back, still one event for the entry
                created = sync.client.insert_event(body)
                link.external_id = created["id"]
            link.fingerprint = digest
            link.save(update_fields=["external_id", "fingerprint", "synced_at"])
            sync.count("export_updated")
            continue
        event_id = export_event_id(sync.integration, entry.pk)
        try:
            sync.client.insert_event({**body, "id": event_id})
        except EventExists:  # sent before but its link was not stored: update that one event
            sync.client.patch_event(event_id, {**body, "status": "confirmed"})
        try:
            with transaction.atomic():
                EntryLink.objects.create(
                    integration=sync.integration,
                    time_entry=entry,
                    external_id=event_id,
                    direction=EXPORTED,
                    fingerprint=digest,
                )
        except IntegrityError:
            pass  # a concurrent sync paired them already; the event is the same one
        sync.count("exported")
    for link in sync.integration.entry_links.filter(direction=EXPORTED, time_entry__isnull=True):
        sync.client.delete_event(link.external_id)
        link.delete()
        sync.count("export_deleted")
    store.state_update(sync.integration, last_export_at=started.isoformat())
    return True
