"""Handling Slack's requests once the framework has verified and recorded them: slash commands, the Events API's
url_verification and events, and Slack's certificate check.

Answers go back to Slack as they are (`exact`): an ephemeral message for a command, the challenge for a URL
verification, an empty 200 for a certificate check. Only the database is touched, so the answer fits in Slack's
3-second budget; anything that asks Slack runs in a task.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.urls import reverse

from timetracker import outbox

from ...models import WebhookDelivery
from ..base import WebhookOutcome
from . import commands, selectors, tasks

logger = logging.getLogger(__name__)

Status = WebhookDelivery.Status

SLASH_COMMAND = "slash_command"
SSL_CHECK = "ssl_check"
URL_VERIFICATION = "url_verification"
EVENT_CALLBACK = "event_callback"
LINK_SHARED = "link_shared"


def profile_url() -> str:
    """Where a person links their Slack account: their profile page (which links the Slack preferences)."""
    return settings.SITE_URL + reverse("profile")


def _answer(status: str, detail: str, body: dict | None) -> WebhookOutcome:
    return WebhookOutcome(status, detail, 200, body, exact=True)


def handle(event: str, payload: dict) -> WebhookOutcome:
    if event == SSL_CHECK:
        return _answer(Status.PROCESSED, "Slack checked the request URL's certificate.", None)
    if event == SLASH_COMMAND:
        return slash_command(payload)
    if event == URL_VERIFICATION:
        challenge = {"challenge": str(payload.get("challenge", ""))}
        return _answer(Status.PROCESSED, "Answered the URL verification.", challenge)
    inner = payload.get("event") if isinstance(payload.get("event"), dict) else {}
    if event == EVENT_CALLBACK and inner.get("type") == LINK_SHARED:
        return link_shared(inner)
    return _answer(Status.IGNORED, f"{event or 'The event'} is acknowledged, not handled.", {"ok": True})


def link_shared(event: dict) -> WebhookOutcome:
    """Someone pasted links to this installation: previews are computed and posted (chat.unfurl) in a task."""
    links = event.get("links") if isinstance(event.get("links"), list) else []
    urls = [str(link.get("url"))[:2000] for link in links if isinstance(link, dict) and link.get("url")][:10]
    channel, ts = str(event.get("channel") or ""), str(event.get("message_ts") or "")
    if not (urls and channel and ts):
        return _answer(Status.IGNORED, "A link_shared event without links, channel or message.", {"ok": True})
    outbox.enqueue(tasks.slack_unfurl_task.name, channel, ts, str(event.get("user") or ""), urls)
    return _answer(Status.PROCESSED, f"Previews of {len(urls)} link(s) queued.", {"ok": True})


def slash_command(payload: dict) -> WebhookOutcome:
    slack_user_id = str(payload.get("user_id") or "")
    command = str(payload.get("command") or "/tt")
    user = selectors.user_for_slack_id(slack_user_id)
    if user is None:
        response_url = str(payload.get("response_url") or "")
        if slack_user_id and response_url:
            # Linking by email asks Slack: in the background, answering through response_url.
            outbox.enqueue(tasks.slack_link_from_slack_task.name, slack_user_id, response_url)
        answer = commands.ephemeral(commands.unlinked_text(profile_url()))
        return _answer(Status.IGNORED, "The Slack user is not linked to a TimeTracker account.", answer)
    text = str(payload.get("text") or "")
    answer = commands.run(user=user, text=text, command=command)
    verb = text.strip().partition(" ")[0].lower()
    return _answer(Status.PROCESSED, f"{command} {verb}".strip() + f" for user #{user.pk}.", answer)
