"""Receivers of tracking's timer signals (any source: web, API, GitHub, Slack) and timesheet reminders: each
enqueues a task.

Connected by SlackConnector.ready() with an explicit sender and dispatch_uid. Queuing never raises into the
timer's request: a broker outage is logged and the timer carries on.
"""

from __future__ import annotations

import logging

from tracking.models import TimeEntry, TimesheetReminder
from tracking.signals import timer_started, timer_stopped, timesheet_reminder_due

from . import selectors, tasks

logger = logging.getLogger(__name__)


def _enqueue(*args) -> None:
    try:
        tasks.slack_notify_timer_task.delay(*args)
    except Exception:  # a notice is optional; the timer is not
        logger.exception("Could not queue the Slack notice for entry %s", args[0])


def on_timer_started(sender, entry_id, **kwargs) -> None:
    _enqueue(entry_id, "started")


def on_timer_stopped(sender, entry_id, duration_seconds=None, **kwargs) -> None:
    _enqueue(entry_id, "stopped", duration_seconds)


def on_timesheet_reminder_due(sender, reminder_id, user_id, text, **kwargs) -> str:
    """Take a timesheet reminder for a linked person while Slack is set up (a DM, sent by a task): returns "slack".
    Anyone else gets it by email from tracking."""
    if not selectors.slack_secret("bot_token") or selectors.summary_recipient(user_id) is None:
        return ""
    try:
        tasks.slack_reminder_send_task.delay(user_id, text)
    except Exception:  # the broker is down: let email take it
        logger.exception("Could not queue the Slack reminder %s", reminder_id)
        return ""
    return "slack"


def connect() -> None:
    timer_started.connect(on_timer_started, sender=TimeEntry, dispatch_uid="integrations.slack.timer_started")
    timer_stopped.connect(on_timer_stopped, sender=TimeEntry, dispatch_uid="integrations.slack.timer_stopped")
    timesheet_reminder_due.connect(
        on_timesheet_reminder_due, sender=TimesheetReminder, dispatch_uid="integrations.slack.timesheet_reminder"
    )
