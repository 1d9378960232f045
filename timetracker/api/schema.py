"""OpenAPI additions shared by every API view: the error responses, the Idempotency-Key header, and path ids typed
as the positive integers `base.object_id` accepts (the URL pattern takes any text so a non-id is a JSON 404)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="A message for people.")
    code = serializers.CharField(help_text="A stable machine code, e.g. timer_already_running.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For bad input: messages per field or query parameter.",
    )

    class Meta:
        ref_name = "Error"


ERROR_STATUSES = {
    "400": "Bad input (malformed JSON, wrong types, unknown query parameters, rule refused).",
    "401": "No, invalid, expired or revoked token.",
    "403": "The token lacks the scope, or your role does not allow it.",
    "404": "Not found, or not visible to you.",
    "409": "State conflict (timer already running, no running timer, overlapping entry, period_locked: the time is "
    "locked or approved, invalid_transition, Idempotency-Key reused).",
    "429": "Too many requests; see Retry-After.",
}


ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}
ID_PATH_VARIABLES = ("id", "pk")


class ApiAutoSchema(AutoSchema):
    def _resolve_path_parameters(self, variables):
        parameters = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            if parameter["name"] in ID_PATH_VARIABLES:
                parameter["schema"] = dict(ID_SCHEMA)
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, description in ERROR_STATUSES.items():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = description
                responses[code] = response
        return responses

    def get_override_parameters(self):
        params = list(super().get_override_parameters())
        if self.method == "POST":
            params.append(
                OpenApiParameter(
                    "Idempotency-Key",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    required=False,
                    description="Send a unique key (e.g. a UUID) to make a retried POST safe: the first response "
                    "is replayed and nothing is created twice.",
                )
            )
        return params


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "timetracker.api.authentication.ApiTokenAuthentication"
    name = "ApiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "tt_ followed by 40 characters",
            "description": "A personal API token: `Authorization: Bearer tt_...` (`Token tt_...` works too).",
        }
