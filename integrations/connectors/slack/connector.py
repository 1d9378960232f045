"""The Slack connector: an organisation-wide integration holding the app's signing secret and bot token."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError

from ..base import ORGANISATION, ConfigField, Connector, PeriodicJob, SecretField, register
from . import client

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
    periodic_jobs = (PeriodicJob("slack: daily summaries", "integrations.slack.daily_summaries", {"minute": "*/5"}),)

    @classmethod
    def ready(cls) -> None:
        from . import admin, receivers

        receivers.connect()
        admin.register()

    @classmethod
    def clean_config(cls, config: dict, *, is_active: bool) -> dict:
        return {
            "default_channel": str(config.get("default_channel") or "").strip(),
            "notify_on_start": _bool(config.get("notify_on_start"), True),
            "notify_on_stop": _bool(config.get("notify_on_stop"), True),
        }

    def do_test_connection(self) -> dict:
        token = self.secret("bot_token")
        if not token:
            return {"ok": False, "error": "Set the bot token (xoxb-…) first."}
        try:
            answer = client.web_client(token).auth_test()
        except SlackApiError as exc:
            return {"ok": False, "error": client.describe_error(exc)}
        except client.SLACK_ERRORS as exc:
            return {"ok": False, "error": client.describe_error(exc), "error_code": "network"}
        missing = "" if self.secret("signing_secret") else " Set the signing secret too, or commands are refused."
        return {
            "ok": True,
            "message": f"Connected to the workspace {answer.get('team', '?')} as {answer.get('user', '?')}.{missing}",
        }
