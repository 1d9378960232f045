"""Single sign-on settings read once: the role map from the identity provider's groups, and the claims we use.

OIDC_ROLE_MAP is "group=role,group=role" (e.g. "tt-admins=admin,tt-managers=manager,staff=member,finance=viewer").
A person in several mapped groups gets the most privileged of their roles. Without a match they get
OIDC_DEFAULT_ROLE. With an empty map the identity provider does not manage roles: new users get the default role
and existing users keep theirs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .models import Role

# Most privileged first: a person in several mapped groups gets the first role that matches.
ROLE_PRECEDENCE = (Role.ADMIN, Role.MANAGER, Role.MEMBER, Role.VIEWER)


def parse_role_map(raw: str) -> dict[str, str]:
    """Parse "group=role,…" into {group: role}. Raises ImproperlyConfigured naming the bad part."""
    mapping: dict[str, str] = {}
    for part in (raw or "").split(","):
        part = part.strip()
        if not part:
            continue
        group, sep, role = part.rpartition("=")
        group, role = group.strip(), role.strip().lower()
        if not sep or not group:
            raise ImproperlyConfigured(f"OIDC_ROLE_MAP: “{part}” is not of the form group=role (e.g. tt-admins=admin).")
        if role not in Role.values:
            raise ImproperlyConfigured(
                f"OIDC_ROLE_MAP: “{role}” in “{part}” is not a role; use one of {', '.join(Role.values)}."
            )
        mapping[group] = role
    return mapping


def default_role() -> str:
    role = (settings.OIDC_DEFAULT_ROLE or Role.MEMBER).strip().lower()
    if role not in Role.values:
        raise ImproperlyConfigured(f"OIDC_DEFAULT_ROLE: “{role}” is not a role; use one of {', '.join(Role.values)}.")
    return role


def role_map() -> dict[str, str]:
    return parse_role_map(settings.OIDC_ROLE_MAP)


def groups_from_claims(claims: Mapping[str, Any]) -> list[str]:
    """The groups claim as a list of strings; providers send a list, a single string, or nothing."""
    value = claims.get(settings.OIDC_GROUPS_CLAIM or "groups")
    if value is None:
        return []
    if isinstance(value, str):
        return [g for g in value.replace(",", " ").split() if g]
    if isinstance(value, Iterable) and not isinstance(value, Mapping):
        return [str(g) for g in value]
    return []


def role_for_groups(groups: Iterable[str]) -> str | None:
    """The role the map gives these groups; the default role when nothing matches; None when there is no map."""
    mapping = role_map()
    if not mapping:
        return None
    matched = {mapping[g] for g in groups if g in mapping}
    for role in ROLE_PRECEDENCE:
        if role in matched:
            return role
    return default_role()


def claims_of(extra_data: Mapping[str, Any]) -> dict[str, Any]:
    """Merge the ID token's claims with the userinfo answer (userinfo wins), as allauth stores them."""
    merged: dict[str, Any] = {}
    if isinstance(extra_data.get("id_token"), Mapping):
        merged.update(extra_data["id_token"])
    if isinstance(extra_data.get("userinfo"), Mapping):
        merged.update(extra_data["userinfo"])
    if not merged:
        merged.update(extra_data)
    return merged
