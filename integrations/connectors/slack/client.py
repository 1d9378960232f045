"""Slack's Web API through the official `slack_sdk` client, pointed at settings.SLACK_API_URL.

Callers run in Celery tasks (never in a timer's request); every call has settings.SLACK_API_TIMEOUT. Errors are
described by `describe_error` in words safe to store in the integration status: never the token.
"""

from __future__ import annotations

import json

from django.conf import settings
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.webhook import WebhookClient

# Everything a call to Slack may raise: the API said ok=false, the client failed, the network failed or timed out,
# or the answer was not JSON.
SLACK_ERRORS = (SlackClientError, OSError, ValueError)


def web_client(token: str, *, retries: bool = True) -> WebClient:
    """`retries=False` for a call a person waits for ("Test connection"): one attempt, SLACK_API_TIMEOUT at most."""
    client = WebClient(token=token or None, base_url=settings.SLACK_API_URL, timeout=settings.SLACK_API_TIMEOUT)
    if not retries:
        client.retry_handlers = []
    return client


def post_message(token: str, *, channel: str, text: str, blocks: list | None = None) -> dict:
    response = web_client(token).chat_postMessage(channel=channel, text=text, blocks=blocks, unfurl_links=False)
    return response.data if isinstance(response.data, dict) else {}


def unfurl(token: str, *, channel: str, ts: str, unfurls: dict) -> dict:
    """chat.unfurl: previews for the links of one message (`unfurls` keyed by each URL)."""
    response = web_client(token).chat_unfurl(channel=channel, ts=ts, unfurls=unfurls)
    return response.data


def lookup_by_email(token: str, email: str) -> str:
    """The Slack user id of `email`, or "" when Slack knows no such user. Needs the users:read.email scope."""
    try:
        response = web_client(token).users_lookupByEmail(email=email)
    except SlackApiError as exc:
        if exc.response.get("error") == "users_not_found":
            return ""
        raise
    return str((response.get("user") or {}).get("id") or "")


def user_email(token: str, slack_user_id: str) -> str:
    """The email of a Slack user (users.info), or "" when Slack does not share it (no users:read.email scope)."""
    response = web_client(token).users_info(user=slack_user_id)
    return str(((response.get("user") or {}).get("profile") or {}).get("email") or "")


def respond(response_url: str, message: dict) -> None:
    """Answer a slash command later through its response_url (valid 30 minutes, up to 5 times)."""
    response = WebhookClient(response_url, timeout=settings.SLACK_API_TIMEOUT).send_dict(message)
    if response.status_code >= 400:
        raise SlackClientError(f"The response_url answered {response.status_code}")


def describe_error(exc: Exception) -> str:
    """A short message for the integration status: Slack's error code or the kind of failure, never a token."""
    if isinstance(exc, SlackApiError):
        response = exc.response
        code = response.get("error") if isinstance(response.data, dict) else None
        return f"Slack answered {response.status_code}: {code or 'not a Web API response'}"
    if isinstance(exc, TimeoutError) or "timed out" in str(exc):
        return "Slack did not answer in time"
    if isinstance(exc, json.JSONDecodeError | ValueError):
        return "Slack's answer was not JSON"
    if isinstance(exc, OSError):
        return f"{type(exc).__name__}: could not reach Slack"
    return f"{type(exc).__name__} talking to Slack"
