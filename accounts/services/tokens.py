"""Personal API tokens: create, revoke, authenticate (their reads are in accounts.selectors).

A token is `tt_` followed by 40 random URL-safe characters. Only its SHA-256 hash is stored, so a leaked database
does not leak usable tokens; the plaintext is returned once by api_token_create and never again.
"""

from __future__ import annotations

import hashlib
import secrets
import string
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from timetracker.prepared import PreparedRead

from .. import policy
from ..models import SCOPE_ADMIN, SCOPES, ApiToken, Role, User

TOKEN_PREFIX = "tt_"  # noqa: S105 - the public marker of a token, not a secret
TOKEN_RANDOM_LENGTH = 40
_ALPHABET = string.ascii_letters + string.digits + "-_"
PREFIX_SHOWN = len(TOKEN_PREFIX) + 8
# Writing last_used_at on every request would turn every read into a write; once a minute is precise enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def generate_token() -> str:
    return TOKEN_PREFIX + "".join(secrets.choice(_ALPHABET) for _ in range(TOKEN_RANDOM_LENGTH))


def looks_like_token(raw: str) -> bool:
    return (
        raw.startswith(TOKEN_PREFIX)
        and len(raw) == len(TOKEN_PREFIX) + TOKEN_RANDOM_LENGTH
        and all(c in _ALPHABET for c in raw[len(TOKEN_PREFIX) :])
    )


def normalise_scopes(scopes: Iterable[str] | str) -> list[str]:
    """Scopes as a sorted list without duplicates; accepts a comma- or space-separated string. Refuses unknown ones."""
    if isinstance(scopes, str):
        scopes = scopes.replace(",", " ").split()
    result = sorted({s.strip() for s in scopes if s and s.strip()})
    unknown = [s for s in result if s not in SCOPES]
    if unknown:
        raise ValidationError(
            {"scopes": f"Unknown scopes: {', '.join(unknown)}. Known scopes: {', '.join(SCOPES)}."},
            code="invalid_scope",
        )
    if not result:
        raise ValidationError({"scopes": "Give the token at least one scope."}, code="invalid_scope")
    return result


def api_token_validate(
    *, user: User, name: str, scopes: Iterable[str] | str, expires_at: datetime | None = None
) -> tuple[str, list[str]]:
    """The cleaned (name, scopes) of a token `user` may hold; ValidationError naming the field otherwise.

    The `admin` scope is only for administrators. Other scopes never widen what the owner's role allows: the access
    policy still decides every request.
    """
    scopes = normalise_scopes(scopes)
    if SCOPE_ADMIN in scopes and user.role != Role.ADMIN:
        raise ValidationError({"scopes": "Only administrators may hold the admin scope."}, code="invalid_scope")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Give the token a name, e.g. the script that uses it."}, code="required")
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": "The expiry must be in the future."}, code="invalid")
    return name[:100], scopes


@transaction.atomic
def api_token_create(
    *,
    actor: User,
    name: str,
    scopes: Iterable[str] | str,
    owner: User | None = None,
    expires_at: datetime | None = None,
) -> tuple[ApiToken, str]:
    """Create a token for `owner` (default: the actor); returns the token and its plaintext, which is not stored and
    not shown again. Anyone may create their own tokens; a token for someone else needs the right to manage users."""
    owner = owner or actor
    policy.require(actor, policy.CREATE, ApiToken)
    if owner.pk != actor.pk:
        policy.require(actor, policy.MANAGE_USERS)
    name, scopes = api_token_validate(user=owner, name=name, scopes=scopes, expires_at=expires_at)
    raw = generate_token()
    token = ApiToken(
        owner=owner,
        name=name[:100],
        scopes=scopes,
        prefix=raw[:PREFIX_SHOWN],
        key_hash=hash_token(raw),
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke a token (the owner, or an administrator). Revoking twice is harmless."""
    policy.require(actor, policy.DELETE, token)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=token.revoked_at)
    return token


_TOKEN = tuple(field.attname for field in ApiToken._meta.concrete_fields)
_OWNER = tuple(field.attname for field in User._meta.concrete_fields)


def _build_token_read(*, key_hash: str):
    # key_hash is unique: no ORDER BY (first() would add the model's ordering).
    return (
        ApiToken.objects.filter(key_hash=key_hash)
        .values(*_TOKEN, *(f"owner__{name}" for name in _OWNER))
        .order_by()[:1]
    )


# Compiled once per process (timetracker.prepared): every API request reads its token, and building the read cost
# more than PostgreSQL's answer.
_token_read = PreparedRead(_build_token_read)


def _token_with_owner(key_hash: str) -> ApiToken | None:
    """The token with this hash and its owner, as `select_related("owner")` reads them."""
    found = _token_read.rows(key_hash=key_hash)
    if not found:
        return None
    row, db = found[0], connection.alias
    token = ApiToken.from_db(db, _TOKEN, [row[name] for name in _TOKEN])
    token.owner = User.from_db(db, _OWNER, [row[f"owner__{name}"] for name in _OWNER])
    return token


def api_token_authenticate(raw: str) -> ApiToken | None:
    """The active token `raw` names (not revoked, not expired, owner active), or None."""
    raw = (raw or "").strip()
    if not looks_like_token(raw):
        return None
    token = _token_with_owner(hash_token(raw))
    if token is None or not token.is_active or not token.owner.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
