"""Tags: create, rename, delete, and resolving the tags an entry is given. Anyone who tracks time may create a tag;
managers rename and delete them. Every tag is created by `tag_create`."""

from collections.abc import Iterable

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


def tags_resolve(*, actor, tags: Iterable | None) -> list[Tag] | None:
    """Tags given as Tag objects, ids or names; an unknown name is created through `tag_create` (when the actor
    may). None stays None ("leave the entry's tags as they are"); blank names are skipped."""
    if tags is None:
        return None
    resolved = []
    for tag in tags:
        if isinstance(tag, Tag):
            resolved.append(tag)
        elif isinstance(tag, int):
            resolved.append(Tag.objects.get(pk=tag))
        else:
            name = str(tag).strip()[:64]
            if not name:
                continue
            existing = Tag.objects.filter(name__iexact=name).first()
            resolved.append(existing if existing is not None else tag_create(actor=actor, name=name))
    return resolved


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


def known_tags(entry, tags: list[Tag]) -> None:
    """Remember on `entry` that its tags are `tags` (just set), as `prefetch_related("tags")` would, so showing the
    entry does not read them back."""
    queryset = entry.tags.all()
    queryset._result_cache = sorted(tags, key=lambda tag: (tag.name, tag.pk))
    queryset._prefetch_done = True
    entry._prefetched_objects_cache = {**getattr(entry, "_prefetched_objects_cache", {}), "tags": queryset}
