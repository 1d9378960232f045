"""Export: completed entries become `[TT]` events, patched when changed, deleted when the entry is (see sync.py)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from tracking.models import Source, TimeEntry

from ...models import EntryLink
from . import store
from .client import EventExists, EventGone
from .events import (
    EXPORTED,
    Run,
    event_body,
    export_event_id,
    fingerprint,
)


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
