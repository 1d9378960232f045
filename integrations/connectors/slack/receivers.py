"""Receivers of tracking's timer signals (any source: web, API, GitHub, Slack) and of saved reports' comments:
each enqueues a notice task.

Connected by SlackConnector.ready() with an explicit sender and dispatch_uid. Queuing never raises into the
timer's request: a broker outage is logged and the timer carries on.
"""

from __future__ import annotations

import logging

from reports.models import SavedReport
from reports.signals import report_commented
from tracking.models import TimeEntry
from tracking.signals import timer_started, timer_stopped

from . import tasks

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


def on_report_commented(sender, comment_id, actor_id=None, owner_id=None, **kwargs) -> None:
    if owner_id is None or owner_id == actor_id:
        return
    try:
        tasks.slack_notify_comment_task.delay(comment_id)
    except Exception:  # a notice is optional; the comment is saved
        logger.exception("Could not queue the Slack notice for comment %s", comment_id)


def connect() -> None:
    timer_started.connect(on_timer_started, sender=TimeEntry, dispatch_uid="integrations.slack.timer_started")
    timer_stopped.connect(on_timer_stopped, sender=TimeEntry, dispatch_uid="integrations.slack.timer_stopped")
    report_commented.connect(
        on_report_commented, sender=SavedReport, dispatch_uid="integrations.slack.report_commented"
    )
