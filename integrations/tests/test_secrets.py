"""Secrets are encrypted at rest, rotate with the keys, and degrade gracefully when no key opens them."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from integrations import crypto, services
from integrations.models import Integration

from .conftest import ACCESS_TOKEN, WEBHOOK_SECRET


def raw_secrets_column(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT secrets FROM integrations_integration WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_secrets_are_unreadable_in_the_database_column(github):
    raw = raw_secrets_column(github.pk)
    assert WEBHOOK_SECRET not in raw
    assert ACCESS_TOKEN not in raw
    assert "webhook_secret" not in raw  # not even the names
    assert Integration.objects.get(pk=github.pk).secrets["access_token"] == ACCESS_TOKEN


def test_without_configured_keys_the_key_is_derived_from_secret_key(github, settings):
    settings.TT_ENCRYPTION_KEYS = []
    raw = raw_secrets_column(github.pk)
    assert Fernet(crypto.derive_key(settings.SECRET_KEY)).decrypt(raw.encode())


def test_a_new_secret_key_without_the_old_derived_key_cannot_read_old_secrets(github, settings):
    old = crypto.derive_key(settings.SECRET_KEY).decode()
    settings.SECRET_KEY = "a-completely-different-secret-key-for-this-test-0123456789"
    reloaded = Integration.objects.get(pk=github.pk)
    assert reloaded.secrets == {}
    assert reloaded.secrets.unreadable
    # Saving the row keeps the ciphertext instead of wiping it ...
    reloaded.save()
    # ... so listing the old derived key brings the secrets back.
    settings.TT_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old]
    assert Integration.objects.get(pk=github.pk).secrets["webhook_secret"] == WEBHOOK_SECRET


def test_rotate_encryption_keys_re_encrypts_with_the_first_key(github, settings):
    old = crypto.derive_key(settings.SECRET_KEY).decode()
    new = Fernet.generate_key().decode()
    settings.TT_ENCRYPTION_KEYS = [new, old]
    before = raw_secrets_column(github.pk)
    call_command("rotate_encryption_keys")
    after = raw_secrets_column(github.pk)
    assert after != before
    assert Fernet(new.encode()).decrypt(after.encode())
    settings.TT_ENCRYPTION_KEYS = [new]  # the old key can now be removed
    assert Integration.objects.get(pk=github.pk).secrets["access_token"] == ACCESS_TOKEN


def test_rotate_encryption_keys_fails_loudly_when_a_key_is_missing(github, settings):
    settings.TT_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(CommandError, match="no configured key can decrypt"):
        call_command("rotate_encryption_keys")


def test_an_invalid_encryption_key_is_a_clear_configuration_error(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.TT_ENCRYPTION_KEYS = ["not-a-fernet-key"]
    with pytest.raises(ImproperlyConfigured, match="not a Fernet key"):
        crypto.encrypt_json({"a": "b"})


def test_partial_update_keeps_unset_secrets(github, admin_user):
    services.integration_configure(
        actor=admin_user, provider="github", owner=None, secrets={"access_token": "ghp_newtokennewtokennewtoken0000"}
    )
    secrets = Integration.objects.get(pk=github.pk).secrets
    assert secrets["webhook_secret"] == WEBHOOK_SECRET
    assert secrets["access_token"] == "ghp_newtokennewtokennewtoken0000"


def test_blank_webhook_secret_is_generated_and_returned_once(admin_user, project):
    integration, generated = services.integration_configure(
        actor=admin_user,
        provider="github",
        owner=None,
        is_active=True,
        config={"repository": "octo/site", "default_project": project.pk},
        secrets={"webhook_secret": ""},
    )
    assert len(generated["webhook_secret"]) >= 32
    assert integration.secrets["webhook_secret"] == generated["webhook_secret"]
    _, again = services.integration_configure(actor=admin_user, provider="github", owner=None, config={})
    assert again == {}


def test_mask_shows_only_a_short_prefix():
    assert crypto.mask(ACCESS_TOKEN) == "ghp_ab…"
    assert crypto.mask("short") == "s…"  # never more than a quarter of the value
    assert crypto.mask("") == ""


def test_saving_config_while_secrets_are_unreadable_keeps_them_and_generates_nothing(github, admin_user, settings):
    old = crypto.derive_key(settings.SECRET_KEY).decode()
    settings.TT_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    integration, generated = services.integration_configure(
        actor=admin_user, provider="github", owner=None, config={"label_filter": ["bug"]}
    )
    assert generated == {}
    settings.TT_ENCRYPTION_KEYS = [old]
    assert Integration.objects.get(pk=github.pk).secrets["webhook_secret"] == WEBHOOK_SECRET


def test_setting_a_secret_while_stored_ones_are_unreadable_is_refused(github, admin_user, settings):
    from django.core.exceptions import ValidationError

    settings.TT_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ValidationError, match="cannot be decrypted"):
        services.integration_configure(actor=admin_user, provider="github", owner=None, secrets={"access_token": "x"})


def test_rotating_secret_key_with_the_old_one_as_fallback_keeps_secrets_and_signatures(github, settings):
    from django.core import signing

    settings.TT_ENCRYPTION_KEYS = []
    old_secret_key = settings.SECRET_KEY
    signed = signing.dumps({"user": 1})  # as a session or a password-reset link is signed
    before = raw_secrets_column(github.pk)

    settings.SECRET_KEY = "the-new-secret-key-after-rotation-0123456789-abcdefghijklmnop"
    settings.SECRET_KEY_FALLBACKS = [old_secret_key]
    # Written under the old key, still read: the integration keeps working, signed values stay valid.
    assert Integration.objects.get(pk=github.pk).secrets["access_token"] == ACCESS_TOKEN
    assert signing.loads(signed) == {"user": 1}

    call_command("rotate_encryption_keys")
    after = raw_secrets_column(github.pk)
    assert after != before
    assert Fernet(crypto.derive_key(settings.SECRET_KEY)).decrypt(after.encode())

    settings.SECRET_KEY_FALLBACKS = []  # the old key can now go
    assert Integration.objects.get(pk=github.pk).secrets["webhook_secret"] == WEBHOOK_SECRET
    with pytest.raises(signing.BadSignature):
        signing.loads(signed)


def test_without_the_fallback_a_rotated_secret_key_cannot_read_old_secrets(github, settings):
    settings.TT_ENCRYPTION_KEYS = []
    settings.SECRET_KEY = "the-new-secret-key-after-rotation-0123456789-abcdefghijklmnop"
    settings.SECRET_KEY_FALLBACKS = []
    assert Integration.objects.get(pk=github.pk).secrets.unreadable
