"""Input and output shapes of the integrations API. Secrets are write-only: the output says only set / not set."""

from rest_framework import serializers

from ..connectors.base import connector_for, describe
from ..selectors import secrets_summary


class ConfigInputSerializer(serializers.Serializer):
    is_active = serializers.BooleanField(required=False)
    config = serializers.DictField(required=False)
    secrets = serializers.DictField(child=serializers.CharField(allow_blank=True, trim_whitespace=True), required=False)


class StatusSerializer(serializers.Serializer):
    """A connector's status; `error` says why it is not ok (e.g. "Integration not configured")."""

    ok = serializers.BooleanField()
    provider = serializers.CharField()
    is_active = serializers.BooleanField()
    last_sync_at = serializers.DateTimeField(required=False, allow_null=True)
    last_sync_status = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    last_sync_counts = serializers.DictField(required=False, allow_null=True)
    last_error = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    error = serializers.CharField(required=False)

    class Meta:
        ref_name = "IntegrationStatus"


class IntegrationSerializer(serializers.Serializer):
    provider = serializers.CharField()
    name = serializers.CharField()
    scopes = serializers.ListField(child=serializers.CharField())
    config_fields = serializers.ListField(child=serializers.DictField())
    secret_fields = serializers.ListField(child=serializers.DictField())
    accepts_webhooks = serializers.BooleanField()
    can_sync = serializers.BooleanField()
    scope = serializers.CharField()
    configured = serializers.BooleanField()
    id = serializers.IntegerField(allow_null=True)
    is_active = serializers.BooleanField()
    config = serializers.DictField()
    secrets = serializers.DictField(child=serializers.BooleanField(), help_text="Per secret: whether it is set.")
    status = StatusSerializer()
    generated_secrets = serializers.DictField(
        child=serializers.CharField(), required=False, help_text="Only once, right after a secret was generated."
    )

    class Meta:
        ref_name = "Integration"


class OperationResultSerializer(serializers.Serializer):
    """The outcome of a test or a sync; a failure also carries the API's `detail` and `code`."""

    ok = serializers.BooleanField()
    message = serializers.CharField(required=False)
    queued = serializers.BooleanField(required=False)
    error = serializers.CharField(required=False)
    detail = serializers.CharField(required=False)
    code = serializers.CharField(required=False)

    class Meta:
        ref_name = "IntegrationOperationResult"


def integration_payload(cls, integration, scope: str) -> dict:
    data = {
        **describe(cls),
        "scope": scope,
        "configured": integration is not None,
        "id": integration.pk if integration else None,
        "is_active": bool(integration and integration.is_active),
        "config": dict(integration.config) if integration else {},
        "secrets": secrets_summary(integration, cls),
    }
    data["status"] = connector_for(integration).status() if integration else cls(None).status()
    return data
