"""Import: calendar events become time entries, and follow their events (see sync.py for the rules)."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction

from accounts.policy import PolicyDenied
from tracking import services as tracking
from tracking.exceptions import OverlappingEntry, PeriodLocked, TrackingError
from tracking.models import Project, Source, TimeEntry

from ...models import EntryLink
from . import store
from .client import SyncTokenExpired
from .events import (
    EXPORTED,
    IMPORTED,
    REF_PREFIX,
    Run,
    declined,
    event_time,
    failure_reason,
    fingerprint,
    has_title_mark,
    is_all_day,
    is_ours,
    stamp,
)


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
                {"timeMin": stamp(max(since, sync.window_start)), "timeMax": stamp(sync.now)}
            )
            importer.process_all(ended)
    if full:
        events, next_token = sync.client.list_events({"timeMin": stamp(sync.window_start), "timeMax": stamp(sync.now)})
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
        if has_title_mark(event):
            sync.count("ignored_tt_title")
            return
        start, end = event_time(event.get("start")), event_time(event.get("end"))
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
        except PeriodLocked as exc:  # the event falls in a locked period or an approved week
            sync.count("skipped")
            sync.notices.append(f"“{summary[:60]}” was not imported: {failure_reason(exc)}")
            return
        except PolicyDenied as exc:
            sync.errors.append(f"Import stopped: {failure_reason(exc)} Choose another default project.")
            self.stopped = True
            return
        except (TrackingError, IntegrityError) as exc:
            sync.count("failed")
            sync.notices.append(f"“{summary[:60]}” was not imported: {failure_reason(exc)}")
            return
        sync.count("imported")

    def _edited(self, link: EntryLink) -> bool:
        return fingerprint(link.time_entry) != link.fingerprint

    def follow(self, link: EntryLink, event: dict) -> None:
        sync = self.sync
        entry = link.time_entry
        start, end = event_time(event.get("start")), event_time(event.get("end"))
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
        except PeriodLocked as exc:
            sync.count("skipped")
            sync.notices.append(f"Entry #{entry.pk} did not follow its event: {failure_reason(exc)}")
            return
        except TrackingError as exc:
            sync.count("failed")
            sync.notices.append(f"Entry #{entry.pk} did not follow its event: {failure_reason(exc)}")
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
        try:
            with transaction.atomic():
                link.delete()
                tracking.time_entry_delete(actor=sync.owner, entry=entry)
        except PeriodLocked as exc:  # locked time stays, and stays linked (a reopened period follows again)
            sync.count("skipped")
            sync.notices.append(f"Entry #{entry.pk} was kept although its event {why}: {failure_reason(exc)}")
            return
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
