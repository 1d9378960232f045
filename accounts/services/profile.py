"""The profile service: a person changes their own name, timezone, rounding and chat/code identities."""

from django.db import transaction

from .. import policy
from ..models import User

PROFILE_FIELDS = ("full_name", "timezone", "rounding_mode", "rounding_minutes", "github_username", "slack_user_id")


@transaction.atomic
def profile_update(*, actor: User, user: User, **fields) -> User:
    """Change profile fields of `user` (only the person themselves, or an admin). Validates like the model does."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    policy.require(actor, policy.CHANGE, user)
    current = User.objects.select_for_update().get(pk=user.pk)
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean(exclude=["password"])
    current.save(update_fields=[*fields])
    return current
