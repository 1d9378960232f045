"""The timer: start, stop, status."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import policy

from .. import signals
from ..exceptions import InvalidEntry, NoRunningTimer, TimerAlreadyRunning
from ..models import Project, Source, Task, TimeEntry
from ..rounding import duration_for
from ._common import lock_user, send_on_commit
from .entries import new_entry_checked
from .tags import tags_resolve


def timer_status(*, user) -> TimeEntry | None:
    """The user's running entry, or None."""
    return TimeEntry.objects.select_related("project", "project__client", "task").filter(user=user, end=None).first()


@transaction.atomic
def timer_start(
    *,
    actor,
    project: Project,
    user=None,
    task: Task | None = None,
    notes: str = "",
    tags=None,
    billable: bool | None = None,
    source: str = Source.WEB,
    external_ref: str = "",
) -> TimeEntry:
    """Start `user`'s timer (default: the actor's) now. Raises TimerAlreadyRunning; the database's partial unique
    index backs it up. Checked like a logged entry (`new_entry_checked`), up to now."""
    user = user or actor
    now = timezone.now()
    entry = new_entry_checked(
        actor=actor,
        user=user,
        project=project,
        task=task,
        start=now,
        notes=notes,
        billable=billable,
        source=source,
        external_ref=external_ref,
        running_until=now,
    )
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as exc:
        running = TimeEntry.objects.select_related("user", "project").filter(user=user, end=None).first()
        raise TimerAlreadyRunning(running, reader=actor) from exc
    resolved = tags_resolve(actor=actor, tags=tags)
    if resolved:
        entry.tags.set(resolved)
    send_on_commit(
        signals.timer_started,
        TimeEntry,
        entry_id=entry.pk,
        user_id=user.pk,
        project_id=project.pk,
        actor_id=actor.pk,
        source=source,
    )
    return entry


@transaction.atomic
def timer_stop(*, actor, user=None, end: datetime | None = None, source: str = Source.WEB) -> TimeEntry:
    """Stop `user`'s (default: the actor's) running timer. Raises NoRunningTimer when none runs.

    Stopping always succeeds: if the user logged a later entry while the timer ran, the timer ends where that
    entry begins, so entries never overlap.
    """
    user = user or actor
    lock_user(user.pk)
    entry = TimeEntry.objects.select_related("project", "user").filter(user=user, end=None).first()
    if entry is None:
        raise NoRunningTimer()
    policy.require(actor, policy.CHANGE, entry)
    end = end or timezone.now()
    if end <= entry.start:
        raise InvalidEntry("The end must be after the timer's start.", field="end")
    next_entry = (
        TimeEntry.objects.filter(user=user, end__isnull=False, start__gt=entry.start, start__lt=end)
        .order_by("start")
        .first()
    )
    if next_entry is not None:
        end = next_entry.start
    entry.end = end
    entry.duration_seconds = duration_for(entry.user, entry.start, entry.end)
    entry.save(update_fields=["end", "duration_seconds", "updated_at"])
    send_on_commit(
        signals.timer_stopped,
        TimeEntry,
        entry_id=entry.pk,
        user_id=user.pk,
        project_id=entry.project_id,
        actor_id=actor.pk,
        source=source,
        duration_seconds=entry.duration_seconds,
    )
    return entry
