"""Encrypt the two-factor secrets allauth stored in the clear (TOTP secrets, recovery-code seeds), now that
accounts.adapters.MFAAdapter seals them; the reverse opens them again."""

from django.db import migrations


def encrypt_secrets(apps, schema_editor):
    from accounts import mfa

    _rewrite(apps, mfa.seal)


def decrypt_secrets(apps, schema_editor):
    from accounts import mfa

    _rewrite(apps, mfa.unseal)


def _rewrite(apps, change):
    from accounts import mfa

    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.order_by("pk").iterator():
        data = dict(authenticator.data or {})
        if isinstance(data.get("migrated_codes"), list):
            data["migrated_codes"] = list(data["migrated_codes"])
        if mfa.transform(data, change):
            Authenticator.objects.filter(pk=authenticator.pk).update(data=data)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_api_tokens"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_secrets, decrypt_secrets, elidable=False)]
