"""Manual time entries: create, update, delete, and the validation they (and the admin) share."""

from contextlib import nullcontext
from datetime import UTC, date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts import policy
from timetracker.prepared import PreparedRead

from .. import periods, signals
from ..exceptions import ArchivedProject, InvalidEntry, OverlappingEntry, TimerAlreadyRunning
from ..models import Project, Source, Task, TimeEntry
from ..rounding import duration_for
from ._common import lock_user, send_on_commit
from .locks import allow_locked_write, check_unlocked, record_override
from .tags import tags_resolve

EDITABLE_FIELDS = ("project", "task", "start", "end", "notes", "billable", "external_ref")


def check_trackable(user, project: Project, task: Task | None) -> None:
    """The project must be open to `user` and active; the task must belong to it."""
    if project.archived:
        raise ArchivedProject(project)
    if not policy.can(user, policy.TRACK, project):
        raise policy.PolicyDenied(f"{user} may not track time on “{project}”.")
    if task is not None and task.project_id != project.pk:
        raise InvalidEntry(f"The task “{task}” belongs to another project.", field="task")


def max_entry_length() -> timedelta:
    """The longest an entry may last (setting TRACKING_MAX_ENTRY_HOURS)."""
    return timedelta(hours=settings.TRACKING_MAX_ENTRY_HOURS)


def _utc_day(moment) -> date:
    try:
        return moment.astimezone(UTC).date() if timezone.is_aware(moment) else moment.date()
    except OverflowError:  # within a day of year 1 or 9999: outside the window either way
        return moment.date()


def check_bounds(start, end) -> None:
    """Start and end lie in the dates time may be tracked on (`periods.window()`), an entry lasts at most
    `max_entry_length()`, and a running entry (no end) does not start in the future. Raises InvalidEntry."""
    for field, moment in (("start", start), ("end", end)):
        if moment is None:
            continue
        problem = periods.outside_window(_utc_day(moment), field=field)
        if problem:
            raise InvalidEntry(problem, field=field)
    if end is None and start > timezone.now():
        raise InvalidEntry("A running timer cannot start in the future. Give an end to log time ahead.", field="start")
    if end is not None and end - start > max_entry_length():
        hours = settings.TRACKING_MAX_ENTRY_HOURS
        raise InvalidEntry(
            f"An entry lasts at most {hours} hours ({hours / 24:g} days); split longer work into several entries.",
            field="end",
        )


def time_entry_validate(entry: TimeEntry, *, running_until=None, reader=None) -> None:
    """Validate an entry (new or changed) against every rule: fields, project, running timer, overlap.

    A running entry (no end) counts as open-ended; with `running_until` (the timer: now) it is checked only up to
    then, so an entry logged ahead of a starting timer stays allowed (stopping the timer ends it there).
    Raises ValidationError / TrackingError, whose messages speak to `reader` (the person acting: "your entry" or
    "Sam's entry", in their time zone). Services call it under the user's lock; forms call it to show errors next
    to the fields before saving.
    """
    if entry.start is None:
        raise InvalidEntry("A start time is required.", field="start")
    if entry.end is not None and entry.end <= entry.start:
        raise InvalidEntry("The end must be after the start.", field="end")
    check_bounds(entry.start, entry.end)
    entry.full_clean(
        exclude=["duration_seconds", "tags", "user", "project", "task"],
        validate_unique=False,
        validate_constraints=False,
    )
    values = {"user_id": entry.user_id, "start": entry.start}
    if entry.pk:
        values["pk"] = entry.pk
    if entry.end is not None:
        values["end"] = entry.end
    elif running_until is not None:
        values["running_until"] = running_until
    found = _conflict_read.rows((tuple(sorted(values)),), **values)
    if not found:
        return
    conflict = TimeEntry.objects.select_related("user", "project", "project__client").get(pk=found[0]["pk"])
    if entry.end is None and conflict.end is None:
        raise TimerAlreadyRunning(conflict, reader=reader)
    raise OverlappingEntry(conflict, reader=reader)


def _build_conflict_read(names, *, user_id, start, pk=None, end=None, running_until=None):
    """The first entry of the person's that clashes with an entry from `start` to `end` (none: running, checked up to
    `running_until` when given), other than `pk`."""
    others = TimeEntry.objects.filter(user_id=user_id)
    if pk is not None:
        others = others.exclude(pk=pk)
    # Completed entries may not overlap; a running timer counts as open-ended, so nothing can be logged
    # after its start until it is stopped.
    if end is None and running_until is not None:
        clash = Q(end__isnull=False, start__lte=running_until, end__gt=start)
    else:
        clash = Q(end__isnull=True) | Q(end__gt=start)
        if end is not None:
            clash &= Q(start__lt=end)
    if end is None:
        # One query for both rules: another running timer (named first) or the earliest overlapping entry.
        clash |= Q(end__isnull=True)
        return others.filter(clash).order_by(F("end").asc(nulls_first=True), "start").values("pk")[:1]
    return others.filter(clash).order_by("start").values("pk")[:1]


# Compiled once per process and shape (timetracker.prepared); the clashing entry, rarely found, is read in full after.
_conflict_read = PreparedRead(_build_conflict_read)


