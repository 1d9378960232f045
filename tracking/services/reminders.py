"""Timesheet reminders: who is due one, claimed in a ledger so each goes out once per person, week and kind.

Members of a team that requires approvals are reminded to submit last week when it is still open or rejected once
their own clock passes the configured weekday and hour; managers of such teams are reminded once a week when weeks
of their people wait for them. `timesheet_reminders_claim` inserts the ledger row (unique per person, week and kind)
before anything is sent: a beat that runs late, twice or on two workers still sends each reminder once.
Delivering is the task's job (tracking.tasks): a Slack DM when a connector takes it, else an email.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse

from .. import periods
from ..models import ApprovalSettings, Timesheet, TimesheetReminder, TimesheetState
from ..utils import format_date
from .approvals import approvals_enabled

Kind = TimesheetReminder.Kind


def _due(user, config: ApprovalSettings, now: datetime) -> date | None:
    """Last week's Monday on `user`'s clock once their reminder time this week has passed; else None."""
    local = periods.local_now(user, now)
    if (local.weekday(), local.hour) < (config.reminder_weekday, config.reminder_hour):
        return None
    return periods.week_start(local.date()) - timedelta(days=7)


def _claim(user, week: date, kind: str) -> TimesheetReminder | None:
    try:
        with transaction.atomic():
            return TimesheetReminder.objects.create(user=user, week=week, kind=kind)
    except IntegrityError:
        return None  # claimed before: sent (or being sent) once already


def timesheet_reminders_claim(*, now: datetime) -> list[TimesheetReminder]:
    """Claim every reminder due at `now` and not sent before; returns the claimed ledger rows."""
    config = ApprovalSettings.objects.filter(pk=1).first()
    if config is None or not config.reminders_enabled or not approvals_enabled():
        return []
    teams = list(config.required_teams.all())
    if not teams:
        return []
    users = get_user_model().objects.filter(is_active=True, erased_at__isnull=True)
    claimed = []
    members = users.filter(teams__in=teams).exclude(role="viewer").distinct()
    for member in members:
        week = _due(member, config, now)
        if week is None:
            continue
        state = Timesheet.objects.filter(user=member, week=week).values_list("state", flat=True).first()
        if state in (None, TimesheetState.OPEN, TimesheetState.REJECTED):
            row = _claim(member, week, Kind.SUBMIT)
            if row is not None:
                claimed.append(row)
    for manager in users.filter(managed_teams__in=teams).distinct():
        week = _due(manager, config, now)
        if week is None:
            continue
        waiting = Timesheet.objects.filter(
            user__teams__managers=manager, user__teams__in=teams, state=TimesheetState.SUBMITTED
        ).exclude(user=manager)
        if waiting.exists():
            row = _claim(manager, week, Kind.REVIEW)
            if row is not None:
                claimed.append(row)
    return claimed


def timesheet_reminder_text(reminder: TimesheetReminder) -> tuple[str, str]:
    """(subject, text) of a reminder, in the person's words; ids and names of others are not in it."""
    if reminder.kind == Kind.SUBMIT:
        url = f"{settings.SITE_URL}{reverse('entry_week')}?week={reminder.week:%Y-%m-%d}"
        week = format_date(reminder.week, "short")
        subject = f"Please submit your week of {week}"
        return subject, f"Your week of {week} has not been submitted for approval yet: {url}"
    url = f"{settings.SITE_URL}{reverse('team_overview')}"
    return "Weeks are waiting for your approval", f"Weeks of your team are waiting for your approval: {url}"


def timesheet_reminder_mark(reminder: TimesheetReminder, channel: str) -> None:
    TimesheetReminder.objects.filter(pk=reminder.pk).update(channel=channel[:16])
