"""The connector interface and the registry of connectors.

A connector is a class in `integrations/connectors/<provider>/connector.py` decorated with `@register`. The
framework (API, web page, admin, tasks, webhook endpoint) only ever talks to this interface, so adding a
provider is adding a folder: no `if provider == ...` anywhere.

Every public method returns a small dict `{"ok": bool, ...}`. A connector built for a missing or inactive
integration answers `{"ok": false, "error": "Integration not configured"}` instead of raising, and network
errors (`requests.RequestException`) are caught and recorded in `last_error`: whatever a connector does, the
timer, exports and reports keep working.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, ClassVar

import requests
from django.core.exceptions import ValidationError

from timetracker import jsonsafe

logger = logging.getLogger(__name__)

NOT_CONFIGURED = "Integration not configured"

ORGANISATION = "organisation"
PERSONAL = "personal"


def not_configured() -> dict:
    return {"ok": False, "error": NOT_CONFIGURED}


@dataclass(frozen=True)
class ConfigField:
    """One setting shown on the Integrations page and accepted by the config API."""

    name: str
    label: str
    kind: str = "text"  # text | bool | list | project
    help: str = ""
    required: bool = False
    default: Any = None  # shown in the form while the integration has no value for it


@dataclass(frozen=True)
class SecretField:
    name: str
    label: str
    help: str = ""
    generate: bool = False  # generated when left blank, and shown once


@dataclass
class WebhookOutcome:
    """What handling one webhook delivery did. status is one of WebhookDelivery.Status' values.

    `body` is answered as JSON (None: an empty body). Unless `exact`, the framework adds `"status"` to it; a
    provider that reads the answer (Slack shows it to the person) sets `exact`.
    """

    status: str
    detail: str = ""
    http_status: int = 200
    body: dict | None = field(default_factory=dict)
    exact: bool = False


@dataclass(frozen=True)
class PeriodicJob:
    """A beat entry a connector needs besides its sync (created by `setup_periodic_tasks`)."""

    name: str  # shown in the admin's Periodic tasks, e.g. "slack: daily summaries"
    task: str  # the registered Celery task name
    schedule: dict  # crontab fields, e.g. {"minute": "*/5"}


class WebhookRejected(Exception):
    """The delivery is not authentic (unsigned or forged): answer 401, process nothing."""


class Connector:
    """Base class. Subclasses set the class attributes and implement the `do_*` hooks."""

    provider: ClassVar[str] = ""
    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    docs_path: ClassVar[str] = ""
    scopes: ClassVar[tuple[str, ...]] = (ORGANISATION,)  # the first is the default
    config_fields: ClassVar[tuple[ConfigField, ...]] = ()
    secret_fields: ClassVar[tuple[SecretField, ...]] = ()
    accepts_webhooks: ClassVar[bool] = False
    # The provider's own request URLs (Slack's commands and events) as (path, URL name) pairs, mounted by the
    # framework at /api/integrations/<provider>/<path> on `webhook_endpoint`, so every request is verified, recorded
    # and de-duplicated like a webhook delivery. Without them the provider uses /api/integrations/<provider>/webhook.
    webhook_urls: ClassVar[tuple[tuple[str, str], ...]] = ()
    can_sync: ClassVar[bool] = False
    # crontab fields for the periodic sync created by `setup_periodic_tasks`; None for no periodic sync.
    sync_schedule: ClassVar[dict | None] = None
    # Optional extras for connectors with their own web flow (e.g. OAuth): a URL module mounted at
    # /integrations/<provider>/ and a template included in the connector's card on the Integrations page.
    urls: ClassVar[str] = ""
    card_template: ClassVar[str] = ""
    # Other periodic jobs of the connector (e.g. Slack's daily summaries), created by `setup_periodic_tasks`.
    periodic_jobs: ClassVar[tuple[PeriodicJob, ...]] = ()

    def __init__(self, integration=None):
        self.integration = integration

    @classmethod
    def ready(cls) -> None:
        """Called once at start-up (IntegrationsConfig.ready): connect signal receivers here."""

    # -- state -----------------------------------------------------------------------------------------------------
    @property
    def configured(self) -> bool:
        return self.integration is not None and self.integration.pk is not None and self.integration.is_active

    @property
    def config(self) -> dict:
        return dict(self.integration.config or {}) if self.integration is not None else {}

    def secret(self, name: str) -> str:
        return self.integration.secret(name) if self.integration is not None else ""

    # -- the interface ---------------------------------------------------------------------------------------------
    @classmethod
    def validate_config(cls, config: dict, secrets: dict, *, is_active: bool) -> tuple[dict, dict]:
        """Clean the config and the secrets given by a person; raise ValidationError({field: message})."""
        known = {f.name for f in cls.config_fields}
        unknown = set(config) - known
        if unknown:
            raise ValidationError({"config": f"Unknown settings: {', '.join(sorted(unknown))}."})
        known_secrets = {f.name for f in cls.secret_fields}
        unknown = set(secrets) - known_secrets
        if unknown:
            raise ValidationError({"secrets": f"Unknown secrets: {', '.join(sorted(unknown))}."})
        return cls.clean_config(dict(config), is_active=is_active), {k: str(v or "") for k, v in secrets.items()}

    @classmethod
    def clean_config(cls, config: dict, *, is_active: bool) -> dict:
        """Provider-specific cleaning; override."""
        return config

    def status(self) -> dict:
        if self.integration is None or self.integration.pk is None:
            return not_configured() | {"provider": self.provider, "is_active": False}
        i = self.integration
        return {
            "ok": i.is_active and i.last_sync_status != "failed",
            "provider": self.provider,
            "is_active": i.is_active,
            "last_sync_at": i.last_sync_at.isoformat() if i.last_sync_at else None,
            "last_sync_status": i.last_sync_status,
            "last_sync_counts": i.last_sync_counts,
            "last_error": i.last_error,
            **({} if i.is_active else {"error": NOT_CONFIGURED}),
        }

    def test_connection(self) -> dict:
        return self._guarded("test", self.do_test_connection)

    @classmethod
    def grant_revoke(cls, secrets: dict, *, timeout: float) -> bool | None:
        """Withdraw at the provider the access a person granted (their integration is being erased).

        `secrets` are the integration's decrypted secrets. True: revoked; False: the provider refused or could not
        be reached within `timeout` seconds; None: nothing is held at the provider (the default).
        """
        return None

    def sync(self) -> dict:
        if not self.can_sync:
            return {"ok": False, "error": f"{self.name} has nothing to sync."}
        return self._guarded("sync", self.do_sync)

    def handle_webhook(self, event: str, payload: dict, delivery) -> WebhookOutcome:
        if not self.configured:
            return WebhookOutcome("ignored", NOT_CONFIGURED, 202, not_configured())
        return self.do_handle_webhook(event, payload, delivery)

    # -- webhook authentication (called before the body is parsed) -------------------------------------------------
    @classmethod
    def webhook_delivery_info(cls, request) -> tuple[str, str]:
        """(delivery id, event name) from the request headers."""
        return "", ""

    def webhook_verify(self, request) -> bool:
        """True when the raw body is signed by this integration's secret. Must not parse the body."""
        return False

    @classmethod
    def webhook_signed_content(cls, request) -> bytes:
        """Exactly what the provider's signature covers (by default the raw body). Its digest is kept with the
        accepted delivery, and a second request with the same signed content is refused as a replay, whatever
        delivery id its (unsigned) headers give."""
        return request.body

    @classmethod
    def webhook_parse(cls, request) -> dict:
        """The payload of an authenticated delivery; raise ValueError when the body is not one (or is refused by
        the input guard: nested too deep, NUL characters, not UTF-8)."""
        payload = jsonsafe.loads(request.body)
        if not isinstance(payload, dict):
            raise ValueError("not a JSON object")
        return payload

    @classmethod
    def webhook_identify(cls, request, payload: dict, delivery_id: str, event: str) -> tuple[str, str]:
        """(delivery id, event name) once the payload is parsed, for providers that put them in the body."""
        return delivery_id, event

    @classmethod
    def webhook_duplicate(cls, request) -> WebhookOutcome:
        """The answer to a delivery received before (a provider's retry): 200, and nothing is done again."""
        return WebhookOutcome("duplicate", "", 200, {"status": "duplicate"})

    # -- hooks for subclasses --------------------------------------------------------------------------------------
    def do_test_connection(self) -> dict:
        return {"ok": True, "message": "Nothing to test."}

    def do_sync(self) -> dict:
        return {"ok": True, "counts": {}}

    def do_handle_webhook(self, event: str, payload: dict, delivery) -> WebhookOutcome:
        return WebhookOutcome("ignored", f"{event} is not handled", 202, {"status": "ignored"})

    # -- helpers ---------------------------------------------------------------------------------------------------
    def _guarded(self, what: str, call) -> dict:
        if not self.configured:
            return not_configured()
        try:
            return call()
        except requests.RequestException as exc:
            message = describe_request_error(exc)
            logger.warning("%s %s failed: %s", self.provider, what, message)
            return {"ok": False, "error": message, "error_code": "network"}


