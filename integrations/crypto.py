"""Integration secrets are encrypted with the project's keys: see timetracker.crypto (re-exported here for the
integrations' fields, services and tests)."""

from timetracker.crypto import (
    HKDF_INFO,
    SecretsUnreadable,
    configured_keys,
    decrypt_json,
    derive_key,
    encrypt_json,
    fernet,
    mask,
    rotate_token,
)

__all__ = [
    "HKDF_INFO",
    "SecretsUnreadable",
    "configured_keys",
    "decrypt_json",
    "derive_key",
    "encrypt_json",
    "fernet",
    "mask",
    "rotate_token",
]
