"""The uniform integrations API used by the settings page and scripts.

GET/PUT /api/integrations/<provider>/config, GET .../status, POST .../test, POST .../sync, and the webhook
endpoint POST .../webhook (CSRF-exempt, authenticated by the provider's signature, not a session).
`?scope=organisation|personal` picks the integration; the default is the connector's first scope.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status as http
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.permissions import HasTokenScope
from accounts.policy import PolicyDenied

from .. import services
from ..connectors.base import get_connector_class, not_configured
from ..selectors import integration_get
from .serializers import ConfigInputSerializer, integration_payload

SCOPE_PARAM = OpenApiParameter(
    "scope",
    str,
    enum=["organisation", "personal"],
    required=False,
    description="Which integration (default: the connector's first scope).",
)


def _schema(summary: str, request=None):
    return extend_schema(
        tags=["integrations"], summary=summary, parameters=[SCOPE_PARAM], request=request, responses=OpenApiTypes.OBJECT
    )


def _failure(detail: str, code: str, errors: dict | None = None) -> dict:
    """The API's error shape ({detail, code, errors}) plus the connectors' {ok: false, error}."""
    body = {"ok": False, "error": detail, "detail": detail, "code": code}
    if errors:
        body["errors"] = errors
    return body


def _errors(exc: ValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        errors = {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}
        return _failure("Some values are not valid.", "invalid", errors)
    return _failure(" ".join(exc.messages), "invalid")


class _Refused(Exception):
    """An answer to return at once (unknown provider, bad scope)."""

    def __init__(self, body: dict, status: int):
        super().__init__(body.get("detail", ""))
        self.body, self.status = body, status


class IntegrationApi(APIView):
    # A token needs read:integrations / write:integrations; sessions (the Integrations page) need nothing more.
    permission_classes = [HasTokenScope]
    scope_resource = "integrations"

    def resolve(self, request, provider):
        """(connector class, scope, owner, integration or None); raises _Refused with the answer otherwise."""
        cls = get_connector_class(provider)
        if cls is None:
            raise _Refused(_failure(f"There is no connector called “{provider}”.", "not_found"), 404)
        scope = request.query_params.get("scope") or cls.scopes[0]
        try:
            owner = services.owner_for_scope(request.user, provider, scope)
        except ValidationError as exc:
            raise _Refused(_errors(exc), 400) from exc
        return cls, scope, owner, integration_get(viewer=request.user, provider=provider, owner=owner)

    def handle_exception(self, exc):
        if isinstance(exc, _Refused):
            return Response(exc.body, status=exc.status)
        if isinstance(exc, PolicyDenied):
            return Response(_failure(str(exc), "permission_denied"), status=http.HTTP_403_FORBIDDEN)
        if isinstance(exc, ValidationError):
            return Response(_errors(exc), status=http.HTTP_400_BAD_REQUEST)
        return super().handle_exception(exc)


class IntegrationConfigApi(IntegrationApi):
    @_schema("The integration's configuration (secrets only as set / not set)")
    def get(self, request, provider):
        cls, scope, _, integration = self.resolve(request, provider)
        return Response(integration_payload(cls, integration, scope))

    @_schema("Save the configuration; secrets are write-only", request=ConfigInputSerializer)
    def put(self, request, provider):
        cls, scope, owner, _ = self.resolve(request, provider)
        serializer = ConfigInputSerializer(data=request.data)
        if not serializer.is_valid():
            return Response(_failure("Some values are not valid.", "invalid", serializer.errors), status=400)
        integration, generated = services.integration_configure(
            actor=request.user, provider=provider, owner=owner, **serializer.validated_data
        )
        body = integration_payload(cls, integration, scope)
        if generated:
            # Shown this once, for the person to copy into the provider's settings; never again.
            body["generated_secrets"] = generated
        return Response(body)


class IntegrationStatusApi(IntegrationApi):
    @_schema("Last sync, its counts and the last error")
    def get(self, request, provider):
        cls, scope, _, integration = self.resolve(request, provider)
        return Response(integration_payload(cls, integration, scope)["status"])


class IntegrationTestApi(IntegrationApi):
    @_schema("Check the credentials against the provider")
    def post(self, request, provider):
        *_, integration = self.resolve(request, provider)
        result = services.integration_test(actor=request.user, integration=integration, provider=provider)
        return _result_response(result)


class IntegrationSyncApi(IntegrationApi):
    @_schema("Sync now (202 when queued for a worker)")
    def post(self, request, provider):
        *_, integration = self.resolve(request, provider)
        result = services.integration_sync_request(actor=request.user, integration=integration)
        if result.get("queued"):
            return Response(result, status=202)
        return _result_response(result)


def _result_response(result: dict) -> Response:
    if result.get("ok"):
        return Response(result)
    status = _failure_status(result)
    code = "not_configured" if status == http.HTTP_409_CONFLICT else "connector_failed"
    return Response({**result, "detail": result.get("error") or "The connector failed.", "code": code}, status=status)


def _failure_status(result: dict) -> int:
    if result.get("error") == not_configured()["error"]:
        return http.HTTP_409_CONFLICT
    return http.HTTP_502_BAD_GATEWAY if result.get("error_code") == "network" else http.HTTP_400_BAD_REQUEST


@csrf_exempt
@require_POST
def webhook_view(request, provider):
    outcome = services.webhook_receive(provider=provider, request=request)
    return JsonResponse(outcome.body, status=outcome.http_status)