def new_entry_checked(
    *, actor, user, project: Project, task: Task | None, running_until=None, override_reason: str = "", **fields
) -> TimeEntry:
    """A new, unsaved entry for `user`, checked the one way the timer and a logged entry share: the actor may create
    it, the project and task are open to `user`, and (under the user's lock) it is not in locked time
    (`locks.check_unlocked`; an admin's `override_reason` is kept on `entry.lock_override` for the audit) and every
    rule of `time_entry_validate`."""
    billable = fields.pop("billable", None)
    entry = TimeEntry(
        user=user,
        project=project,
        task=task,
        billable=project.billable if billable is None else billable,
        **fields,
    )
    policy.require(actor, policy.CREATE, entry)
    check_trackable(user, project, task)
    lock_user(user.pk)
    overridden = check_unlocked(actor=actor, user=user, starts=[entry.start], override_reason=override_reason)
    entry.lock_override = override_reason if overridden else ""
    time_entry_validate(entry, running_until=running_until, reader=actor)
    return entry


def _allowed_if(overridden):
    return allow_locked_write() if overridden else nullcontext()


def _finish(entry: TimeEntry) -> None:
    entry.duration_seconds = duration_for(entry.user, entry.start, entry.end)


@transaction.atomic
def time_entry_create(
    *,
    actor,
    project: Project,
    start,
    end=None,
    user=None,
    task: Task | None = None,
    notes: str = "",
    tags=None,
    billable: bool | None = None,
    source: str = Source.WEB,
    external_ref: str = "",
    override_reason: str = "",
) -> TimeEntry:
    """Log an entry for `user` (default: the actor). With no end it is a running timer. Raises PeriodLocked in
    locked time unless an administrator gives `override_reason`."""
    user = user or actor
    entry = new_entry_checked(
        actor=actor,
        user=user,
        project=project,
        task=task,
        start=start,
        end=end,
        notes=notes,
        billable=billable,
        source=source,
        external_ref=external_ref,
        override_reason=override_reason,
    )
    _finish(entry)
    try:
        with transaction.atomic(), _allowed_if(entry.lock_override):
            entry.save()
    except IntegrityError as exc:
        raise InvalidEntry("This entry conflicts with another entry (already running or already imported).") from exc
    resolved = tags_resolve(actor=actor, tags=tags)
    if resolved:
        entry.tags.set(resolved)
    if entry.lock_override:
        record_override(actor=actor, user_id=user.pk, entry_id=entry.pk, action=signals.CREATED, reason=override_reason)
    _announce(entry, actor, signals.CREATED)
    return entry


@transaction.atomic
def time_entry_update(*, actor, entry: TimeEntry, tags=None, override_reason: str = "", **changes) -> TimeEntry:
    """Change fields of an entry (see EDITABLE_FIELDS). Tags, when given, replace the entry's tags. Raises
    PeriodLocked when the entry is, or would move into, locked time, unless an administrator gives
    `override_reason`."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise InvalidEntry(f"These fields cannot be changed: {', '.join(sorted(unknown))}.")
    policy.require(actor, policy.CHANGE, entry)
    lock_user(entry.user_id)
    # Work on a fresh copy so a refused change leaves the caller's object as it was in the database.
    current = TimeEntry.objects.select_related("user", "project").get(pk=entry.pk)
    overridden = check_unlocked(
        actor=actor, user=current.user, starts=[current.start, changes.get("start")], override_reason=override_reason
    )
    project_changed = "project" in changes and changes["project"].pk != current.project_id
    task_changed = "task" in changes and (changes["task"].pk if changes["task"] else None) != current.task_id
    for field, value in changes.items():
        setattr(current, field, value)
    if project_changed or task_changed:
        check_trackable(current.user, current.project, current.task)
    time_entry_validate(current, reader=actor)
    _finish(current)
    try:
        with transaction.atomic(), _allowed_if(overridden):
            current.save()
    except IntegrityError as exc:
        raise InvalidEntry("This change conflicts with another entry.") from exc
    resolved = tags_resolve(actor=actor, tags=tags)
    if resolved is not None:
        current.tags.set(resolved)
    if overridden:
        record_override(
            actor=actor, user_id=current.user_id, entry_id=current.pk, action=signals.UPDATED, reason=override_reason
        )
    _announce(current, actor, signals.UPDATED)
    return current


@transaction.atomic
def time_entry_delete(*, actor, entry: TimeEntry, override_reason: str = "") -> None:
    """Delete an entry. Raises PeriodLocked in locked time unless an administrator gives `override_reason`."""
    policy.require(actor, policy.DELETE, entry)
    lock_user(entry.user_id)
    entry = TimeEntry.objects.select_related("user").get(pk=entry.pk)
    overridden = check_unlocked(actor=actor, user=entry.user, starts=[entry.start], override_reason=override_reason)
    if overridden:
        record_override(
            actor=actor, user_id=entry.user_id, entry_id=entry.pk, action=signals.DELETED, reason=override_reason
        )
    ids = {"entry_id": entry.pk, "user_id": entry.user_id, "project_id": entry.project_id}
    source = entry.source
    with _allowed_if(overridden):
        entry.delete()
    send_on_commit(
        signals.time_entry_changed, TimeEntry, actor_id=actor.pk, action=signals.DELETED, source=source, **ids
    )


def _announce(entry: TimeEntry, actor, action: str) -> None:
    send_on_commit(
        signals.time_entry_changed,
        TimeEntry,
        entry_id=entry.pk,
        user_id=entry.user_id,
        project_id=entry.project_id,
        actor_id=actor.pk,
        action=action,
        source=entry.source,
    )
