"""Input and output shapes of the integrations API. Secrets are write-only."""

from rest_framework import serializers

from ..connectors.base import connector_for, describe
from ..selectors import secrets_summary


class ConfigInputSerializer(serializers.Serializer):
    is_active = serializers.BooleanField(required=False)
    config = serializers.DictField(required=False)
    secrets = serializers.DictField(child=serializers.CharField(allow_blank=True, trim_whitespace=True), required=False)


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
