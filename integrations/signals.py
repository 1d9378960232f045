"""Signals of the integrations app, sent after commit with ids.

integration_connected(sender=Integration, integration_id, provider, user_id, actor_id)
    An integration was configured and activated (or reconnected).
integration_synced(sender=Integration, integration_id, provider, counts)
    A sync finished; counts is a small dict of integers (e.g. {"created": 3, "updated": 1}).
integration_failed(sender=Integration, integration_id, provider, error_code)
    A sync or delivery failed; error_code is a short machine code, never a message that could hold a secret.
"""

from django.dispatch import Signal

integration_connected = Signal()
integration_synced = Signal()
integration_failed = Signal()
