"""The profile service: a person changes their own name, timezone, rounding and chat/code identities."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction

from .. import policy
from ..models import User

PROFILE_FIELDS = ("full_name", "timezone", "rounding_mode", "rounding_minutes", "github_username", "slack_user_id")

SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,31}$")
# GitHub's rule: letters, digits and single hyphens, not at either end, at most 39 characters.
GITHUB_USERNAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")

IDENTITIES = {
    "slack_user_id": (
        SLACK_USER_ID,
        str.upper,
        "A Slack member ID looks like U012AB3CD (Slack: your profile → ⋮ → Copy member ID).",
        "This Slack account is already linked to another person.",
    ),
    "github_username": (
        GITHUB_USERNAME,
        str,
        "A GitHub username has letters, digits and single hyphens (not at either end), at most 39 characters.",
        "Another person already uses this GitHub username.",
    ),
}


def identity_clean(*, user: User, field: str, value: str) -> str:
    """A person's Slack user id or GitHub username, normalised and checked: the provider's format, and no one else
    holds it in any case (GitHub matches usernames without case; Slack ids are upper case). "" clears it.
    Raises ValidationError({field: message})."""
    pattern, normalise, bad_format, taken = IDENTITIES[field]
    value = normalise((value or "").strip())
    if not value:
        return ""
    if not pattern.match(value):
        raise ValidationError({field: bad_format})
    if User.objects.filter(**{f"{field}__iexact": value}).exclude(pk=user.pk).exists():
        raise ValidationError({field: taken})
    return value


@transaction.atomic
def profile_update(*, actor: User, user: User, **fields) -> User:
    """Change profile fields of `user` (only the person themselves, or an admin). Validates like the model does."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    policy.require(actor, policy.CHANGE, user)
    current = User.objects.select_for_update().get(pk=user.pk)
    for name in IDENTITIES.keys() & fields.keys():
        fields[name] = identity_clean(user=current, field=name, value=fields[name])
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean(exclude=["password"])
    current.save(update_fields=[*fields])
    return current
