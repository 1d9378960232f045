"""Helpers shared by the tracking services."""

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from timetracker.prepared import PreparedRead


def lock_user(user_id: int) -> None:
    """Serialise writes to one user's time (row lock on PostgreSQL; SQLite serialises writers anyway, and has no
    row locks: nothing is asked of it)."""
    if not connection.features.has_select_for_update:
        return
    _lock_read.rows(user_id=user_id)


def _build_lock_read(*, user_id: int):
    # One row by its key: no ORDER BY (first() would add the model's ordering, for nothing but compiling it).
    return get_user_model().objects.select_for_update().filter(pk=user_id).values("pk").order_by()[:1]


# Compiled once per process (timetracker.prepared): every write of a person's time takes this lock.
_lock_read = PreparedRead(_build_lock_read)


def send_on_commit(signal, sender, **kwargs) -> None:
    transaction.on_commit(lambda: signal.send(sender=sender, **kwargs))
