"""The integrations management API, used by scripts and the settings page, built on the API platform.

GET/PUT /api/v1/integrations/<provider>/config/, GET .../status/, POST .../test/, POST .../sync/.
`?scope=organisation|personal` picks the integration; the default is the connector's first scope. Like every v1
view these answer errors as {"detail", "code", "errors"?}, are throttled, accept only the query parameters they name
and replay a POST sent again with the same Idempotency-Key. A token needs read:integrations / write:integrations.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status as http
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from timetracker import jsonsafe
from timetracker.api.base import ApiViewMixin

from .. import services
from ..connectors.base import connector_classes, get_connector_class, not_configured
from ..selectors import integration_get
from .serializers import (
    ConfigInputSerializer,
    IntegrationSerializer,
    OperationResultSerializer,
    StatusSerializer,
    integration_payload,
)


def _schema(summary: str, response, request=None, extra_responses: dict | None = None):
    providers = sorted(cls.provider for cls in connector_classes())
    return extend_schema(
        tags=["integrations"],
        summary=summary,
        parameters=[
            OpenApiParameter("provider", str, OpenApiParameter.PATH, enum=providers, description="The connector."),
            OpenApiParameter(
                "scope",
                str,
                enum=["organisation", "personal"],
                required=False,
                description="Which integration (default: the connector's first scope).",
            ),
        ],
        request=request,
        responses={200: response, **(extra_responses or {})},
    )


class IntegrationApi(ApiViewMixin, APIView):
    # A token needs read:integrations / write:integrations; sessions (the Integrations page) need nothing more.
    scope_resource = "integrations"

    def allowed_query_params(self) -> set[str]:
        return super().allowed_query_params() | {"scope"}  # on every method: it names the integration

    def resolve(self, request, provider):
        """(connector class, scope, owner, integration or None); unknown provider: 404, bad scope: 400."""
        cls = get_connector_class(provider)
        if cls is None:
            raise NotFound(f"There is no connector called “{provider}”.")
        scope = request.query_params.get("scope", cls.scopes[0])
        if not scope.strip():  # `?scope=` names no integration: say so rather than pick the default
            raise ValidationError(
                f"{cls.name} can be set up as: {', '.join(cls.scopes)} (not empty).", code="invalid_scope"
            )
        owner = services.owner_for_scope(request.user, provider, scope)
        return cls, scope, owner, integration_get(viewer=request.user, provider=provider, owner=owner)


class IntegrationConfigApi(IntegrationApi):
    @_schema("The integration's configuration (secrets only as set / not set)", IntegrationSerializer)
    def get(self, request, provider):
        cls, scope, _, integration = self.resolve(request, provider)
        return Response(integration_payload(cls, integration, scope))

    @_schema("Save the configuration; secrets are write-only", IntegrationSerializer, request=ConfigInputSerializer)
    def put(self, request, provider):
        cls, scope, owner, _ = self.resolve(request, provider)
        serializer = ConfigInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        integration, generated = services.integration_configure(
            actor=request.user, provider=provider, owner=owner, **serializer.validated_data
        )
        body = integration_payload(cls, integration, scope)
        if generated:
            # Shown this once, for the person to copy into the provider's settings; never again.
            body["generated_secrets"] = generated
        return Response(body)


class IntegrationStatusApi(IntegrationApi):
    @_schema("Last sync, its counts and the last error", StatusSerializer)
    def get(self, request, provider):
        cls, scope, _, integration = self.resolve(request, provider)
        return Response(integration_payload(cls, integration, scope)["status"])


class IntegrationTestApi(IntegrationApi):
    @_schema("Check the credentials against the provider", OperationResultSerializer)
    def post(self, request, provider):
        *_, integration = self.resolve(request, provider)
        result = services.integration_test(actor=request.user, integration=integration, provider=provider)
        return _result_response(result)


class IntegrationSyncApi(IntegrationApi):
    @_schema(
        "Sync now (202 when queued for a worker)",
        OperationResultSerializer,
        extra_responses={202: OperationResultSerializer},
    )
    def post(self, request, provider):
        *_, integration = self.resolve(request, provider)
        result = services.integration_sync_request(actor=request.user, integration=integration)
        if result.get("queued"):
            return Response(result, status=202)
        return _result_response(result)


def _result_response(result: dict) -> Response:
    """A connector's {ok, ...} outcome; a failure also carries the API's {detail, code}."""
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
@jsonsafe.checks_own_body
@require_POST
def webhook_view(request, provider):
    """POST /api/integrations/<provider>/webhook: authenticated by the provider's signature, not a session."""
    outcome = services.webhook_receive(provider=provider, request=request)
    return JsonResponse(outcome.body, status=outcome.http_status)
