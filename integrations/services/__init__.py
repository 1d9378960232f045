"""Every write of the integrations app, split by responsibility:

- `configure`: setting a connector up, testing it, recording its failures, rotating the secrets' keys;
- `sync`: running a connector's sync and recording its outcome (`integrations.tasks` call these);
- `webhooks`: receiving, de-duplicating, replaying and pruning webhook deliveries.

Import from here (`from integrations import services`); tasks import services, never the reverse.
"""

from .configure import (
    UnknownProvider,
    integration_configure,
    integration_probe,
    integration_record_failure,
    integration_secrets_rotate,
    integration_test,
    owner_for_scope,
)
from .sync import integration_record_sync, integration_sync, integration_sync_request
from .webhooks import webhook_deliveries_prune, webhook_delivery_replay, webhook_receive

__all__ = [
    "UnknownProvider",
    "integration_configure",
    "integration_probe",
    "integration_record_failure",
    "integration_record_sync",
    "integration_secrets_rotate",
    "integration_sync",
    "integration_sync_request",
    "integration_test",
    "owner_for_scope",
    "webhook_deliveries_prune",
    "webhook_delivery_replay",
    "webhook_receive",
]
