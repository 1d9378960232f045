"""Two-factor secrets (django-allauth MFA) encrypted at rest with the project's keys (timetracker.crypto).

allauth stores a TOTP secret and the seed of the recovery codes in `Authenticator.data` and hands them to its
adapter's encrypt/decrypt hooks, which store them in the clear by default. `MFAAdapter` (accounts.adapters) seals
them here: "fernet:" and a Fernet token. A value without the prefix is a secret written before encryption was
switched on (migration 0004 seals those); it is read as it is. A sealed value no configured key opens yields a fresh
random secret, so no code matches it: sign-in fails closed, and the person uses another factor or an admin resets it.
"""

from __future__ import annotations

import base64
import logging
import secrets as random_secrets

from django.db import transaction

from timetracker import crypto

logger = logging.getLogger(__name__)

SEALED_PREFIX = "fernet:"


def seal(text: str) -> str:
    return text if is_sealed(text) else SEALED_PREFIX + crypto.encrypt_text(text)


def is_sealed(value) -> bool:
    return isinstance(value, str) and value.startswith(SEALED_PREFIX)


def unseal(value: str) -> str:
    if not is_sealed(value):
        return value
    try:
        return crypto.decrypt_text(value[len(SEALED_PREFIX) :])
    except crypto.SecretsUnreadable:
        logger.warning("A two-factor secret cannot be decrypted with the configured keys.")
        return base64.b32encode(random_secrets.token_bytes(20)).decode()


def secret_paths(data: dict) -> list[tuple[str, int | None]]:
    """Where the secrets are in an Authenticator's data: (key, None) for a value, (key, index) for a list item."""
    paths: list[tuple[str, int | None]] = [(key, None) for key in ("secret", "seed") if key in data]
    codes = data.get("migrated_codes")
    if isinstance(codes, list):
        paths += [("migrated_codes", i) for i in range(len(codes))]
    return paths


def transform(data: dict, change) -> bool:
    """Apply `change(value) -> value` to every secret in `data`, in place; True when something changed."""
    changed = False
    for key, index in secret_paths(data):
        old = data[key] if index is None else data[key][index]
        if not isinstance(old, str):
            continue
        new = change(old)
        if new != old:
            if index is None:
                data[key] = new
            else:
                data[key][index] = new
            changed = True
    return changed


def two_factor_secrets_rotate() -> tuple[int, int]:
    """Re-encrypt every two-factor secret with the first key (sealing any still in the clear). Returns (rotated
    authenticators, unreadable ones — left as they are)."""
    from allauth.mfa.models import Authenticator

    rotated = unreadable = 0

    def rotate(value: str) -> str:
        if not is_sealed(value):
            return seal(value)
        return SEALED_PREFIX + crypto.rotate_token(value[len(SEALED_PREFIX) :])

    for authenticator in Authenticator.objects.order_by("pk").iterator():
        data = dict(authenticator.data or {})
        if isinstance(data.get("migrated_codes"), list):
            data["migrated_codes"] = list(data["migrated_codes"])
        try:
            changed = transform(data, rotate)
        except crypto.SecretsUnreadable:
            unreadable += 1
            continue
        if changed:
            with transaction.atomic():
                Authenticator.objects.filter(pk=authenticator.pk).update(data=data)
            rotated += 1
    return rotated, unreadable
