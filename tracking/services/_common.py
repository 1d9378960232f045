"""Helpers shared by the tracking services."""

from django.contrib.auth import get_user_model
from django.db import connection, transaction


def lock_user(user_id: int) -> None:
    """Serialise writes to one user's time (row lock on PostgreSQL; SQLite serialises writers anyway, and has no
    row locks: nothing is asked of it)."""
    if not connection.features.has_select_for_update:
        return
    # One row by its key: no ORDER BY (first() would add the model's ordering, for nothing but compiling it).
    list(get_user_model().objects.select_for_update().filter(pk=user_id).values_list("pk", flat=True).order_by()[:1])


def send_on_commit(signal, sender, **kwargs) -> None:
    transaction.on_commit(lambda: signal.send(sender=sender, **kwargs))
