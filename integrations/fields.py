"""A model field holding a JSON object encrypted at rest (see integrations.crypto)."""

from __future__ import annotations

import logging

from django.db import models

from . import crypto

logger = logging.getLogger(__name__)


class SealedSecrets(dict):
    """The decrypted secrets. When no configured key could decrypt them it is empty, `unreadable` is True and the
    original ciphertext is kept, so saving the row does not destroy secrets an old key could still open."""

    unreadable = False
    token = ""


class EncryptedJSONField(models.TextField):
    """Stores a dict as a Fernet token; Python code only ever sees the dict, the database only the token."""

    description = "JSON object encrypted at rest"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", dict)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        return self._open(value)

    def to_python(self, value):
        if isinstance(value, dict):
            return value if isinstance(value, SealedSecrets) else SealedSecrets(value)
        return self._open(value)

    def get_prep_value(self, value):
        if isinstance(value, SealedSecrets) and value.unreadable:
            return value.token
        return crypto.encrypt_json(dict(value or {}))

    def value_to_string(self, obj):
        # Serialisation (dumpdata) carries the ciphertext, never the plaintext.
        return self.get_prep_value(self.value_from_object(obj))

    @staticmethod
    def _open(value) -> SealedSecrets:
        if not value:
            return SealedSecrets()
        try:
            return SealedSecrets(crypto.decrypt_json(value))
        except crypto.SecretsUnreadable:
            logger.warning("Stored integration secrets cannot be decrypted with the configured keys.")
            sealed = SealedSecrets()
            sealed.unreadable = True
            sealed.token = value
            return sealed
