"""The Integrations page: one card per connector (status, last sync, last error, save config, test, sync now)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse

from accounts import policy
from accounts.policy import PolicyDenied
from timetracker.errors import translate

from . import selectors, services
from .connectors.base import connector_for, get_connector_class


def _field_rows(cls, integration, projects) -> list[dict]:
    config = integration.config if integration else {}
    rows = []
    for spec in cls.config_fields:
        value = config.get(spec.name, spec.default)
        if spec.kind == "list":
            value = ", ".join(value or [])
        rows.append({"spec": spec, "value": "" if value is None else value, "projects": projects})
    return rows


def _webhook_url(request, cls, integration) -> str:
    if not cls.accepts_webhooks or integration is None:
        return ""
    path = reverse("integrations_webhooks:webhook", args=[cls.provider])
    return f"{settings.SITE_URL}{path}?integration={integration.pk}"


def _card_context(request, cards, results: dict) -> list[dict]:
    projects = list(policy.trackable_projects(request.user).select_related("client")) if cards else []
    out = []
    for card in cards:
        cls, integration = card["cls"], card["integration"]
        key = f"{cls.provider}:{card['scope']}"
        out.append(
            {
                **card,
                "key": key,
                "status": (connector_for(integration) if integration else cls(None)).status(),
                "fields": _field_rows(cls, integration, projects),
                "secrets": [
                    {"spec": spec, "is_set": selectors.secrets_summary(integration, cls)[spec.name]}
                    for spec in cls.secret_fields
                ],
                "webhook_url": _webhook_url(request, cls, integration),
                "result": results.get(key),
            }
        )
    return out


def _config_from_post(cls, data) -> tuple[dict, dict]:
    config = {}
    for spec in cls.config_fields:
        if spec.kind == "bool":
            config[spec.name] = data.get(spec.name) == "on"
        else:
            config[spec.name] = data.get(spec.name, "").strip()
    # A blank secret input keeps the stored secret; only typed values are sent.
    secrets = {spec.name: data[spec.name] for spec in cls.secret_fields if data.get(spec.name, "").strip()}
    return config, secrets


def _refused(exc) -> dict:
    """A refused action on a card: its status and message (per field when the error names fields)."""
    t = translate(exc)
    if t.errors and t.field is None:
        return {"ok": False, "refused": t.status, "errors": {k: " ".join(v) for k, v in t.errors.items()}}
    return {"ok": False, "refused": t.status, "error": t.detail}


@login_required
def integrations_page(request):
    results = {}
    if request.method == "POST":
        provider, scope = request.POST.get("provider", ""), request.POST.get("scope", "")
        key = f"{provider}:{scope}"
        cls = get_connector_class(provider)
        try:
            if cls is None:
                raise ValidationError(f"There is no connector called “{provider}”.")
            owner = services.owner_for_scope(request.user, provider, scope)
            integration = selectors.integration_get(viewer=request.user, provider=provider, owner=owner)
            action = request.POST.get("action")
            if action == "save":
                config, secrets = _config_from_post(cls, request.POST)
                _, generated = services.integration_configure(
                    actor=request.user,
                    provider=provider,
                    owner=owner,
                    is_active=request.POST.get("is_active") == "on",
                    config=config,
                    secrets=secrets,
                )
                results[key] = {"ok": True, "message": "Saved.", "generated": generated}
            elif action == "test":
                results[key] = services.integration_test(actor=request.user, integration=integration, provider=provider)
            elif action == "sync":
                results[key] = services.integration_sync_request(actor=request.user, integration=integration)
            else:
                raise ValidationError("Unknown action.")
        except (PolicyDenied, ValidationError) as exc:
            results[key] = _refused(exc)
    cards = _card_context(request, selectors.integration_cards(viewer=request.user), results)
    # A refused save answers 400/403 (the page shows why); a test or sync that failed is still a good request.
    status = max([r.get("refused", 200) for r in results.values()], default=200)
    return render(request, "integrations/index.html", {"cards": cards}, status=status)