def clean_project_choice(value, errors: dict, field: str = "default_project") -> int | None:
    """A project id from a config form: None when blank; an error in `errors[field]` when unknown or archived."""
    from tracking.models import Project  # here: this module is imported while the apps load

    if value in ("", None):
        return None
    try:
        project_id = int(value)
    except (TypeError, ValueError):
        errors[field] = "Choose a project."
        return None
    project = Project.objects.filter(pk=project_id).first()
    if project is None:
        errors[field] = f"There is no project #{project_id}."
    elif project.archived:
        errors[field] = f"The project “{project}” is archived."
    return project_id


def describe_request_error(exc: requests.RequestException) -> str:
    """A message safe to store and show: never the request headers (they hold tokens), never a URL's query."""
    response = getattr(exc, "response", None)
    if response is not None:
        return f"{response.status_code} {response.reason or ''} from {response.url.split('?')[0]}".strip()
    if isinstance(exc, requests.Timeout):
        return f"The provider did not answer in time ({str(exc).split('?')[0]})."
    return f"{type(exc).__name__}: could not reach the provider"


_REGISTRY: dict[str, type[Connector]] = {}


def register(cls: type[Connector]) -> type[Connector]:
    if not cls.provider:
        raise ValueError(f"{cls.__name__} has no provider key")
    if cls.provider in _REGISTRY and _REGISTRY[cls.provider] is not cls:
        raise ValueError(f"two connectors registered for {cls.provider!r}")
    _REGISTRY[cls.provider] = cls
    return cls


def get_connector_class(provider: str) -> type[Connector] | None:
    return _REGISTRY.get(provider)


def connector_classes() -> list[type[Connector]]:
    return [_REGISTRY[key] for key in sorted(_REGISTRY)]


def connector_for(integration) -> Connector:
    cls = _REGISTRY[integration.provider]
    return cls(integration)


def describe(cls: type[Connector]) -> dict[str, Any]:
    return {
        "provider": cls.provider,
        "name": cls.name,
        "scopes": list(cls.scopes),
        "config_fields": [f.__dict__ for f in cls.config_fields],
        "secret_fields": [f.__dict__ for f in cls.secret_fields],
        "accepts_webhooks": cls.accepts_webhooks,
        "can_sync": cls.can_sync,
    }
