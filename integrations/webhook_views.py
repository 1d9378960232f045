"""The framework's request endpoint for providers with their own request URLs (a connector's `webhook_urls`).

CSRF-exempt and authenticated by the provider's signature alone: `services.webhook_receive` verifies, records,
de-duplicates and hands the request to the connector, whatever URL it came to.
"""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from timetracker import jsonsafe

from . import services
from .connectors.base import WebhookOutcome


def webhook_response(outcome: WebhookOutcome) -> HttpResponse:
    if outcome.body is None:
        return HttpResponse(status=outcome.http_status)
    return JsonResponse(outcome.body, status=outcome.http_status)


@csrf_exempt
@jsonsafe.checks_own_body
@require_POST
def webhook_endpoint(request, provider: str):
    return webhook_response(services.webhook_receive(provider=provider, request=request, own_url=True))
