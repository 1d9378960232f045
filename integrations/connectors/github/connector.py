"""The GitHub connector: configuration, connection test, sync and webhook handling."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs

from django.core.exceptions import ValidationError

from ..base import ORGANISATION, ConfigField, Connector, SecretField, clean_project_choice, register
from . import sync, webhooks
from .client import GitHubClient

REPOSITORY = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
TRUE = {"1", "true", "yes", "on"}


@register
class GitHubConnector(Connector):
    provider = "github"
    name = "GitHub"
    description = "Issues become tasks; assigning an issue can start the assignee's timer."
    docs_path = "docs/integrations/GITHUB.md"
    # Organisation-wide only: its tasks land in shared projects, which only managers and admins may shape.
    scopes = (ORGANISATION,)
    config_fields = (
        ConfigField("repository", "Repository", help="owner/name, e.g. octo-org/website", required=True),
        ConfigField(
            "default_project", "Default project", kind="project", help="Issues become tasks here.", required=True
        ),
        ConfigField(
            "label_filter", "Label filter", kind="list", help="Only issues with one of these labels; empty = all."
        ),
        ConfigField("auto_start_timer", "Start the assignee's timer", kind="bool", help="When an issue is assigned."),
    )
    secret_fields = (
        SecretField(
            "webhook_secret", "Webhook secret", help="Left blank, one is generated and shown once.", generate=True
        ),
        SecretField(
            "access_token", "Access token", help="Optional personal access token for sync (read access to issues)."
        ),
    )
    accepts_webhooks = True
    can_sync = True
    sync_schedule = {"minute": "17", "hour": "*"}

    @classmethod
    def clean_config(cls, config: dict, *, is_active: bool) -> dict:
        errors = {}
        repository = str(config.get("repository") or "").strip().strip("/")
        if repository.startswith("https://github.com/"):
            repository = repository.removeprefix("https://github.com/")
        if repository and not REPOSITORY.match(repository):
            errors["repository"] = "Use owner/name, e.g. octo-org/website."
        project_id = clean_project_choice(config.get("default_project"), errors)
        if is_active:
            if not repository:
                errors.setdefault("repository", "Required to activate the integration.")
            if project_id is None:
                errors.setdefault("default_project", "Required to activate the integration.")
        labels = config.get("label_filter") or []
        if isinstance(labels, str):
            labels = labels.split(",")
        if not isinstance(labels, list | tuple):
            errors["label_filter"] = "A list of label names."
            labels = []
        auto = config.get("auto_start_timer", False)
        if errors:
            raise ValidationError(errors)
        return {
            "repository": repository,
            "default_project": project_id,
            "label_filter": sorted({str(label).strip() for label in labels if str(label).strip()}),
            "auto_start_timer": auto if isinstance(auto, bool) else str(auto).strip().lower() in TRUE,
        }

    @classmethod
    def webhook_delivery_info(cls, request) -> tuple[str, str]:
        return request.headers.get("X-GitHub-Delivery", ""), request.headers.get("X-GitHub-Event", "")

    def webhook_verify(self, request) -> bool:
        return webhooks.signature_valid(
            self.secret("webhook_secret"), request.body, request.headers.get("X-Hub-Signature-256", "")
        )

    @classmethod
    def webhook_parse(cls, request) -> dict:
        # GitHub's "Content type" may be application/x-www-form-urlencoded: the JSON is then the `payload` field.
        if request.content_type == "application/x-www-form-urlencoded":
            fields = parse_qs(request.body.decode("utf-8", "replace"))
            if "payload" not in fields:
                raise ValueError("no payload field")
            payload = json.loads(fields["payload"][0])
            if not isinstance(payload, dict):
                raise ValueError("not a JSON object")
            return payload
        return super().webhook_parse(request)

    def do_handle_webhook(self, event, payload, delivery):
        return webhooks.handle(self, event, payload)

    def do_test_connection(self) -> dict:
        repository = self.config.get("repository")
        client = GitHubClient(self.secret("access_token"))
        try:
            response = client.get(f"repos/{repository}")
        finally:
            client.close()
        if response.status_code == 200:
            data = response.json()
            return {
                "ok": True,
                "message": f"Connected to {data.get('full_name', repository)}: "
                f"{data.get('open_issues_count', 0)} open issues and pull requests.",
            }
        if response.status_code == 401:
            return {"ok": False, "error": "GitHub rejected the access token (401)."}
        if response.status_code in (403, 404):
            return {
                "ok": False,
                "error": f"GitHub answered {response.status_code}: the repository {repository} does not exist or "
                "the access token cannot read it.",
            }
        return {"ok": False, "error": f"GitHub answered {response.status_code}."}

    def do_sync(self) -> dict:
        return sync.sync_open_issues(self)
