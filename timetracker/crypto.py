"""Encryption of secrets at rest (Fernet, via cryptography's MultiFernet): integration secrets and two-factor
(TOTP) secrets. A platform module: it imports no app, so every app may use it.

Keys come from TT_ENCRYPTION_KEYS (comma-separated Fernet keys: the first encrypts, all decrypt). When it is
unset, keys are derived from SECRET_KEY with HKDF-SHA256 (it encrypts) and from each of SECRET_KEY_FALLBACKS (they
only decrypt), so a fresh install encrypts without extra set-up and rotating SECRET_KEY — the old one moved to
SECRET_KEY_FALLBACKS — keeps old secrets readable until `manage.py rotate_encryption_keys` has re-encrypted them
with the new key (see docs/admin/security/secrets.md).
"""

from __future__ import annotations

import base64
import json
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

HKDF_INFO = b"timetracker integration secrets v1"


class SecretsUnreadable(Exception):
    """No configured key decrypts the stored secrets (the key that encrypted them was removed)."""


def derive_key(secret_key: str) -> bytes:
    """The Fernet key derived from a Django SECRET_KEY (HKDF-SHA256, fixed info, no salt)."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO)
    return base64.urlsafe_b64encode(hkdf.derive(secret_key.encode()))


def configured_keys() -> list[bytes]:
    raw = getattr(settings, "TT_ENCRYPTION_KEYS", None) or []
    if isinstance(raw, str):
        raw = raw.split(",")
    keys = [k.strip().encode() for k in raw if k and k.strip()]
    if keys:
        return keys
    # The current SECRET_KEY's key encrypts; the fallbacks' keys still decrypt what was written before a rotation.
    fallbacks = getattr(settings, "SECRET_KEY_FALLBACKS", None) or []
    return [derive_key(secret) for secret in (settings.SECRET_KEY, *fallbacks) if secret]


@lru_cache(maxsize=8)
def _multifernet(keys: tuple[bytes, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(k) for k in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "TT_ENCRYPTION_KEYS holds a value that is not a Fernet key (32 url-safe base64-encoded bytes). "
            "Generate one with `python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'`."
        ) from exc


def fernet() -> MultiFernet:
    return _multifernet(tuple(configured_keys()))


def encrypt_json(value: dict) -> str:
    return fernet().encrypt(json.dumps(value, sort_keys=True).encode()).decode()


def encrypt_text(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt_text(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise SecretsUnreadable("no configured encryption key can decrypt this secret") from exc


def decrypt_json(token: str) -> dict:
    try:
        return json.loads(fernet().decrypt(token.encode()))
    except InvalidToken as exc:
        raise SecretsUnreadable("no configured encryption key can decrypt these secrets") from exc


def rotate_token(token: str) -> str:
    """Re-encrypt a token with the first key (raises SecretsUnreadable if no key decrypts it)."""
    try:
        return fernet().rotate(token.encode()).decode()
    except InvalidToken as exc:
        raise SecretsUnreadable("no configured encryption key can decrypt these secrets") from exc


def mask(value: str | None, keep: int = 6) -> str:
    """A token as it may appear in a log or a page: its first characters and an ellipsis (`ghp_ab…`)."""
    if not value:
        return ""
    # Never more than a quarter of the value, so a short secret is not half given away.
    return f"{value[: min(keep, len(value) // 4)]}…"
