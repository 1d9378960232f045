"""The timer: start, stop, status."""

from contextlib import nullcontext
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import JSONObject, TruncDate
from django.utils import timezone

from accounts import policy
from timetracker.prepared import PreparedRead

from .. import signals
from ..exceptions import InvalidEntry, NoRunningTimer, TimerAlreadyRunning
from ..models import Client, Project, Source, Tag, Task, TimeEntry
from ..rounding import duration_for
from ._common import lock_user, send_on_commit
from .entries import max_entry_length, new_entry_checked
from .locks import allow_locked_write, lock_probe, locked_span_end
from .tags import known_tags, tags_resolve


def timer_status(*, user) -> TimeEntry | None:
    """The user's running entry, or None: as `select_related("project", "project__client", "task")` gives it."""
    found = _status_read.rows(user_id=user.pk)
    if not found:
        return None
    row = found[0]
    db = connection.alias
    entry = TimeEntry.from_db(db, _ENTRY, [row[name] for name in _ENTRY])
    entry.project = project = Project.from_db(db, _PROJECT, [row[f"project__{name}"] for name in _PROJECT])
    client = None
    if row["project__client__id"] is not None:
        client = Client.from_db(db, _CLIENT, [row[f"project__client__{name}"] for name in _CLIENT])
    project.client = client
    task = None
    if row["task__id"] is not None:
        task = Task.from_db(db, _TASK, [row[f"task__{name}"] for name in _TASK])
    entry.task = task
    return entry


def _build_status_read(*, user_id: int):
    return (
        TimeEntry.objects.filter(user=user_id, end=None)
        .values(
            *_ENTRY,
            *(f"project__{name}" for name in _PROJECT),
            *(f"project__client__{name}" for name in _CLIENT),
            *(f"task__{name}" for name in _TASK),
        )
        .order_by(*TimeEntry._meta.ordering)[:1]
    )


# Compiled once per process (timetracker.prepared): the header of every page shows the running timer; building this
# read (three joined tables) cost more CPU than answering it.
_status_read = PreparedRead(_build_status_read)


class _StartRefused(Exception):
    """The insert hit the one-running-timer index: raised out of the transaction so it is rolled back first."""


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
    try:
        return _timer_start(
            actor=actor,
            user=user,
            project=project,
            task=task,
            notes=notes,
            tags=tags,
            billable=billable,
            source=source,
            external_ref=external_ref,
        )
    except _StartRefused as refused:
        # Someone started a timer for `user` without the user's lock (the index caught it). No savepoint around the
        # insert: the transaction is rolled back, then the running timer is read for the message.
        running = TimeEntry.objects.select_related("user", "project").filter(user=user, end=None).first()
        raise TimerAlreadyRunning(running, reader=actor) from refused.__cause__


@transaction.atomic
def _timer_start(*, actor, user, project, task, notes, tags, billable, source, external_ref) -> TimeEntry:
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
        entry.save()
    except IntegrityError as exc:
        raise _StartRefused() from exc
    resolved = tags_resolve(actor=actor, tags=tags)
    if resolved:
        entry.tags.set(resolved)
    known_tags(entry, resolved or [])
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


def _tags_read_with() -> dict:
    """On PostgreSQL, the running entry's tags as an array in the same read (the stop's answer shows them)."""
    if connection.vendor != "postgresql":
        return {}
    from django.contrib.postgres.expressions import ArraySubquery

    through = TimeEntry.tags.through.objects.filter(timeentry_id=OuterRef("pk")).order_by("tag__name")
    return {"tag_rows": ArraySubquery(through.values(json=JSONObject(id="tag_id", name="tag__name")))}


_ENTRY = tuple(field.attname for field in TimeEntry._meta.concrete_fields)
_PROJECT = tuple(field.attname for field in Project._meta.concrete_fields)
_USER = tuple(field.attname for field in get_user_model()._meta.concrete_fields)
_CLIENT = tuple(field.attname for field in Client._meta.concrete_fields)
_TASK = tuple(field.attname for field in Task._meta.concrete_fields)
_READ_WITH = ("local_day", "lock_until", "approved_week", "next_start", "tag_rows")


