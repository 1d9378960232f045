"""Helpers shared by the tracking services."""

from django.contrib.auth import get_user_model
from django.db import connection, transaction


def lock_user(user_id: int) -> None:
    """Serialise writes to one user's time (row lock on PostgreSQL; SQLite serialises writers anyway, and has no
    row locks: nothing is asked of it)."""
    if not connection.features.has_select_for_update:
        return
    get_user_model().objects.select_for_update().filter(pk=user_id).values_list("pk", flat=True).first()


def send_on_commit(signal, sender, **kwargs) -> None:
    transaction.on_commit(lambda: signal.send(sender=sender, **kwargs))
