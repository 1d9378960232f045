"""The Slack connector: an organisation-wide integration holding the app's signing secret and bot token.

Slack's request URLs (`/api/integrations/slack/commands` and `/events`, its `webhook_urls`) go through the
framework's `webhook_receive`: the v0 signature is checked here (`webhook_verify`) before the body is parsed, every
request is recorded as a `WebhookDelivery`, and Slack's retries (`X-Slack-Retry-Num`) of a command or event already
received are answered 200 without running it again — a command is known by its `trigger_id`, an event by its
`event_id`. The handling itself is in `inbound.py`.
"""

from __future__ import annotations

from slack_sdk.errors import SlackApiError

from timetracker import jsonsafe

from ..base import ORGANISATION, ConfigField, Connector, PeriodicJob, SecretField, WebhookOutcome, register
from . import client, inbound, verification

TRUE = {"1", "true", "yes", "on"}


def _bool(value, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value if isinstance(value, bool) else str(value).strip().lower() in TRUE


@register
class SlackConnector(Connector):
    provider = "slack"
    name = "Slack"
    description = "/tt start, stop, status, today and week in Slack; timer notices; a daily summary by DM."
    docs_path = "docs/integrations/SLACK.md"
    scopes = (ORGANISATION,)
    config_fields = (
        ConfigField(
            "default_channel",
            "Default channel",
            help="Channel ID (e.g. C0123ABCD) for start/stop notices; invite the app to it.",
        ),
        ConfigField(
            "notify_on_start", "Post when a timer starts", kind="bool", help="People may turn theirs off.", default=True
        ),
        ConfigField(
            "notify_on_stop", "Post when a timer stops", kind="bool", help="People may turn theirs off.", default=True
        ),
    )
    secret_fields = (
        SecretField("signing_secret", "Signing secret", help="Slack app → Basic Information → App Credentials."),
        SecretField("bot_token", "Bot token", help="xoxb-…, from Slack app → OAuth & Permissions."),
    )
    urls = "integrations.connectors.slack.urls"
    webhook_urls = (("commands", "slack_commands"), ("events", "slack_events"))  # the events URL takes commands too
    periodic_jobs = (PeriodicJob("slack: daily summaries", "integrations.slack.daily_summaries", {"minute": "*/5"}),)

    @classmethod
    def ready(cls) -> None:
        from . import admin, receivers, subscriptions

        receivers.connect()
        admin.register()
        subscriptions.register()

    @classmethod
    def clean_config(cls, config: dict, *, is_active: bool) -> dict:
        return {
            "default_channel": str(config.get("default_channel") or "").strip(),
            "notify_on_start": _bool(config.get("notify_on_start"), True),
            "notify_on_stop": _bool(config.get("notify_on_stop"), True),
        }

    # -- Slack's requests, through the framework's webhook receiving -----------------------------------------------
    def webhook_verify(self, request) -> bool:
        return verification.signature_valid(
            self.secret("signing_secret"),
            request.body,
            request.headers.get("X-Slack-Request-Timestamp"),
            request.headers.get("X-Slack-Signature"),
        )

    @classmethod
    def webhook_signed_content(cls, request) -> bytes:
        """The v0 signature covers `v0:{timestamp}:{body}`: the same command sent again within the 5-minute window
        is a replay; a new request (even with the same text) has a new timestamp and trigger_id."""
        return b"v0:" + request.headers.get("X-Slack-Request-Timestamp", "").encode() + b":" + request.body

    @classmethod
    def webhook_parse(cls, request) -> dict:
        """A slash command or certificate check (form-encoded), else an Events API JSON object. Slack's legacy
        verification token is dropped: it is a secret and the signature already authenticated the request."""
        if request.content_type == "application/x-www-form-urlencoded" and (
            "command" in request.POST or "ssl_check" in request.POST
        ):
            jsonsafe.check_form(request.body)  # not UTF-8, or NUL characters: a failed delivery
            payload = {key: request.POST.get(key) for key in request.POST}
        else:
            payload = super().webhook_parse(request)
        payload.pop("token", None)
        return payload

    @classmethod
    def webhook_identify(cls, request, payload: dict, delivery_id: str, event: str) -> tuple[str, str]:
        if "ssl_check" in payload:
            return "", inbound.SSL_CHECK
        if "command" in payload:
            return str(payload.get("trigger_id") or ""), inbound.SLASH_COMMAND
        return str(payload.get("event_id") or ""), str(payload.get("type") or "")

    @classmethod
    def webhook_duplicate(cls, request) -> WebhookOutcome:
        # Slack retries (X-Slack-Retry-Num) what it thinks went unanswered; the first answer already went back.
        return WebhookOutcome("duplicate", "", 200, None, exact=True)

    def do_handle_webhook(self, event: str, payload: dict, delivery) -> WebhookOutcome:
        return inbound.handle(event, payload)

    def do_test_connection(self) -> dict:
        token = self.secret("bot_token")
        if not token:
            return {"ok": False, "error": "Set the bot token (xoxb-…) first."}
        try:
            answer = client.web_client(token, retries=False).auth_test()
        except SlackApiError as exc:
            return {"ok": False, "error": client.describe_error(exc)}
        except client.SLACK_ERRORS as exc:
            return {"ok": False, "error": client.describe_error(exc), "error_code": "network"}
        missing = "" if self.secret("signing_secret") else " Set the signing secret too, or commands are refused."
        return {
            "ok": True,
            "message": f"Connected to the workspace {answer.get('team', '?')} as {answer.get('user', '?')}.{missing}",
        }
