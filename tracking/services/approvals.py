"""Timesheet approvals and locked periods: submit, approve, reject, reopen a person-week; lock and reopen a period.

Every transition runs atomically under the person's row lock (the one every entry write takes, so a write and a
decision never interleave) and a row lock on the timesheet, checks the access policy, and sends its audit signal
inside the transaction, so the activity log records the change with its actor and comment or not at all.

States per person-week: open → submitted → approved / rejected (→ submitted again); an approved week goes back to
open only when the person's manager or an admin reopens it, with a reason.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts import policy
from accounts.models import Team
from timetracker.errors import message as error_message

from .. import periods, signals
from ..exceptions import ApprovalsDisabled, InvalidEntry, InvalidTransition
from ..models import ApprovalSettings, PeriodLock, TimeEntry, Timesheet, TimesheetState
from ..utils import format_date
from ._common import lock_user
from .timer import timer_stop

MAX_COMMENT = 2000
S = TimesheetState


def approvals_enabled() -> bool:
    """The admin's switch in the app when set, else the APPROVALS_ENABLED environment variable."""
    row = ApprovalSettings.objects.filter(pk=1).values_list("enabled", flat=True).first()
    return settings.APPROVALS_ENABLED if row is None else row


def _require_enabled() -> None:
    if not approvals_enabled():
        raise ApprovalsDisabled()


def _comment(text, *, required: bool, what: str) -> str:
    text = (text or "").strip()
    if "\x00" in text:
        raise InvalidEntry("The comment contains a NUL character.", field="comment")
    if len(text) > MAX_COMMENT:
        raise InvalidEntry(f"Use at most {MAX_COMMENT} characters.", field="comment")
    if required and not text:
        raise InvalidEntry(f"Say why: {what} needs a comment.", field="comment")
    return text


def _monday(week: date) -> date:
    return periods.week_start(week)


def _sheet_locked(user, week: date) -> Timesheet:
    lock_user(user.pk)
    sheet, _created = Timesheet.objects.get_or_create(user=user, week=week)
    return Timesheet.objects.select_for_update().select_related("user").get(pk=sheet.pk)


def _move(sheet: Timesheet, *, actor, to: str, comment: str = "") -> Timesheet:
    previous = sheet.state
    now = timezone.now()
    sheet.state = to
    if to == S.SUBMITTED:
        sheet.submitted_at = now
        sheet.decided_by, sheet.decided_at = None, None
        # The decider's comment stays visible until the week is decided again.
    else:
        sheet.comment = comment
        sheet.decided_by, sheet.decided_at = actor, now
    sheet.save()
    signals.timesheet_changed.send(
        sender=Timesheet,
        timesheet_id=sheet.pk,
        user_id=sheet.user_id,
        week=sheet.week.isoformat(),
        actor_id=getattr(actor, "pk", None),
        state=to,
        previous_state=previous,
        comment=comment,
    )
    return sheet


@transaction.atomic
def timesheet_submit(*, actor, week: date) -> Timesheet:
    """The actor submits their own ISO week (any day of it; Monday in their time zone) for approval."""
    _require_enabled()
    if not policy.writes(actor):
        raise policy.PolicyDenied("Viewers have read-only access and cannot change anything.")
    week = _monday(week)
    if week > periods.week_start(periods.local_today(actor)):
        raise InvalidEntry("A week in the future cannot be submitted yet.", field="week")
    sheet = _sheet_locked(actor, week)
    if sheet.state not in (S.OPEN, S.REJECTED):
        state = sheet.get_state_display().lower()
        raise InvalidTransition(f"The week of {format_date(week, 'short')} is already {state}.")
    return _move(sheet, actor=actor, to=S.SUBMITTED)


def _decidable(actor, user, week: date) -> Timesheet:
    _require_enabled()
    sheet = _sheet_locked(user, _monday(week))
    policy.require(actor, policy.CHANGE, sheet)
    return sheet


def _stop_timer_in(sheet: Timesheet, actor) -> None:
    """Approving a week stops a timer that started in it (at the week's end, by timer_stop's rule)."""
    running = TimeEntry.objects.filter(user_id=sheet.user_id, end__isnull=True).first()
    if running is not None and _monday(running.start.astimezone(sheet.user.tzinfo).date()) == sheet.week:
        timer_stop(actor=actor, user=sheet.user, source="web")


@transaction.atomic
def timesheet_approve(*, actor, user, week: date, comment: str = "") -> Timesheet:
    """The person's manager (or an admin) approves a submitted week; its entries are locked from now on."""
    comment = _comment(comment, required=False, what="approving")
    sheet = _decidable(actor, user, week)
    if sheet.state != S.SUBMITTED:
        raise InvalidTransition(
            f"Only a submitted week can be approved; this one is {sheet.get_state_display().lower()}."
        )
    sheet = _move(sheet, actor=actor, to=S.APPROVED, comment=comment)
    _stop_timer_in(sheet, actor)
    return sheet


@transaction.atomic
def timesheet_reject(*, actor, user, week: date, comment: str) -> Timesheet:
    """The person's manager (or an admin) returns a submitted week with a comment saying what to fix."""
    comment = _comment(comment, required=True, what="rejecting a week")
    sheet = _decidable(actor, user, week)
    if sheet.state != S.SUBMITTED:
        raise InvalidTransition(
            f"Only a submitted week can be rejected; this one is {sheet.get_state_display().lower()}."
        )
    return _move(sheet, actor=actor, to=S.REJECTED, comment=comment)


