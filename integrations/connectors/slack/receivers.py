"""Receivers of tracking's timer signals (any source: web, API, GitHub, Slack), of saved reports' comments and
of timesheet reminders: each enqueues a task.

Connected by SlackConnector.ready() with an explicit sender and dispatch_uid. Queuing never raises into the
timer's request and never delays it: a broker outage leaves the notice in the outbox, to be sent later; without a
broker the notice runs after the timer's response has gone out.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from reports.models import SavedReport
from reports.signals import report_commented
from timetracker import outbox
from tracking.models import TimeEntry, TimesheetReminder
from tracking.signals import timer_started, timer_stopped, timesheet_reminder_due

from ...models import Integration
from . import selectors, tasks


def _enqueue(*args) -> None:
    # Slack known not to be set up (cached by the task that found it so): no notice to queue. Not known, or the
    # cache failing: queued, and the task finds out.
    if selectors.slack_known_not_set_up():
        return
    outbox.enqueue(tasks.slack_notify_timer_task.name, *args)


def on_timer_started(sender, entry_id, **kwargs) -> None:
    _enqueue(entry_id, "started")


def on_timer_stopped(sender, entry_id, duration_seconds=None, **kwargs) -> None:
    _enqueue(entry_id, "stopped", duration_seconds)


def on_report_commented(sender, comment_id, actor_id=None, owner_id=None, **kwargs) -> None:
    if owner_id is None or owner_id == actor_id:
        return
    outbox.enqueue(tasks.slack_notify_comment_task.name, comment_id)


def on_timesheet_reminder_due(sender, reminder_id, user_id, text, **kwargs) -> str:
    """Take a timesheet reminder for a linked person while Slack is set up (a DM, sent by a task): returns "slack".
    Anyone else gets it by email from tracking."""
    if not selectors.slack_secret("bot_token") or selectors.summary_recipient(user_id) is None:
        return ""
    outbox.enqueue(tasks.slack_reminder_send_task.name, user_id, text)  # kept and sent later if the broker is down
    return "slack"


def on_integration_changed(sender, **kwargs) -> None:
    """An integration saved or deleted: Slack may be set up now. Forgotten at once and again once the change has
    committed (a notice task reading the old state in between could have remembered it)."""
    selectors.slack_forget_not_set_up()
    transaction.on_commit(selectors.slack_forget_not_set_up)


def connect() -> None:
    post_save.connect(on_integration_changed, sender=Integration, dispatch_uid="integrations.slack.setup_saved")
    post_delete.connect(on_integration_changed, sender=Integration, dispatch_uid="integrations.slack.setup_deleted")
    timer_started.connect(on_timer_started, sender=TimeEntry, dispatch_uid="integrations.slack.timer_started")
    timer_stopped.connect(on_timer_stopped, sender=TimeEntry, dispatch_uid="integrations.slack.timer_stopped")
    report_commented.connect(
        on_report_commented, sender=SavedReport, dispatch_uid="integrations.slack.report_commented"
    )
    timesheet_reminder_due.connect(
        on_timesheet_reminder_due, sender=TimesheetReminder, dispatch_uid="integrations.slack.timesheet_reminder"
    )
