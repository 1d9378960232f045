"""Celery tasks of tracking: the timesheet reminders (beat) and sending one reminder. They take ids and call
services; the ledger claim in `timesheet_reminders_claim` makes each reminder go out once."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.utils import timezone

from . import signals
from .models import TimesheetReminder
from .services.reminders import timesheet_reminder_mark, timesheet_reminder_text, timesheet_reminders_claim

logger = logging.getLogger(__name__)


@shared_task(name="tracking.timesheet_reminders")
def timesheet_reminders_task() -> int:
    """The beat job (every 15 minutes): claim the due reminders and hand each to its own task."""
    claimed = timesheet_reminders_claim(now=timezone.now())
    for reminder in claimed:
        timesheet_reminder_send_task.delay(reminder.pk)
    return len(claimed)


@shared_task(name="tracking.timesheet_reminder_send")
def timesheet_reminder_send_task(reminder_id: int) -> str:
    """Deliver one claimed reminder: through a connector that takes it (a Slack DM), else by email."""
    reminder = TimesheetReminder.objects.select_related("user").filter(pk=reminder_id).first()
    if reminder is None or reminder.channel:
        return "already handled"
    subject, text = timesheet_reminder_text(reminder)
    results = signals.timesheet_reminder_due.send(
        sender=TimesheetReminder,
        reminder_id=reminder.pk,
        user_id=reminder.user_id,
        kind=reminder.kind,
        week=reminder.week.isoformat(),
        subject=subject,
        text=text,
    )
    channel = next((str(r) for _receiver, r in results if r), "")
    if not channel:
        if not reminder.user.email:
            channel = "none"
        else:
            try:
                connection = get_connection(timeout=settings.REMINDER_EMAIL_TIMEOUT)
                send_mail(subject, text, None, [reminder.user.email], connection=connection)
                channel = "email"
            except Exception as exc:  # noqa: BLE001 - an outage loses this reminder, never the beat
                logger.warning("timesheet reminder %s not sent: %s", reminder.pk, exc.__class__.__name__)
                channel = "failed"
    timesheet_reminder_mark(reminder, channel)
    return channel
