"""The one rule for locked time: an entry that starts on a locked day or in an approved week cannot be created,
changed, moved or deleted, whichever interface asks.

A day is locked for a person when an active `PeriodLock` (for everyone, or for a team they are a member of) reaches
it; the day is the person's own local day, so "up to 31 Oct" ends at their midnight. A week is approved when their
`Timesheet` for it is. The entry services call `check_unlocked` under the person's row lock, and the lock and
approval services take the same row lock, so a write either finishes before a lock or sees it.

An administrator may still correct a locked entry explicitly, with a reason (`override_reason`); the correction is
recorded in the activity log by the `locked_time_corrected` signal, inside the same transaction.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Subquery
from django.utils import timezone

from accounts import policy
from timetracker.prepared import PreparedRead

from .. import periods, signals
from ..exceptions import PeriodLocked
from ..models import PeriodLock, Timesheet, TimesheetState


@contextmanager
def allow_locked_write():
    """Around the one write of a documented exception (an admin's "edit anyway", a timer stopped at the end of
    locked time): lets it past PostgreSQL's lock trigger (migration 0004), for this transaction's next statement."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('tracking.allow_locked_write', 'on', true)")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('tracking.allow_locked_write', 'off', true)")


def local_day(user, moment: datetime) -> date:
    return timezone.localtime(moment, user.tzinfo).date()


def lock_covering(user, day: date) -> PeriodLock | None:
    return (
        PeriodLock.objects.applying_to(user)
        .filter(until__gte=day)
        .select_related("created_by")
        .order_by("-until")
        .first()
    )


def _short(day: date) -> str:
    return f"{day.day} {day:%b}"


def lock_error(lock: PeriodLock) -> PeriodLocked:
    by = lock.locked_by_label or (lock.created_by.display_name if lock.created_by_id else "an admin")
    return PeriodLocked(f"Time up to {_short(lock.until)} is locked by {by}; ask an admin to reopen.")


def week_error(sheet: Timesheet) -> PeriodLocked:
    by = sheet.decided_by.display_name if sheet.decided_by_id else "a manager"
    return PeriodLocked(
        f"The week of {_short(sheet.week)} was approved by {by}; ask them or an admin to reopen it before changing it."
    )


def lock_probe(user, day) -> dict:
    """Annotations that say, in the query they are added to, whether `day` (a date, or an expression such as the
    local day of an entry's start) is locked for `user` (a user or their id): `lock_until`, the last day of the
    furthest active lock that reaches it (None: no lock does), and `approved_week`, the latest approved week of theirs
    starting on or before it (it covers the day when it is the day's Monday: `is_locked`)."""
    return {
        "lock_until": Subquery(
            PeriodLock.objects.applying_to(user).filter(until__gte=day).order_by("-until").values("until")[:1]
        ),
        "approved_week": Subquery(
            Timesheet.objects.filter(user=user, state=TimesheetState.APPROVED, week__lte=day)
            .order_by("-week")
            .values("week")[:1]
        ),
    }


def is_locked(day: date, lock_until: date | None, approved_week: date | None) -> bool:
    """Whether the figures of `lock_probe` for `day` lock it."""
    return (lock_until is not None and lock_until >= day) or approved_week == periods.week_start(day)


def _build_probe(*, user_id: int, day: date):
    row = get_user_model().objects.filter(pk=user_id).annotate(**lock_probe(user_id, day))
    # One row by its key: no ORDER BY (first() would add the model's ordering, for nothing but compiling it).
    return row.values("lock_until", "approved_week").order_by()[:1]


# Compiled once per process: building the two subqueries cost more than PostgreSQL's answer (timetracker.prepared).
_probe_read = PreparedRead(_build_probe)


def _probe(user, day: date) -> tuple[date | None, date | None]:
    """`lock_probe` for one day: one query (on the person's row, which always exists)."""
    found = _probe_read.rows(user_id=user.pk, day=day)
    return (found[0]["lock_until"], found[0]["approved_week"]) if found else (None, None)


def lock_reason(user, start: datetime) -> PeriodLocked | None:
    """Why time of `user` starting at `start` is locked, or None when it is not: one query when it is not (the usual
    case); the lock or the approved week is then read for the message."""
    day = local_day(user, start)
    lock_until, approved_week = _probe(user, day)
    if not is_locked(day, lock_until, approved_week):
        return None
    lock = lock_covering(user, day)
    if lock is not None:
        return lock_error(lock)
    sheet = (
        Timesheet.objects.select_related("decided_by")
        .filter(user=user, week=periods.week_start(day), state=TimesheetState.APPROVED)
        .first()
    )
    return week_error(sheet) if sheet is not None else None


def check_unlocked(*, actor, user, starts, override_reason: str = "") -> bool:
    """Raise PeriodLocked when any of `starts` (the entry's old and new start) is locked for `user`.

    An administrator with a non-blank `override_reason` passes: True is returned and the caller records the
    correction with `record_override` once it knows the entry. False: nothing was locked.
    """
    for start in starts:
        if start is None:
            continue
        error = lock_reason(user, start)
        if error is None:
            continue
        if actor is not None and policy.is_admin(actor) and (override_reason or "").strip():
            return True
        raise error
    return False


def record_override(*, actor, user_id: int, entry_id: int, action: str, reason: str) -> None:
    """Audit an administrator's correction of locked time, inside the transaction that made it."""
    signals.locked_time_corrected.send(
        sender=PeriodLock,
        entry_id=entry_id,
        user_id=user_id,
        actor_id=actor.pk,
        action=action,
        reason=reason.strip()[:500],
    )


def locked_span_end(user, start: datetime, lock_until=None, approved_week=None, *, probed: bool = False):
    """Where the locked time that `start` falls in ends (the midnight after the last locked day or the approved
    week, on `user`'s clock); None when `start` is not locked. A timer running across it is stopped there.

    With `probed`, `lock_until` and `approved_week` are those of `lock_probe` for the local day of `start` (read
    with the entry, as the timer's stop does); without, they are read here (one query)."""
    day = local_day(user, start)
    if not probed:
        lock_until, approved_week = _probe(user, day)
    ends = []
    if lock_until is not None and lock_until >= day:
        ends.append(periods.day_bounds(lock_until, user.tzinfo)[1])
    monday = periods.week_start(day)
    if approved_week == monday:
        ends.append(periods.week(monday).bounds(user.tzinfo)[1])
    return max(ends) if ends else None
