"""Two-factor secrets are encrypted at rest with the project's keys; sign-in with a TOTP code still works, through
a key rotation too."""

import importlib
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from accounts import mfa

PASSWORD = "correct horse battery staple"


def raw_data(authenticator_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM mfa_authenticator WHERE id = %s", [authenticator_id])
        value = cursor.fetchone()[0]
    return value if isinstance(value, str) else str(value)


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in_with_totp(client, user, code: str):
    response = client.post("/accounts/login/", {"login": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session  # the password alone does not sign in
    return client.post("/accounts/2fa/authenticate/", {"code": code})


@pytest.fixture
def totp(member):
    secret = generate_totp_secret()
    authenticator = TOTP.activate(member, secret).instance
    return authenticator, secret


def test_a_totp_secret_is_not_stored_in_the_clear(totp):
    authenticator, secret = totp
    raw = raw_data(authenticator.pk)
    assert secret not in raw
    assert mfa.SEALED_PREFIX in raw
    assert mfa.unseal(Authenticator.objects.get(pk=authenticator.pk).data["secret"]) == secret


def test_sign_in_with_a_totp_code_works_with_the_encrypted_secret(client, member, totp):
    _authenticator, secret = totp
    response = sign_in_with_totp(client, member, current_code(secret))
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


def test_a_wrong_totp_code_is_refused(client, member, totp):
    _authenticator, secret = totp
    wrong = f"{(int(current_code(secret)) + 500_000) % 1_000_000:06d}"
    response = sign_in_with_totp(client, member, wrong)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_recovery_codes_seed_is_not_stored_in_the_clear_and_the_codes_still_work(member):
    codes = RecoveryCodes.activate(member)
    seed = mfa.unseal(codes.instance.data["seed"])
    assert seed not in raw_data(codes.instance.pk)
    first = codes.generate_codes()[0]
    assert RecoveryCodes(Authenticator.objects.get(pk=codes.instance.pk)).validate_code(first)


def test_the_data_migration_encrypts_existing_clear_secrets_and_reverses(member):
    secret = generate_totp_secret()
    clear = Authenticator.objects.create(user=member, type=Authenticator.Type.TOTP, data={"secret": secret})
    legacy = Authenticator.objects.create(
        user=member, type=Authenticator.Type.RECOVERY_CODES, data={"migrated_codes": ["11112222", "33334444"]}
    )
    migration = importlib.import_module("accounts.migrations.0004_encrypt_two_factor_secrets")

    migration.encrypt_secrets(apps, None)
    assert secret not in raw_data(clear.pk)
    assert "11112222" not in raw_data(legacy.pk)
    assert TOTP(Authenticator.objects.get(pk=clear.pk)).validate_code(current_code(secret))
    assert RecoveryCodes(Authenticator.objects.get(pk=legacy.pk)).generate_codes() == ["11112222", "33334444"]

    migration.encrypt_secrets(apps, None)  # running twice does not seal twice
    assert mfa.unseal(Authenticator.objects.get(pk=clear.pk).data["secret"]) == secret

    migration.decrypt_secrets(apps, None)
    assert Authenticator.objects.get(pk=clear.pk).data == {"secret": secret}


def test_rotation_re_encrypts_two_factor_secrets_and_sign_in_still_works(client, member, settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.TT_ENCRYPTION_KEYS = [old]
    secret = generate_totp_secret()
    authenticator = TOTP.activate(member, secret).instance
    settings.TT_ENCRYPTION_KEYS = [new, old]

    call_command("rotate_encryption_keys")

    settings.TT_ENCRYPTION_KEYS = [new]  # the old key is gone
    token = Authenticator.objects.get(pk=authenticator.pk).data["secret"].removeprefix(mfa.SEALED_PREFIX)
    assert Fernet(new.encode()).decrypt(token.encode()).decode() == secret
    assert sign_in_with_totp(client, member, current_code(secret)).status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


def test_a_secret_no_key_opens_fails_sign_in_closed_and_rotation_names_it(client, member, settings):
    settings.TT_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    secret = generate_totp_secret()
    TOTP.activate(member, secret)
    settings.TT_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]

    response = sign_in_with_totp(client, member, current_code(secret))
    assert response.status_code == 200  # refused, not a server error
    assert "_auth_user_id" not in client.session
    with pytest.raises(CommandError, match="1 two-factor authenticator"):
        call_command("rotate_encryption_keys")
