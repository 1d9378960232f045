"""The timer: start, stop, status."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import policy

from .. import signals
from ..exceptions import InvalidEntry, NoRunningTimer, OverlappingEntry, TimerAlreadyRunning
from ..models import Project, Source, Task, TimeEntry
from ..rounding import duration_for
from ._common import lock_user, resolve_tags, send_on_commit
from .entries import check_trackable


def timer_status(*, user) -> TimeEntry | None:
    """The user's running entry, or None."""
    return TimeEntry.objects.select_related("project", "project__client", "task").filter(user=user, end=None).first()


@transaction.atomic
def timer_start(
    *,
    user,
    project: Project,
    task: Task | None = None,
    notes: str = "",
    tags=None,
    billable: bool | None = None,
    source: str = Source.WEB,
    actor=None,
    external_ref: str = "",
) -> TimeEntry:
    """Start `user`'s timer now. Raises TimerAlreadyRunning; the database's partial unique index backs it up."""
    actor = actor or user
    now = timezone.now()
    entry = TimeEntry(
        user=user,
        project=project,
        task=task,
        notes=notes,
        start=now,
        billable=project.billable if billable is None else billable,
        source=source,
        external_ref=external_ref,
    )
    policy.require(actor, policy.CREATE, entry)
    check_trackable(user, project, task)
    lock_user(user.pk)
    running = TimeEntry.objects.select_related("project").filter(user=user, end=None).first()
    if running is not None:
        raise TimerAlreadyRunning(running)
    covering = (
        TimeEntry.objects.select_related("project")
        .filter(user=user, end__isnull=False, start__lte=now, end__gt=now)
        .first()
    )
    if covering is not None:
        raise OverlappingEntry(covering)
    entry.full_clean(exclude=["duration_seconds", "tags"])
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as exc:
        running = TimeEntry.objects.filter(user=user, end=None).first()
        raise TimerAlreadyRunning(running) from exc
    resolved = resolve_tags(actor, tags)
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
def timer_stop(*, user, actor=None, end: datetime | None = None, source: str = Source.WEB) -> TimeEntry:
    """Stop `user`'s running timer. Raises NoRunningTimer when none runs.

    Stopping always succeeds: if the user logged a later entry while the timer ran, the timer ends where that
    entry begins, so entries never overlap.
    """
    actor = actor or user
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
