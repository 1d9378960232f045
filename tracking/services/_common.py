"""Helpers shared by the tracking services."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts import policy

from ..models import Tag


def lock_user(user_id: int) -> None:
    """Serialise writes to one user's time (row lock on PostgreSQL; SQLite serialises writers anyway)."""
    get_user_model().objects.select_for_update().filter(pk=user_id).values_list("pk", flat=True).first()


def resolve_tags(actor, tags: Iterable | None) -> list[Tag] | None:
    """Tags given as Tag objects, ids or names; unknown names are created when the actor may."""
    if tags is None:
        return None
    resolved = []
    for tag in tags:
        if isinstance(tag, Tag):
            resolved.append(tag)
        elif isinstance(tag, int):
            resolved.append(Tag.objects.get(pk=tag))
        else:
            name = str(tag).strip()
            if not name:
                continue
            existing = Tag.objects.filter(name__iexact=name).first()
            if existing is None:
                policy.require(actor, policy.CREATE, Tag)
                existing = Tag.objects.create(name=name[:64])
            resolved.append(existing)
    return resolved


def send_on_commit(signal, sender, **kwargs) -> None:
    transaction.on_commit(lambda: signal.send(sender=sender, **kwargs))
