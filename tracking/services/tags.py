"""Tags: create, rename, delete. Anyone who tracks time may create a tag; managers rename and delete them."""

from django.db import transaction

from accounts import policy

from ..exceptions import InvalidEntry
from ..models import Tag


def _clean_name(name: str, *, exclude_pk=None) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidEntry("A tag needs a name.", field="name")
    if len(name) > 64:
        raise InvalidEntry("Use at most 64 characters for a tag.", field="name")
    clash = Tag.objects.filter(name__iexact=name).exclude(pk=exclude_pk).first()
    if clash is not None:
        raise InvalidEntry(f"The tag “{clash.name}” already exists.", field="name")
    return name


@transaction.atomic
def tag_create(*, actor, name: str) -> Tag:
    policy.require(actor, policy.CREATE, Tag)
    return Tag.objects.create(name=_clean_name(name))


@transaction.atomic
def tag_update(*, actor, tag: Tag, name: str) -> Tag:
    policy.require(actor, policy.CHANGE, tag)
    tag = Tag.objects.select_for_update().get(pk=tag.pk)
    tag.name = _clean_name(name, exclude_pk=tag.pk)
    tag.save(update_fields=["name"])
    return tag


@transaction.atomic
def tag_delete(*, actor, tag: Tag) -> None:
    """Delete a tag; entries keep everything else and simply lose the tag."""
    policy.require(actor, policy.DELETE, tag)
    tag.delete()
