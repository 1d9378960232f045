"""Celery tasks of the Slack connector: timer notices, daily summaries, answering a command later.

They take ids, never raise into the caller (a timer's request may run them in-process when there is no broker),
retry Slack failures with exponential backoff, and record the final failure in the integration status.
"""

from __future__ import annotations

import logging
from datetime import date

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from ... import services as framework
from . import client, commands, notices, selectors, services, unfurls

logger = logging.getLogger(__name__)

MAX_RETRIES = 3
BACKOFF_SECONDS = 30  # 30 s, 60 s, 120 s


def _backoff(retries: int) -> int:
    return BACKOFF_SECONDS * (2**retries)


def _may_retry(task) -> bool:
    # Without a broker a task runs inside the request that sent the signal, and Celery would retry it there at
    # once; then one attempt is all, so a Slack outage never holds up a timer.
    return task.request.retries < task.max_retries and not settings.CELERY_TASK_ALWAYS_EAGER


# -- timer notices ----------------------------------------------------------------------------------------------------


@shared_task(bind=True, name="integrations.slack.notify_timer", max_retries=MAX_RETRIES)
def slack_notify_timer_task(self, entry_id: int, event: str, duration_seconds: int | None = None) -> str:
    """Post a start ("started") or stop ("stopped") notice for the entry, if the settings ask for one."""
    integration = selectors.slack_integration()
    token = selectors.slack_secret("bot_token", integration) if integration is not None else ""
    if not token:
        selectors.slack_remember_not_set_up()  # the next timers queue no notice (receivers.py)
        return "not configured"
    entry = selectors.entry_for_notice(entry_id)
    if entry is None:
        return "entry gone"
    channel = notices.notice_target(entry, event, integration.config or {})
    if not channel:
        return "not wanted"
    text = notices.notice_text(entry, event, dm=channel == entry.user.slack_user_id, duration_seconds=duration_seconds)
    try:
        client.post_message(token, channel=channel, text=text)
    except client.SLACK_ERRORS as exc:
        return _retry_or_record(self, exc, integration, f"the {event} notice for entry {entry_id}", "notify_failed")
    return "posted"


@shared_task(bind=True, name="integrations.slack.notify_comment", max_retries=MAX_RETRIES)
def slack_notify_comment_task(self, comment_id: int) -> str:
    """Tell a saved report's owner about a new comment by DM, when they linked Slack and asked for it."""
    integration = selectors.slack_integration()
    token = selectors.slack_secret("bot_token", integration) if integration is not None else ""
    if not token:
        return "not configured"
    comment = selectors.comment_for_notice(comment_id)
    if comment is None:
        return "comment gone"
    channel = notices.comment_target(comment)
    if not channel:
        return "not wanted"
    try:
        client.post_message(token, channel=channel, text=notices.comment_text(comment))
    except client.SLACK_ERRORS as exc:
        return _retry_or_record(self, exc, integration, f"the notice of comment {comment_id}", "notify_failed")
    return "posted"


@shared_task(bind=True, name="integrations.slack.unfurl", max_retries=MAX_RETRIES)
def slack_unfurl_task(self, channel: str, ts: str, slack_user_id: str, urls: list) -> str:
    """Answer a link_shared event: chat.unfurl with a preview of each saved report or share link that gets one."""
    integration = selectors.slack_integration()
    token = selectors.slack_secret("bot_token", integration) if integration is not None else ""
    if not token:
        return "not configured"
    found = unfurls.unfurls(urls, slack_user_id)
    if not found:
        return "nothing to preview"
    try:
        client.unfurl(token, channel=channel, ts=ts, unfurls=found)
    except client.SLACK_ERRORS as exc:
        return _retry_or_record(self, exc, integration, f"the previews in {channel}", "unfurl_failed")
    return "unfurled"


def _retry_or_record(task, exc: Exception, integration, what: str, error_code: str) -> str:
    error = client.describe_error(exc)
    if _may_retry(task):
        raise task.retry(exc=exc, countdown=_backoff(task.request.retries))
    framework.integration_record_failure(integration=integration, what=what, error=error, error_code=error_code)
    return f"failed: {error}"


@shared_task(bind=True, name="integrations.slack.reminder_send", max_retries=MAX_RETRIES)
def slack_reminder_send_task(self, user_id: int, text: str) -> str:
    """DM a timesheet reminder (claimed once in tracking's ledger) to a linked person."""
    integration = selectors.slack_integration()
    token = selectors.slack_secret("bot_token", integration)
    user = selectors.summary_recipient(user_id)
    if not token or user is None:
        return "not configured"
    try:
        client.post_message(token, channel=user.slack_user_id, text=text)
    except client.SLACK_ERRORS as exc:
        return _retry_or_record(self, exc, integration, "a timesheet reminder", "reminder_failed")
    return "posted"


# -- daily summaries --------------------------------------------------------------------------------------------------


@shared_task(name="integrations.slack.daily_summaries")
def slack_daily_summaries_task() -> int:
    """The beat job (every 5 minutes): hand every due summary to its own task. Sending is claimed in the database,
    so running this late, twice or on two workers still sends each summary once."""
    if selectors.slack_integration() is None:
        return 0
    due = selectors.summaries_due(now=timezone.now())
    for user_id, day in due:
        slack_summary_send_task.delay(user_id, day.isoformat())
    return len(due)


@shared_task(bind=True, name="integrations.slack.summary_send", max_retries=MAX_RETRIES)
def slack_summary_send_task(self, user_id: int, day: str, claim_id: int | None = None) -> str:
    """Send `user_id`'s summary of `day` (ISO date) as a DM, once: the first call claims it; its retries carry the
    claim; any other call finds it claimed and does nothing."""
    integration = selectors.slack_integration()
    token = selectors.slack_secret("bot_token", integration)
    user = selectors.summary_recipient(user_id)
    if not token or user is None:
        return "not configured"
    if claim_id is None:
        claim = services.summary_claim(user_id=user_id, day=date.fromisoformat(day))
        if claim is None:
            return "already sent"
    else:
        claim = selectors.summary_claim_pending(claim_id)
        if claim is None:
            return "already handled"
    try:
        client.post_message(token, channel=user.slack_user_id, text=notices.summary_text(user, claim.date))
    except client.SLACK_ERRORS as exc:
        error = client.describe_error(exc)
        if _may_retry(self):
            raise self.retry(args=(user_id, day, claim.pk), exc=exc, countdown=_backoff(self.request.retries)) from exc
        services.summary_mark_failed(claim, error)
        framework.integration_record_failure(
            integration=integration, what=f"the daily summary of {claim.date}", error=error, error_code="summary_failed"
        )
        return f"failed: {error}"
    services.summary_mark_sent(claim)
    return "sent"


# -- answering a command later ----------------------------------------------------------------------------------------


@shared_task(name="integrations.slack.link_from_slack")
def slack_link_from_slack_task(slack_user_id: str, response_url: str) -> str:
    """An unlinked Slack user ran a command: try to link them by email and tell them through response_url."""
    try:
        user = services.slack_user_link_from_slack(slack_user_id=slack_user_id)
    except client.SLACK_ERRORS as exc:
        logger.info("Could not link Slack user by email: %s", client.describe_error(exc))
        return "not linked"
    if user is None:
        return "not linked"
    try:
        client.respond(
            response_url,
            commands.ephemeral(
                f"Found you by your email: your Slack account is now linked to {commands.escape(user)}'s "
                "TimeTracker account. Run your command again."
            ),
        )
    except client.SLACK_ERRORS as exc:
        logger.info("Could not answer through response_url: %s", client.describe_error(exc))
    return "linked"