def _build_running_read(tzinfo, *, user_id: int):
    # One read, under the user's lock: the running entry with its project and person, whether its start lies in
    # locked time, and the next entry logged after its start (where it must end at the latest). One row at most (the
    # one-running-timer index): no ORDER BY.
    following = TimeEntry.objects.filter(user=user_id, end__isnull=False, start__gt=OuterRef("start")).order_by("start")
    return (
        TimeEntry.objects.filter(user=user_id, end=None)
        .annotate(local_day=TruncDate("start", tzinfo=tzinfo))
        .annotate(
            **lock_probe(user_id, OuterRef("local_day")),
            next_start=Subquery(following.values("start")[:1]),
            **_tags_read_with(),
        )
        .values(
            *_ENTRY,
            *(f"project__{name}" for name in _PROJECT),
            *(f"user__{name}" for name in _USER),
            *(name for name in _READ_WITH if name != "tag_rows" or connection.vendor == "postgresql"),
        )
        .order_by()[:1]
    )


# Compiled once per process and time zone (timetracker.prepared): building it cost ~6 ms of CPU, the answer ~0.3 ms.
_running_read = PreparedRead(_build_running_read)


def _running_entry(user) -> TimeEntry | None:
    """The user's running entry as `select_related("project", "user")` gives it, with the figures of the read."""
    found = _running_read.rows((user.tzinfo,), user_id=user.pk)
    if not found:
        return None
    row = found[0]
    db = connection.alias
    entry = TimeEntry.from_db(db, _ENTRY, [row[name] for name in _ENTRY])
    entry.project = Project.from_db(db, _PROJECT, [row[f"project__{name}"] for name in _PROJECT])
    entry.user = get_user_model().from_db(db, _USER, [row[f"user__{name}"] for name in _USER])
    for name in _READ_WITH:
        if name in row:
            setattr(entry, name, row[name])
    return entry


@transaction.atomic
def timer_stop(*, actor, user=None, end: datetime | None = None, source: str = Source.WEB) -> TimeEntry:
    """Stop `user`'s (default: the actor's) running timer. Raises NoRunningTimer when none runs.

    Stopping always succeeds: if the user logged a later entry while the timer ran, the timer ends where that
    entry begins, so entries never overlap; a timer that ran longer than an entry may last (TRACKING_MAX_ENTRY_HOURS)
    ends at that length; a timer whose start lies ahead of now (possible only for entries stored before starts in
    the future were refused) ends one minute after its start; a timer that started in time locked since ends where
    the locked time ends. Only an explicit `end` before the start is refused.
    """
    user = user or actor
    policy.require(actor, policy.CREATE, TimeEntry)  # a viewer is refused (403) whether or not a timer runs
    lock_user(user.pk)
    entry = _running_entry(user)
    if entry is None:
        raise NoRunningTimer()
    policy.require(actor, policy.CHANGE, entry)
    if end is not None and end <= entry.start:
        raise InvalidEntry("The end must be after the timer's start.", field="end")
    if end is None:
        now = timezone.now()
        # A start ahead of now (stored before such starts were refused) ends a minute after it; any other timer now.
        end = now if now > entry.start else entry.start + timedelta(minutes=1)
    end = min(end, entry.start + max_entry_length())
    boundary = locked_span_end(entry.user, entry.start, entry.lock_until, entry.approved_week, probed=True)
    if boundary is not None and entry.start < boundary < end:
        end = boundary
    if entry.next_start is not None and entry.next_start < end:
        end = entry.next_start
    entry.end = end
    entry.duration_seconds = duration_for(entry.user, entry.start, entry.end)
    # A timer that started in locked time is still stopped (at the end of it): the one write the lock lets through.
    with allow_locked_write() if boundary is not None else nullcontext():
        entry.save(update_fields=["end", "duration_seconds", "updated_at"])
    if hasattr(entry, "tag_rows"):  # the answer shows the tags: read with the entry, not again
        known_tags(entry, [Tag(pk=row["id"], name=row["name"]) for row in entry.tag_rows])
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