@transaction.atomic
def timesheet_reopen(*, actor, user, week: date, comment: str) -> Timesheet:
    """Reopen an approved (or submitted) week so it can change again; needs a reason."""
    comment = _comment(comment, required=True, what="reopening a week")
    sheet = _decidable(actor, user, week)
    if sheet.state not in (S.APPROVED, S.SUBMITTED):
        raise InvalidTransition("Only a submitted or approved week can be reopened.")
    return _move(sheet, actor=actor, to=S.OPEN, comment=comment)


@transaction.atomic
def timesheet_approve_many(*, actor, items) -> tuple[list[Timesheet], list[str]]:
    """Approve several (user, week) pairs; each one that cannot be approved is reported, the rest are approved."""
    approved, failed = [], []
    for user, week in items:
        try:
            with transaction.atomic():
                approved.append(timesheet_approve(actor=actor, user=user, week=week))
        except (InvalidTransition, policy.PolicyDenied, ApprovalsDisabled) as exc:
            failed.append(f"{user.display_name}, week of {format_date(_monday(week), 'short')}: {error_message(exc)}")
    return approved, failed


# --- locked periods -------------------------------------------------------------------------------------------------


def _affected_users(team: Team | None):
    users = get_user_model().objects.all()
    return users.filter(teams=team) if team is not None else users


def _stop_timers_across(lock: PeriodLock, actor) -> int:
    """Stop the running timers that started in the newly locked time (each at the lock's boundary)."""
    stopped = 0
    running = TimeEntry.objects.filter(end__isnull=True, user__in=_affected_users(lock.team)).select_related("user")
    for entry in running:
        if entry.start.astimezone(entry.user.tzinfo).date() <= lock.until:
            timer_stop(actor=actor, user=entry.user, source="web")
            stopped += 1
    return stopped


def period_lock_validate(*, actor, until: date, label: str = "") -> str:
    """Check a new lock (admins only, a past day or today, a short label); returns the cleaned label."""
    policy.require(actor, policy.CREATE, PeriodLock)
    label = (label or "").strip()
    if "\x00" in label or len(label) > 60:
        raise InvalidEntry("Use at most 60 characters, without NUL, for who locks it.", field="locked_by_label")
    if until > periods.local_today(actor):
        raise InvalidEntry("Only past days and today can be locked.", field="until")
    return label


@transaction.atomic
def period_lock_create(*, actor, until: date, team: Team | None = None, label: str = "") -> PeriodLock:
    """Lock everything up to `until` (inclusive, each person's own day) for everyone or a team. Admins only."""
    label = period_lock_validate(actor=actor, until=until, label=label)
    # The row locks of everyone affected: a write that started before us finishes first, any later one sees the lock.
    list(_affected_users(team).select_for_update().values_list("pk", flat=True))
    lock = PeriodLock.objects.create(until=until, team=team, created_by=actor, locked_by_label=label)
    signals.period_lock_changed.send(
        sender=PeriodLock,
        lock_id=lock.pk,
        actor_id=actor.pk,
        action="locked",
        until=until.isoformat(),
        team_id=lock.team_id,
        reason="",
    )
    _stop_timers_across(lock, actor)
    return lock


@transaction.atomic
def period_lock_reopen(*, actor, lock: PeriodLock, reason: str) -> PeriodLock:
    """Reopen a locked period (the lock stops applying; the row stays for the audit). Admins only; needs a reason."""
    policy.require(actor, policy.DELETE, lock)
    reason = _comment(reason, required=True, what="reopening a locked period")
    lock = PeriodLock.objects.select_for_update().get(pk=lock.pk)
    if lock.reopened_at is not None:
        raise InvalidTransition("This period was reopened already.")
    lock.reopened_at, lock.reopened_by, lock.reopen_reason = timezone.now(), actor, reason
    lock.save(update_fields=["reopened_at", "reopened_by", "reopen_reason"])
    signals.period_lock_changed.send(
        sender=PeriodLock,
        lock_id=lock.pk,
        actor_id=actor.pk,
        action="reopened",
        until=lock.until.isoformat(),
        team_id=lock.team_id,
        reason=reason,
    )
    return lock


@transaction.atomic
def approval_settings_update(*, actor, **fields) -> ApprovalSettings:
    """Change the installation's approval settings (admins only): enabled, reminders, required teams."""
    policy.require(actor, policy.CHANGE, ApprovalSettings)
    teams = fields.pop("required_teams", None)
    allowed = {"enabled", "reminders_enabled", "reminder_weekday", "reminder_hour"}
    unknown = set(fields) - allowed
    if unknown:
        raise InvalidEntry(f"Unknown fields: {', '.join(sorted(unknown))}.")
    row = ApprovalSettings.get()
    row = ApprovalSettings.objects.select_for_update().get(pk=row.pk)
    for name, value in fields.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    if teams is not None:
        row.required_teams.set(teams)
    return row


def approvals_required_for(user) -> bool:
    """Whether `user`'s missing or waiting weeks are flagged and reminded (a team of theirs requires approvals)."""
    return ApprovalSettings.objects.filter(pk=1, required_teams__members=user).exists()
