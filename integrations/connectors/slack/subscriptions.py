"""Scheduled saved reports delivered in Slack: the "slack" delivery channel of reports.subscriptions.

The target is a channel id (C…, G…) the bot is a member of, or empty for the subscriber's own DM (a linked Slack
account). Registered by SlackConnector.ready(): reports never imports integrations.
"""

from __future__ import annotations

import re

from slack_sdk.errors import SlackApiError

from reports.subscriptions import DeliveryChannel, DeliveryFailed, register_channel

from . import client, commands, selectors

CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{2,30}$")
# Slack errors that another attempt cannot fix: the subscriber must change the subscription or invite the bot.
PERMANENT = {
    "channel_not_found": "Slack knows no channel {target} that the bot can see.",
    "not_in_channel": "The bot is not in channel {target}: invite it there (/invite) and subscribe again.",
    "is_archived": "Channel {target} is archived.",
    "restricted_action": "The bot may not post in channel {target}.",
    "invalid_auth": "Slack refused the bot token: an admin must set Slack up again.",
    "account_inactive": "Slack refused the bot token: an admin must set Slack up again.",
}


def _code(exc: Exception) -> str:
    if isinstance(exc, SlackApiError) and isinstance(exc.response.data, dict):
        return str(exc.response.get("error") or "")
    return ""


def check(subscriber, target: str) -> str:
    """Why `target` cannot be used (a clear message), or "", from what is known here: Slack set up, a channel id,
    a linked account for a DM. Runs in the request that subscribes, so it never calls Slack (see `verify`)."""
    if not selectors.slack_secret("bot_token"):
        return "Slack is not set up on this installation."
    if not target:
        return "" if subscriber.slack_user_id else "Link your Slack account first (Profile → Slack) to get it by DM."
    if not CHANNEL_ID.match(target):
        return "target must be a Slack channel id such as C0123ABCD (or null for a direct message to you)."
    return ""


def verify(subscriber, target: str) -> str:
    """Ask Slack whether the bot can post in channel `target` (one conversations.info call, no retries,
    SLACK_API_TIMEOUT at most): "" or a clear reason. Runs in the subscription's check task after it is saved;
    when Slack cannot tell (no scope, an outage) the subscription is taken and delivery reports any problem."""
    token = selectors.slack_secret("bot_token")
    if not token:
        return "Slack is not set up on this installation."
    if not target:  # a DM to the subscriber's linked account: nothing to ask
        return "" if subscriber.slack_user_id else "Your Slack account is not linked."
    try:
        response = client.web_client(token, retries=False).conversations_info(channel=target)
    except client.SLACK_ERRORS as exc:
        code = _code(exc)
        if code in ("channel_not_found", "not_in_channel", "is_archived"):
            return PERMANENT[code].format(target=target)
        return ""
    channel = response.get("channel") or {}
    if channel.get("is_archived"):
        return PERMANENT["is_archived"].format(target=target)
    if not channel.get("is_im") and channel.get("is_member") is False:
        return PERMANENT["not_in_channel"].format(target=target)
    return ""


def send(subscription, subject: str, text: str, url: str) -> None:
    token = selectors.slack_secret("bot_token")
    if not token:
        raise DeliveryFailed("Slack is not set up on this installation.", permanent=True)
    channel = subscription.target or subscription.subscriber.slack_user_id
    if not channel:
        raise DeliveryFailed("Your Slack account is not linked.", permanent=True)
    lines = text.split("\n")
    body = "\n".join([f":bar_chart: <{url}|{commands.escape(lines[0])}>", *(commands.escape(x) for x in lines[1:-1])])
    try:
        client.post_message(token, channel=channel, text=body)
    except client.SLACK_ERRORS as exc:
        code = _code(exc)
        if code in PERMANENT:
            raise DeliveryFailed(PERMANENT[code].format(target=channel), permanent=True) from exc
        raise DeliveryFailed(client.describe_error(exc)) from exc


def register() -> None:
    register_channel("slack", DeliveryChannel(check=check, send=send, verify=verify))
