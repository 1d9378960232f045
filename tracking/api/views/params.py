"""Query-parameter parsing shared by the tracking API views (validated by DRF fields, documented in the schema)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from timetracker.api.exceptions import InvalidParameters

from ...models import Source
from .. import serializers as s

API_SOURCE = Source.API


# --- query parameter parsing ------------------------------------------------------------------------------------------


class BoolParam(serializers.BooleanField):
    default_error_messages = {"invalid": "Use true or false."}


def parse_params(request, fields: dict[str, serializers.Field]) -> dict:
    """Validate the query parameters named in `fields`; errors name the parameter (400 invalid_filter)."""
    serializer = type("Params", (serializers.Serializer,), {k: v for k, v in fields.items()})(
        data={k: v for k, v in request.query_params.items() if k in fields}
    )
    if not serializer.is_valid():
        raise InvalidParameters(serializer.errors)
    return {k: v for k, v in serializer.validated_data.items() if v is not None}


def id_param(help_text: str = "") -> serializers.IntegerField:
    return serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1, help_text=help_text)


def bool_param() -> serializers.BooleanField:
    return BoolParam(required=False, allow_null=True, default=None)


def openapi_params(fields: dict[str, serializers.Field]) -> list[OpenApiParameter]:
    types = {
        serializers.IntegerField: OpenApiTypes.INT,
        serializers.BooleanField: OpenApiTypes.BOOL,
        BoolParam: OpenApiTypes.BOOL,
        serializers.DateField: OpenApiTypes.DATE,
        serializers.DateTimeField: OpenApiTypes.DATETIME,
        s.UtcDateTimeField: OpenApiTypes.DATETIME,
    }
    params = []
    for name, field in fields.items():
        enum = list(field.choices) if isinstance(field, serializers.ChoiceField) else None
        kind = types.get(type(field), OpenApiTypes.STR)
        if isinstance(field, serializers.IntegerField):  # ids: the bounds parse_params enforces
            kind = {"type": "integer", "minimum": field.min_value, "maximum": field.max_value}
            kind = {k: v for k, v in kind.items() if v is not None}
        elif type(field) is serializers.CharField:  # taken as given (not trimmed), so only "" is blank
            kind = {"type": "string", "minLength": 0 if field.allow_blank else 1, "maxLength": field.max_length}
            kind = {k: v for k, v in kind.items() if v is not None}
        params.append(OpenApiParameter(name, kind, description=field.help_text or "", enum=enum))
    return params
